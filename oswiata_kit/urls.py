"""Full addresses for places a link leaves the site: e-mails, PDFs, calendar files, the first post of a debate."""

from urllib.parse import urlsplit

from oswiata_kit.conf import kit_settings


def absolute_url(path: str) -> str:
    """`path` with the site's address (`SITE_BASE_URL`) before it: "/nauka/" -> "https://oswiata.example.pl/nauka/".

    An address that is already complete ("https://...", "mailto:...") is returned as it is. Without
    `SITE_BASE_URL` the path stays relative to the site (a host that sends e-mail sets it)."""
    path = path or "/"
    if urlsplit(path).scheme or path.startswith("//"):
        return path
    return f"{kit_settings.SITE_BASE_URL}/{path.lstrip('/')}"
