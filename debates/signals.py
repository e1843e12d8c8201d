"""Signals of the debates app (sent after the transaction commits).

`debate_opened`: sender=DebatePage class; kwargs `debate` (the DebatePage), `topics` (list of forums.Topic
created for it, one per target forum). Receivers (notifications) notify the members of those forums.
`debate_closed`: same arguments, sent when the debate's topics are locked at closing time.
"""

from django.dispatch import Signal

debate_opened = Signal()
debate_closed = Signal()
