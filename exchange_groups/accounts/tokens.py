"""Signed links that confirm a person's e-mail address.

A token is a TimestampSigner signature (own salt) over the user's id, e-mail address and a digest of
the account's password hash, valid for ACCOUNT_CONFIRMATION_MAX_AGE seconds. Nothing is stored:
changing the address or the password makes old links invalid. A new registration of a still
unconfirmed address sets a new password, so every link sent for an older registration stops working;
the confirmation page also asks for the password (exchange_groups.accounts.services.confirm_registration), so a
link opened by the mailbox's owner never activates a password somebody else chose. The digest is a
keyed HMAC of the hash (the signed payload is readable, so the hash itself is never put in it).
Confirming is idempotent, so a link may be used twice without harm.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from exchange_groups.conf import exchange_groups_settings

SALT = "exchange_groups.accounts.confirm-email"


class ConfirmationTokenError(Exception):
    """The link cannot be used. `user` is known when the link was genuine but has expired."""

    def __init__(self, reason: str, user=None):
        super().__init__(reason)
        self.reason = reason
        self.user = user


class ConfirmationTokenExpired(ConfirmationTokenError):
    pass


class ConfirmationTokenInvalid(ConfirmationTokenError):
    pass


@dataclass(frozen=True)
class ConfirmationPayload:
    user_id: int
    email: str
    password_digest: str


def confirmation_max_age() -> int:
    return exchange_groups_settings.ACCOUNT_CONFIRMATION_MAX_AGE


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def password_digest(user) -> str:
    """Changes whenever the account's password does (a new salt each time, even for the same password)."""
    return salted_hmac(SALT + ".password", f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def make_confirmation_token(user) -> str:
    return _signer().sign_object({"u": user.pk, "e": user.email.lower(), "p": password_digest(user)})


def _payload(data) -> ConfirmationPayload:
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("e"), str)
        or not isinstance(data.get("p"), str)
    ):
        raise ConfirmationTokenInvalid("malformed")
    return ConfirmationPayload(user_id=data["u"], email=data["e"], password_digest=data["p"])


def _user_for(payload: ConfirmationPayload):
    """The account the link was made for, if its address and password are still the same."""
    User = get_user_model()
    user = User.objects.filter(pk=payload.user_id).first()
    if user is None or user.email.lower() != payload.email.lower():
        return None
    if not constant_time_compare(password_digest(user), payload.password_digest):
        return None
    return user


def read_confirmation_token(token: str):
    """The user a confirmation link belongs to; raises ConfirmationTokenExpired / ConfirmationTokenInvalid."""
    try:
        payload = _payload(_signer().unsign_object(token, max_age=confirmation_max_age()))
    except signing.SignatureExpired as exc:
        # The signature is genuine, only too old: say whose link it was so a new one can be offered.
        try:
            payload = _payload(_signer().unsign_object(token))
        except (signing.BadSignature, ValueError):
            raise ConfirmationTokenInvalid("bad signature") from exc
        raise ConfirmationTokenExpired("expired", user=_user_for(payload)) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ConfirmationTokenInvalid("bad signature") from exc
    user = _user_for(payload)
    if user is None:
        raise ConfirmationTokenInvalid("unknown user, changed address or changed password")
    return user
