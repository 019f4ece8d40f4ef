"""Security headers on the responses the app sends: pages, built files, the backend's answers.

An ASGI middleware (the last of endpoints.transformers()), so nothing the server answers goes
without them. Which response gets which:
- every response: `X-Content-Type-Options: nosniff` (a file is only ever what its content type
  says), and behind TLS `Strict-Transport-Security`;
- every response: its Vary tokens once each (Reflex's CORS middleware, wrapped around each
  part of the app, added `Origin` once per layer: the outermost one adds it, once);
- documents only (responses whose content type is text/html), the socket's `websocket.accept`
  (which Granian, the server, drops) and the service worker's script (asked for with
  `Service-Worker: script`: a worker runs under the policy of its own script): the Content
  Security Policy, X-Frame-Options, Referrer-Policy and Permissions-Policy. These govern the page
  a browser shows: a script's, a stylesheet's or an image's CSP has no effect on the page that
  loads it (the page's own policy applies to everything it loads), a file is never framed, and
  what a stylesheet fetches names the stylesheet, never the page's address (an invitation
  code). Sent on each of the 20-odd files of a screen, they cost about 0.9 KiB a
  response of a trainee's prepaid data, for nothing (issue 12).
What the Content Security Policy has to allow, and why:
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
# On every response.
ALWAYS = [(b"x-content-type-options", b"nosniff")]
# On documents (text/html) and the socket's accept only: they act on the page shown.
DOCUMENT = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    # Invitation links carry their code in the address: never sent elsewhere.
    (b"referrer-policy", b"no-referrer"),
    # The microphone (voice messages) for this origin only; nothing else of the phone.
    (b"permissions-policy", b"microphone=(self), camera=(), geolocation=(), payment=(), usb=()"),
]
HEADERS = DOCUMENT + ALWAYS
# Behind TLS (production), browsers are told to come back over https only.
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def _is_document(scope: dict, message: dict) -> bool:
    """A websocket accept, the service worker's script, or an HTTP answer whose content type is
    text/html."""
    if message["type"] == "websocket.accept":
        return True
    if dict(scope.get("headers") or []).get(b"service-worker") == b"script":
        return True
    for name, value in message.get("headers") or []:
        if name.lower() == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == b"text/html"
    return False


def _one_vary(headers: list) -> list:
    """The response's Vary tokens once each, without Origin. Reflex puts Starlette's CORS
    middleware on its own routes, on each Starlette app of api_transformer (the route apps of
    endpoints/) and on the top app around all of them, and each adds `Origin`: "Origin, Origin,
    Origin, Origin". The top one, outside this middleware, adds it last: once (tests/test_vary.py)."""
    tokens: list[bytes] = []
    for name, value in headers:
        if name.lower() == b"vary":
            for token in value.split(b","):
                token = token.strip()
                if token and token.lower() != b"origin" and token.lower() not in {t.lower() for t in tokens}:
                    tokens.append(token)
    kept = [(name, value) for name, value in headers if name.lower() != b"vary"]
    return kept + ([(b"vary", b", ".join(tokens))] if tokens else [])


def _with_headers(scope: dict, message: dict) -> list:
    headers = message.get("headers") or []
    if message["type"] == "http.response.start":
        headers = _one_vary(headers)
    names = {name.lower() for name, _ in headers}
    wanted = (DOCUMENT + ALWAYS) if _is_document(scope, message) else ALWAYS
    extra = [h for h in wanted if h[0] not in names]
    secure = scope.get("scheme") in ("https", "wss") or dict(scope.get("headers") or []).get(
        b"x-forwarded-proto") == b"https"
    if secure and HSTS[0] not in names:
        extra.append(HSTS)
    return list(headers) + extra


def security_headers(app: Callable) -> Callable:
    """Wrap the ASGI app: each HTTP response and each websocket accept gets its headers."""

    async def wrapped(scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] in ("http.response.start", "websocket.accept"):
                message = {**message, "headers": _with_headers(scope, message)}
            await send(message)

        return await app(scope, receive, send_with_headers)

    return wrapped


def nginx(document: bool) -> str:
    """The same headers as nginx `add_header` lines, for the files nginx serves itself: `cisp build`
    writes them beside the frontend (headers-document.conf, headers-file.conf), and
    deploy/nginx/cisp.conf includes them, so this module stays the one rule."""
    wanted = (DOCUMENT + ALWAYS if document else ALWAYS) + [HSTS]
    return "".join(f'add_header {name.decode()} "{value.decode()}" always;\n' for name, value in wanted)
