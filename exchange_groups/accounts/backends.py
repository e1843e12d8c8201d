"""The authentication backend: Django's ModelBackend, for accounts that may log in only.

An account logs in once its e-mail address is confirmed and while it is active (permissions.can_log_in),
on every login page (the platform's, the Wagtail admin's) and for every session: ModelBackend.get_user
asks the same question, so a session of an account that is not allowed in is not accepted either.
Without this the Wagtail admin's login form (Django's, which checks only is_active) let an unconfirmed
account in, i.e. a password nobody had confirmed through the mailbox.

A correct password for an unconfirmed, active account is still refused, but the request is marked
(`request.login_needs_confirmation`) so the platform's login page can offer to send the confirmation
link again instead of calling the password wrong. Only a correct password gets that answer.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from exchange_groups.accounts.permissions import can_log_in


class ConfirmedAccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return can_log_in(user)

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            # Hash anyway, so the time taken does not tell whether the address has an account.
            User().set_password(password)
            return None
        if not user.check_password(password):
            return None
        if self.user_can_authenticate(user):
            return user
        if request is not None and user.is_active and user.email_confirmed_at is None:
            request.login_needs_confirmation = True
        return None
