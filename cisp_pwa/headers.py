"""Security headers on every response the app sends: pages, built files, the backend's answers.

An ASGI middleware (rx.App(api_transformer=...)), so nothing the server answers goes without
them (it also adds them to the socket's `websocket.accept`, which Granian, the server, drops). What the Content Security Policy has to allow, and why:
- script-src 'unsafe-inline': the prerendered pages carry inline scripts (React Router's
  hydration data, different on every page, and the head script that sets the language and
  direction before the first paint);
- script-src 'unsafe-eval': Reflex runs `rx.call_script` code with eval (forgetting the
  phone's copies at sign-out, the outbox);
- style-src 'unsafe-inline': React writes style attributes;
- img-src data: and blob:: the QR code of an access code is an inline image.
Everything else is this origin only, and nothing may frame the app.
"""

from __future__ import annotations

from collections.abc import Callable

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # Invitation links carry their code in the address: never sent elsewhere.
    (b"referrer-policy", b"no-referrer"),
    # The microphone (voice messages) for this origin only; nothing else of the phone.
    (b"permissions-policy", b"microphone=(self), camera=(), geolocation=(), payment=(), usb=()"),
]
# Behind TLS (production), browsers are told to come back over https only.
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def _with_headers(scope: dict, headers: list) -> list:
    names = {name.lower() for name, _ in headers}
    extra = [h for h in HEADERS if h[0] not in names]
    secure = scope.get("scheme") in ("https", "wss") or dict(scope.get("headers") or []).get(
        b"x-forwarded-proto") == b"https"
    if secure and HSTS[0] not in names:
        extra.append(HSTS)
    return list(headers) + extra


def security_headers(app: Callable) -> Callable:
    """Wrap the ASGI app: each HTTP response and each websocket accept gets the headers."""

    async def wrapped(scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] in ("http.response.start", "websocket.accept"):
                message = {**message, "headers": _with_headers(scope, message.get("headers") or [])}
            await send(message)

        return await app(scope, receive, send_with_headers)

    return wrapped
