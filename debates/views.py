"""Front-end pages of the debates: the summary form, and the summary's print view and PDF.

The summary form: a debate that is not published is a 404 for everybody; an anonymous visitor is sent to the
login page; a logged-in person who is neither a moderator of the debate nor an editor gets a 403 page with the
reason, as does anybody before the debate has closed (the debate itself is public: nothing to hide).
The form offers only the posts the writer may read and quote (see `permissions`); the print view and the PDF
are public once the summary is published (404 before) and show only the quotes `services.publishable_post_ids`
allows.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oswiata_kit.views import refusal_page

from . import services
from .forms import SummaryForm
from .models import DebateSummaryPage
from .pdf import summary_pdf_bytes
from .permissions import check_can_write_summary, check_summary_phase, get_debate_or_404, get_summary_or_404

NOT_ALLOWED = "debates/not_allowed.html"


def summary_edit(request, debate_id):
    debate = get_debate_or_404(debate_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    # A refusal is the debate's "not allowed" page with the reason (anonymous visitors: the login page),
    # answered by the site's 403 handler.
    with refusal_page(NOT_ALLOWED, debate=debate):
        check_can_write_summary(request.user, debate)
        check_summary_phase(debate)
    # Only what the writer may read and quote: a private space's posts never reach the form of an outsider.
    posts = services.quotable_posts(request.user, debate)
    summary = DebateSummaryPage.objects.child_of(debate).first()
    if summary is not None:
        summary = summary.specific
    if request.method == "POST":
        form = SummaryForm(request.POST, posts=posts)
        if form.is_valid():
            try:
                with refusal_page(NOT_ALLOWED, debate=debate):
                    page, changed = services.save_summary(
                        request.user,
                        debate,
                        body=form.cleaned_data["body"],
                        cited_post_ids=form.cleaned_data["cited_posts"],
                        kind=form.cleaned_data["kind"],
                    )
            except services.DebateError as error:
                error.add_to_form(form)
            else:
                if changed:
                    messages.success(request, _("The summary has been published."))
                else:
                    messages.info(request, _("The summary has not changed."))
                return redirect(page.get_url(request))
    else:
        initial = {}
        if summary is not None:
            offered = {post.pk for post in posts}
            cited = [pk for pk in summary.cited_post_ids() if pk in offered]
            initial = {"body": summary.markdown_text(), "cited_posts": cited, "kind": summary.kind}
        form = SummaryForm(initial=initial, posts=posts)
    entries = [
        {"post": post, "excerpt": services.excerpt_of(post), "author": services.author_name_of(post)} for post in posts
    ]
    offered = {post.pk for post in posts}
    kept = 0
    if summary is not None:
        others = [pk for pk in summary.cited_post_ids() if pk not in offered]
        kept = len(services.publishable_post_ids(debate, others))
    context = {
        "debate": debate,
        "form": form,
        "entries": entries,
        "summary": summary,
        "unquotable_forums": services.unquotable_forums(request.user, debate),
        "kept_quotes": kept,
    }
    return render(request, "debates/summary_form.html", context)


def summary_print(request, debate_id):
    debate = get_debate_or_404(debate_id)
    summary = get_summary_or_404(debate)
    return render(request, "debates/summary_print.html", {"debate": debate, "page": summary, "summary": summary})


def summary_pdf(request, debate_id):
    debate = get_debate_or_404(debate_id)
    summary = get_summary_or_404(debate)
    response = HttpResponse(summary_pdf_bytes(debate, summary), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="podsumowanie-debaty-{debate.pk}.pdf"'
    return response
