"""A socket lives only as long as the login session it was opened with.

Django keeps a session logged in only while the auth hash stored in it matches `user.get_session_auth_hash()`
(an HMAC of the password hash), and only while the session exists (logout, flush and expiry delete it). A
socket authenticates once, at connect; these helpers keep it honest afterwards:

- `session_is_current(session_key, user_id)` — the one check every consumer uses: the session still exists,
  is not expired, belongs to the person, and its auth hash matches their password now.
- `SessionBoundSocket` — the consumer mixin: `bind_session()` at connect, `ensure_session()` on every inbound
  message (closes with 4001 when the session has ended), a per-socket re-check every
  `EXCHANGE_GROUPS_SOCKET_SESSION_RECHECK_SECONDS` (default 300, with jitter so sockets do not check all at
  once) for sockets that say nothing, and the "sockets.recheck" event handler.
- `recheck_user_sockets(user_id)` — after commit, every socket of the person re-checks its own session. The
  User receivers in `signals.py` call it when a password changes (the password-change and reset views, the
  Wagtail admin, `manage.py changepassword`, a hasher upgrade at login: every path that saves the User).
- `SessionSocketsMiddleware` — Django's `update_session_auth_hash` keeps the session that changed the
  password logged in by giving it a new key (`cycle_key`). The middleware holds the re-check until the
  response has saved that session and names the rename in the event, so the changing session's sockets
  follow their session to its new key and stay open while every other session's sockets close. Put it
  *before* `SessionMiddleware` in MIDDLEWARE. Without it the re-check is sent at commit and the changing
  session's sockets close too (safe, only less convenient: the page reconnects after a reload).

Not covered by any signal: `User.objects.update(password=...)` and sessions deleted in bulk. The periodic
re-check closes such sockets within the interval.
"""

import asyncio
import contextvars
import hashlib
import logging
import random
from importlib import import_module
from typing import TypedDict

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import constant_time_compare

from exchange_groups.accounts.realtime import CLOSE_SESSION_ENDED, user_group_name
from exchange_groups.conf import exchange_groups_settings
from oswiata_kit.on_commit import group_send_now

logger = logging.getLogger("exchange_groups.accounts.socket_sessions")


def recheck_seconds() -> float:
    return exchange_groups_settings.SOCKET_SESSION_RECHECK_SECONDS


# --- the check -------------------------------------------------------------------------------------------


def session_is_current(session_key: str | None, user_id: int | None) -> bool:
    """True while the session still logs this person in, decided as Django's `get_user` decides on a page:
    the session exists and has not expired, names this person and a configured backend, that backend still
    returns the person (active, and whatever else it requires), and the stored auth hash matches."""
    return session_user(session_key, user_id) is not None


