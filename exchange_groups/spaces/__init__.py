"""Spaces (networks, exchange groups, the leaders' network) and their memberships: joining, invitations, roles,
removal."""
