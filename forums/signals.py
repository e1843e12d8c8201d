"""Signals of the forums app.

Sent after the transaction commits (`transaction.on_commit`), so a receiver sees committed data and a failing
receiver never undoes a post. Receivers live in the apps above (notifications); the forums never import them.
(The forums' own receivers, for signals of the apps below, are in `receivers.py`.)

`post_published`: sender=Post; kwargs `post` (the Post), `created` (True for a new post, False for an edit),
`mentioned_user_ids` (ids of people newly @mentioned by this post or edit, never the author).

`moderation_decided`: sender=Post or Topic (the class); kwargs `action` (a moderation action kind, a string
such as "hide", "restore", "warn", "dismiss", "lock", "delete", "suspend", "silence", "edit" (a moderator's
edit of the post), "lift" (a sanction lifted early)), `target` (the Post or Topic, or None for sanctions),
`actor` (the moderator; None when the report threshold hid a post), `affected_user_ids` (whom the decision
concerns: the post's author, the sanctioned member; never the actor), `reason` (text shown to them),
`reporter_user_ids` (people whose report was decided, told the outcome: with "hide", "warn", "dismiss").
Sent by the moderation services (`forums.moderation`).
"""

from django.db import transaction
from django.dispatch import Signal

post_published = Signal()
moderation_decided = Signal()


def send_after_commit(signal: Signal, sender, **kwargs) -> None:
    """Send `signal` once the current transaction commits (robustly: a receiver's error is logged, not raised)."""
    import logging

    logger = logging.getLogger("forums.signals")

    def send():
        for receiver_, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("forums signal receiver %r failed", receiver_, exc_info=result)

    transaction.on_commit(send)
