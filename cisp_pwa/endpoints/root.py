"""`GET /`: the app's address answers with the phone's language, scripts or not.

A phone whose scripts are slow or off never runs the head script that picks the language, so
the server picks it: the language kept on this phone (the `cisp_locale` cookie, which the head
script writes beside its local copy), else the best of `Accept-Language` (q-values honoured,
only the shipped locales), else French. The answer is a redirect to `/<locale>/`, never cached
(it depends on the phone), `Vary: Accept-Language, Cookie`. In production nginx sends `location
= /` here (deploy/nginx/cisp.conf).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from cisp_pwa import i18n

COOKIE = "cisp_locale"
# Other names phones give the shipped languages: Dari is "prs" (ISO 639-3) as well as "fa-AF".
_ALIASES = {"prs": "fa"}


def _known(tag: str) -> str | None:
    primary = tag.strip().lower().replace("_", "-").split("-")[0]
    primary = _ALIASES.get(primary, primary)
    return primary if primary in i18n.LOCALES else None


def from_accept_language(header: str | None) -> str | None:
    """The shipped locale the browser prefers most (ties: the order given), or None."""
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((header or "")[:1000].split(",")[:50]):
        tag, *params = item.split(";")
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        locale = _known(tag)
        if locale is None or not 0 < quality <= 1:
            continue
        if best is None or quality > best[0]:
            best = (quality, position, locale)
    return best[2] if best else None


def choose(cookie: str | None, accept_language: str | None) -> str:
    if cookie in i18n.LOCALES:
        return cookie
    return from_accept_language(accept_language) or i18n.DEFAULT_LOCALE


async def root(request: Request) -> RedirectResponse:
    locale = choose(request.cookies.get(COOKIE), request.headers.get("accept-language"))
    target = f"/{locale}/" + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(target, status_code=302, headers={
        "Cache-Control": "no-store", "Vary": "Accept-Language, Cookie"})


def api() -> Starlette:
    return Starlette(routes=[Route("/", root, methods=["GET", "HEAD"])])
