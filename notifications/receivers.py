"""Signal receivers that turn events of the other apps into notifications (filled in by the notifications work)."""
