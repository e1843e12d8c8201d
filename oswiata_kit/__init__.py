"""The bottom layer every app of Oświata JST shares: plumbing with no feature of its own.

It imports only Django, Wagtail and the standard library; every app may import it, it imports no app. Named so
that no host site is likely to have an app of the same name.
"""
