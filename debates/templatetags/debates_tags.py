"""Template tags of the debates: `{% debate_banner topic %}` on a forum topic page."""

from django import template

from ..services import debate_for_topic

register = template.Library()


@register.inclusion_tag("debates/_topic_debate_banner.html", takes_context=True)
def debate_banner(context, topic):
    """The debate a topic belongs to (phase, link to the debate page and its summary); nothing for other topics."""
    debate = debate_for_topic(topic) if topic is not None else None
    if debate is None or not debate.live:
        return {"debate": None}
    return {"debate": debate, "summary": debate.summary, "request": context.get("request")}
