"""The bottom layer every app of Oświata JST shares: plumbing with no feature of its own.

It imports only Django, Wagtail, Channels and the standard library; every app may import it, it imports no app.
Named so that no host site is likely to have an app of the same name.

- `errors`: `RuleError(message, code, field)`, the one domain error (each area keeps a thin subclass);
- `uploads`: `UploadPolicy` + `check_upload` (with the pure checks of `polyglots`), `safe_download_response`;
- `email`: `render_email`, `send_email` (rendered now, sent by a background task after the commit);
- `urls`: `absolute_url`; `on_commit`: `group_send_on_commit`, `send_signal_on_commit`;
- `people`: `is_person`, `in_group`, `is_site_admin`, `site_admin_q`, the site role names;
- `storage`: `private_storage`; `pdf`: `register_fonts` (DejaVu Sans in `fonts/`);
- `forms`: `AccessibleFormMixin` and its templates; `views`: the refusal path; `admin`: read-only admin policies;
- `static/oswiata_kit/socket.js`: the socket client of the live pages;
- `conf`: the settings the kit reads, with typed defaults.
"""
