"""The last check before an e-mail leaves: what was true when it was queued may not be true when it is sent.

An `EmailDelivery` is rendered when it is queued, and sent by a worker later: at once, after retries, or — when
the task backend cannot run tasks later — whenever `send_pending_email` runs. In between, the person may have
left the space, the post may have been hidden, the topic deleted, the account deactivated or the e-mails turned
off. So, just before sending (`prepare_for_sending`, called by the task under its row lock):
- an e-mail to an inactive account is not sent;
- a mention e-mail ("post:<id>:mention") goes only while the person still reads that post (the forums' read
  predicate, the post not hidden) and still wants mention e-mails;
- a digest is built again for its period with today's rights (keeping its unsubscribe link); when nothing is
  left, or the person has turned digests off, it is not sent.
Other e-mails go as they were queued. An e-mail that is not sent is marked `skipped`, never deleted.
"""

import re

from django.utils import translation

from forums.models import Post
from forums.permissions import can_read_topic

from .models import DigestFrequency, DigestRun, EmailDelivery, EmailKind
from .services import email_language, get_preferences

_MENTION_KEY = re.compile(r"^post:(\d+):mention$")


def _mention_still_allowed(delivery: EmailDelivery) -> bool:
    user = delivery.recipient
    if not get_preferences(user).email_mentions:
        return False
    found = _MENTION_KEY.match(delivery.dedupe_key or "")
    if found is None:
        return True  # not about a post (nothing to re-check)
    post = Post.objects.select_related("topic__category__forum__space").filter(pk=int(found.group(1))).first()
    return post is not None and not post.hidden and can_read_topic(user, post.topic)


def _refresh_digest(delivery: EmailDelivery) -> bool:
    from .digest import build_digest, render_digest

    user = delivery.recipient
    if get_preferences(user).digest == DigestFrequency.NONE:
        return False
    run = DigestRun.objects.filter(delivery_id=delivery.pk).first()
    if run is None:
        return True
    with translation.override(email_language()):
        digest = build_digest(user, run.period_start, run.period_end)
    if digest.is_empty:
        return False
    link = str((delivery.headers or {}).get("List-Unsubscribe", "")).strip("<>") or None
    delivery.subject, delivery.body = render_digest(digest, unsubscribe_link=link)
    return True


def prepare_for_sending(delivery: EmailDelivery) -> bool:
    """True when the e-mail may still go (a digest's subject and body are brought up to date in place)."""
    if not delivery.recipient.is_active:
        return False
    if delivery.kind == EmailKind.MENTION:
        return _mention_still_allowed(delivery)
    if delivery.kind == EmailKind.DIGEST:
        return _refresh_digest(delivery)
    return True
