"""Security headers Django does not set by itself: Content-Security-Policy and Permissions-Policy.

Public pages get a strict policy with no inline script (`script-src 'self'`, `object-src 'none'`,
`base-uri 'none'`, `frame-ancestors 'none'`). The Wagtail admin needs inline script and framing of its
own previews, so its paths get a relaxed policy that still forbids plugins and foreign framing.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PUBLIC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; frame-src 'self' https://www.youtube-nocookie.com "
    "https://player.vimeo.com; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = tuple(getattr(settings, "CSP_RELAXED_PATH_PREFIXES", ("/admin/",)))

    def __call__(self, request):
        was_logged_in = _logged_in(request)
        response = self.get_response(request)
        if was_logged_in and not response.has_header("Cache-Control"):
            # A page made for one person stays out of shared and back-button caches (ASVS 14.3.2).
            patch_cache_control(response, private=True, no_store=True)
        if was_logged_in and not _logged_in(request):
            # Logging out also empties this browser's cache of the person's pages (ASVS 14.3.1).
            response.headers.setdefault("Clear-Site-Data", '"cache"')
        relaxed = request.path.startswith(self.admin_prefixes)
        response.headers.setdefault("Content-Security-Policy", ADMIN_CSP if relaxed else PUBLIC_CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if relaxed and response.headers.get("X-Frame-Options") == "DENY":
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response


def _logged_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PolishFirstLocaleMiddleware:
    """Polish unless the person chose English with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an official with an English
    browser would get an English platform they never asked for; the UI is Polish first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
