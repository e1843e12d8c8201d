"""`base_template`: the template every app page extends, named by the host site.

The apps' pages start with `{% extends base_template|default:"base.html" %}`. A host site adds
`"oswiata_kit.context_processors.base_template"` to its template context processors and names its own base
template in the setting `OSWIATA_BASE_TEMPLATE` (default "base.html"). That template provides the blocks the apps
fill: `title`, `content`, `extra_head` and `extra_js`. Without the context processor the pages extend "base.html".
"""

from oswiata_kit.conf import kit_settings


def base_template(request):
    return {"base_template": kit_settings.BASE_TEMPLATE}
