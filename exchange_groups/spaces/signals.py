"""The hook other apps use to react to changes of membership.

`membership_changed` is a Django signal sent by the services in `exchange_groups.spaces.services` after
the transaction that changed a membership has committed (never for a change that was rolled back).
It is sent once per change with `sender=Membership` and these keyword arguments:

- `space` — the `Space`;
- `user` — the person whose membership changed;
- `actor` — who made the change (the person themselves when joining or leaving, a coordinator or
  site administrator otherwise; may be None for changes made by the system);
- `kind` — a `MembershipEventKind` value: "request_accepted", "invitation_accepted", "added",
  "role_changed", "left" or "removed";
- `active` — True when the person is an active member of the space after the change, False when
  their membership has ended;
- `role` — their role after the change (the role they had, when the membership ended).

Receivers must not assume they run inside the original transaction. Example (forums):

    from exchange_groups.spaces.signals import membership_changed

    @receiver(membership_changed)
    def forget_cached_access(sender, space, user, active, **kwargs):
        ...

Closing a removed or departing member's live connections does not need a receiver: the services call
`exchange_groups.accounts.realtime.close_user_sockets(user.pk, space_id=space.pk, code=CLOSE_FORBIDDEN)`
themselves, so consumers only have to handle "sockets.close" events for their space (see accounts/realtime.py).
"""

from django.dispatch import Signal

membership_changed = Signal()
