"""Meetings of a space: registration with a waiting list, attendance, minutes and materials, calendar files."""