def session_user(session_key: str | None, user_id: int | None):
    """The person, read fresh, while the session still logs them in (see `session_is_current`); else None.
    A caller that acts for the person (the live posting path) uses this user instead of reading it again."""
    if not session_key or user_id is None:
        return None
    data = import_module(settings.SESSION_ENGINE).SessionStore(session_key).load()  # {} when gone or expired
    if str(data.get(SESSION_KEY, "")) != str(user_id):
        return None
    backend_path = data.get(BACKEND_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    session_hash = data.get(HASH_SESSION_KEY)
    if not session_hash:
        return None
    user = load_backend(backend_path).get_user(get_user_model()._meta.pk.to_python(data[SESSION_KEY]))
    if user is None or not getattr(user, "is_active", True):
        return None
    if constant_time_compare(session_hash, user.get_session_auth_hash()):
        return user
    # A session signed with a SECRET_KEY_FALLBACKS key still logs in on a page (Django re-signs it there).
    fallbacks = getattr(user, "_get_session_auth_fallback_hash", None)
    if bool(fallbacks) and any(constant_time_compare(session_hash, other) for other in fallbacks()):
        return user
    return None


# A password change gives the changing session a new key (cycle_key) and deletes the old one. Its sockets learn
# the new key from the re-check event, but a message they send before that event arrives (another worker,
# Redis in between) would find the old key gone. The middleware therefore also records the rename here, before
# the response leaves, and a socket whose session is gone looks for it before closing.
RENAME_SECONDS = 300


def _rename_cache_key(session_key: str) -> str:
    return "socket-session-renamed:" + hashlib.sha256(session_key.encode()).hexdigest()


def remember_session_rename(old_session: str, new_session: str) -> None:
    cache.set(_rename_cache_key(old_session), new_session, RENAME_SECONDS)


def current_session_key(session_key: str | None, user_id: int | None) -> str | None:
    """The key under which a socket's session still logs the person in: its own, or the key a password change
    moved that same session to; None when the session has ended."""
    return current_session(session_key, user_id)[0]


def current_session(session_key: str | None, user_id: int | None) -> tuple[str | None, object | None]:
    """`(key, person)`: `current_session_key` and the person it logs in, read fresh; `(None, None)` when ended."""
    if (user := session_user(session_key, user_id)) is not None:
        return session_key, user
    renamed = cache.get(_rename_cache_key(session_key)) if session_key else None
    if renamed and (user := session_user(renamed, user_id)) is not None:
        return renamed, user
    return None, None


# --- the event ---------------------------------------------------------------------------------------------


class RecheckSocketsEvent(TypedDict):
    type: str  # "sockets.recheck"
    old_session: str | None  # the changing request's session key before it was cycled, if it was
    new_session: str | None  # ... and after: sockets opened with `old_session` continue with this key


# The user ids whose password changed during the current request (None outside a request that goes through
# SessionSocketsMiddleware). A mutable set, so code running in a copied context still adds to the same set.
_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar("socket_sessions_deferred", default=None)


def _send_recheck(user_id: int, old_session: str | None = None, new_session: str | None = None) -> None:
    event: RecheckSocketsEvent = {"type": "sockets.recheck", "old_session": old_session, "new_session": new_session}
    group_send_now(user_group_name(user_id), event)


def recheck_user_sockets(user_id: int) -> None:
    """Once the transaction commits, every socket of the person re-checks its own session (closes if ended)."""

    def send():
        deferred = _deferred.get()
        if deferred is not None:
            deferred.add(user_id)  # the middleware sends it once the response has saved the session
        else:
            _send_recheck(user_id)

    # robust: a channel layer that is down must not undo or fail the change that was just committed.
    transaction.on_commit(send, robust=True)


class SessionSocketsMiddleware:
    """Sends the re-checks a request caused after the response has saved its session (see the module text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        deferred: set[int] = set()
        token = _deferred.set(deferred)
        old_session = new_session = None
        try:
            response = self.get_response(request)
            old_session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            session = getattr(request, "session", None)
            new_session = getattr(session, "session_key", None)
            if not old_session or not new_session or old_session == new_session:
                old_session = new_session = None
            elif deferred:
                remember_session_rename(old_session, new_session)
            return response
        finally:
            _deferred.reset(token)
            for user_id in sorted(deferred):
                try:
                    _send_recheck(user_id, old_session, new_session)
                except Exception:  # noqa: BLE001 - the change is committed; the periodic re-check remains
                    logger.warning(
                        "could not ask the sockets of user %s to re-check their session", user_id, exc_info=True
                    )


# --- the consumer side -----------------------------------------------------------------------------------


class SessionBoundSocket:
    """Mixin for the consumers of logged-in people (before the Channels consumer class in the bases).

    The consumer provides `closed` (bool) and `async _shut(code)` (close once). It calls `bind_session(user_id)`
    after accepting, `await self.ensure_session()` first thing for each inbound message, and
    `unbind_session()` in `disconnect`.
    """

    session_key: str | None = None
    session_user_id: int | None = None
    _session_watch: asyncio.Task | None = None

    def bind_session(self, user_id: int) -> None:
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.session_user_id = user_id
        self._session_watch = asyncio.get_running_loop().create_task(self._watch_session())

    def unbind_session(self) -> None:
        watch, self._session_watch = self._session_watch, None
        if watch is not None and watch is not asyncio.current_task():
            watch.cancel()

    async def session_current(self) -> bool:
        key = await database_sync_to_async(current_session_key)(self.session_key, self.session_user_id)
        if key is not None:
            self.session_key = key  # the same session, moved to a new key by a password change
        return key is not None

    async def ensure_session(self) -> bool:
        """True while the session logs the person in; otherwise the socket closes with 4001 and False."""
        if await self.session_current():
            return True
        await self._shut(CLOSE_SESSION_ENDED)
        return False

    async def _watch_session(self) -> None:
        while not getattr(self, "closed", False):
            await asyncio.sleep(recheck_seconds() * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not a secret
            try:
                current = await self.session_current()
            except Exception:  # noqa: BLE001 - a database hiccup must not kill the socket; try again later
                logger.warning("socket session re-check failed", exc_info=True)
                continue
            if not current:
                await self._shut(CLOSE_SESSION_ENDED)
                return

    async def sockets_recheck(self, event: RecheckSocketsEvent) -> None:
        if getattr(self, "closed", False) or self.session_user_id is None:
            return
        old, new = event.get("old_session"), event.get("new_session")
        if old and new and self.session_key and constant_time_compare(old, self.session_key):
            self.session_key = new  # this socket's session made the change and was given a new key
        await self.ensure_session()
