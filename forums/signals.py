"""Signals of the forums app.

Sent after the transaction commits (`send_after_commit`: `oswiata_kit.on_commit.send_signal_on_commit`), so a
receiver sees committed data and a failing receiver never undoes a post. Receivers live in the apps above
(notifications); the forums never import them.
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

from django.dispatch import Signal

from oswiata_kit.on_commit import send_signal_on_commit as send_after_commit

__all__ = ["moderation_decided", "post_published", "send_after_commit"]

post_published = Signal()
moderation_decided = Signal()
