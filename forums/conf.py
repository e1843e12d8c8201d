"""Settings of the forums app, each with one typed default, read from `django.conf.settings` when used.

    from forums.conf import forums_settings
    forums_settings.MAX_POST_CHARS

A host site sets the names in `DEFAULTS` in its settings module; when a name is unset, its default applies.
Nothing is cached: every attribute reads the settings at the moment it is asked for, so `override_settings`
(and pytest-django's `settings` fixture) work as they do for Django's own settings.
"""

from django.conf import settings

DEFAULTS = {
    # Longest post body, in characters (the live socket's message cap follows it).
    "FORUMS_MAX_POST_CHARS": 20_000,
    # Raises the live socket's message cap in bytes; never lowers it below what the longest post needs.
    "FORUMS_MAX_SOCKET_MESSAGE_BYTES": 0,
    # Posts one person may make per minute over all their sockets and workers (live posting).
    "FORUMS_POSTS_PER_MINUTE": 10,
    # Messages one forum socket may send per minute (flood control before any work).
    "FORUMS_SOCKET_MESSAGES_PER_MINUTE": 120,
    # Seconds a worker process trusts its answer to "which of the people listening here may read this topic"
    # (the live fan-out's reader check) when no event has changed it: a safety net for changes no event
    # announces (a membership ended by a bulk update, a lost close event). Removals, sanctions, logouts and
    # topic changes announce themselves and take effect at once.
    "FORUMS_LIVE_READER_CHECK_SECONDS": 30,
    # Files attached to one post, and the size of each in megabytes.
    "FORUMS_MAX_ATTACHMENTS": 5,
    "FORUMS_MAX_ATTACHMENT_MB": 10,
    # Minutes in which authors may edit their own posts.
    "FORUMS_EDIT_WINDOW_MINUTES": 30,
    # Reports by different members that hide a post pending review (a forum may set its own).
    "FORUMS_REPORT_HIDE_THRESHOLD": 3,
    # Where the forums' WebSocket routes live (forums.routing; the pages' scripts connect there): a host site
    # that serves them elsewhere changes this one name.
    "FORUMS_SOCKET_PATH": "ws/fora/",
}


def _setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


class ForumsSettings:
    """The settings of forums as typed attributes; see `DEFAULTS` for the meaning of each."""

    @property
    def MAX_POST_CHARS(self) -> int:
        return int(_setting("FORUMS_MAX_POST_CHARS"))

    @property
    def MAX_SOCKET_MESSAGE_BYTES(self) -> int:
        return int(_setting("FORUMS_MAX_SOCKET_MESSAGE_BYTES") or 0)

    @property
    def POSTS_PER_MINUTE(self) -> int:
        return max(1, int(_setting("FORUMS_POSTS_PER_MINUTE")))

    @property
    def SOCKET_MESSAGES_PER_MINUTE(self) -> int:
        return max(1, int(_setting("FORUMS_SOCKET_MESSAGES_PER_MINUTE")))

    @property
    def LIVE_READER_CHECK_SECONDS(self) -> float:
        return max(0.0, float(_setting("FORUMS_LIVE_READER_CHECK_SECONDS")))

    @property
    def MAX_ATTACHMENTS(self) -> int:
        return int(_setting("FORUMS_MAX_ATTACHMENTS"))

    @property
    def MAX_ATTACHMENT_MB(self) -> int:
        return int(_setting("FORUMS_MAX_ATTACHMENT_MB"))

    @property
    def MAX_ATTACHMENT_BYTES(self) -> int:
        return self.MAX_ATTACHMENT_MB * 1024 * 1024

    @property
    def EDIT_WINDOW_MINUTES(self) -> int:
        return int(_setting("FORUMS_EDIT_WINDOW_MINUTES"))

    @property
    def REPORT_HIDE_THRESHOLD(self) -> int:
        return max(1, int(_setting("FORUMS_REPORT_HIDE_THRESHOLD")))

    @property
    def SOCKET_PATH(self) -> str:
        """The socket routes' prefix without a leading slash, with one trailing slash ("ws/fora/")."""
        return _socket_path(_setting("FORUMS_SOCKET_PATH"))


def _socket_path(value: str) -> str:
    return str(value).strip("/") + "/"


forums_settings = ForumsSettings()
