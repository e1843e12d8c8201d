"""Accounts in the Wagtail admin: an account an administrator creates there can log in.

Logging in needs a confirmed e-mail address (accounts/backends.py). An administrator who creates an account
in the admin vouches for its address (as `createsuperuser` does), so it is confirmed at once; accounts
people register themselves confirm theirs through the link sent to the mailbox.
"""

from wagtail import hooks

from exchange_groups.accounts import services


@hooks.register("after_create_user")
def confirm_address_of_account_created_by_administrator(request, user):
    services.confirm_email(user)
