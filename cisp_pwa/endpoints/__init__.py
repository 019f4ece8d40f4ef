"""What the server answers over HTTP beside Reflex's pages and socket, one module each:

- voice.py    POST /voice and GET /voice/<id>: voice messages, with the session token;
- certificates.py  POST /certificate and GET /certificate/<id>: her absence with a certificate's photo;
- hours_exports.py  GET /exports/...: a group's month (CSV, XLSX), her attendance certificate (PDF);
- badges.py   the public /badges/... routes: issuer profile, status list, credential, share page;
- root.py     GET /: a redirect to the phone's language, scripts or not;
- headers.py  the security headers on every answer, these and Reflex's own;
- bearer.py   what the routes of a signed-in person share: who asks (the session token), no-store.

`transformers()` is the one place they are registered (rx.App(api_transformer=...)).
"""

from __future__ import annotations

from . import badges, certificates, headers, hours_exports, root, voice


def transformers() -> list:
    """For rx.App(api_transformer=...): each route app in front of Reflex's own routes (Reflex
    mounts its app below them), then the security headers, which wrap the whole app."""
    return [voice.api(), certificates.api(), hours_exports.api(), badges.api(), root.api(), headers.security_headers]
