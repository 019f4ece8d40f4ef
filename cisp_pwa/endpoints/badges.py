"""Open Badges over HTTP, on the backend (registered by endpoints/__init__.py). Public by
design, and the only public pages of the app:

- GET /badges/issuers/<centre>: the centre as an issuer (Profile JSON), with its keys;
- GET /badges/status/<centre>: its revocation list (BitstringStatusListCredential, vc+jwt);
- GET /badges/credentials/<opaque id>: one credential (vc+jwt), while the share showing it stands;
- GET /badges/share/<token>: the verification page an employer opens from the share link or its
  QR code (documents/share_page.py), in the viewer's language (?lang=, else Accept-Language).
  Each view is audited.

Nothing is kept by a cache (a withdrawal shows at once); pages are not for search engines.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from cisp_pwa import client_address, i18n
from cisp_pwa.documents import share_page
from cisp_pwa.services.credentials import badges
from cisp_pwa.services.infra import throttle

NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def viewer_locale(request: Request) -> str:
    """?lang= when it names a shipped language, else the first shipped one Accept-Language
    names, else French."""
    asked = request.query_params.get("lang", "")
    if asked in i18n.LOCALES:
        return asked
    for part in request.headers.get("accept-language", "")[:200].split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in i18n.LOCALES:
            return code
    return i18n.DEFAULT_LOCALE


def _too_many(request: Request, page: bool = False) -> Response | None:
    """None while this address may go on; else 429 with when to come back (the share page in
    the viewer's language). Nothing behind the limit runs: no audit row, no signature checked."""
    address = client_address.for_request(request) or "unknown"  # behind a trusted proxy: its client
    if throttle.hit("public_view", address):
        return None
    wait = {**NO_STORE, "Retry-After": str(throttle.retry_after("public_view", address))}
    if not page:
        return JSONResponse({"error": "too_many"}, status_code=429, headers=wait)
    return HTMLResponse(share_page.notice(viewer_locale(request), "too_many"), status_code=429, headers=wait)


async def issuer(request: Request) -> Response:
    if refused := _too_many(request):
        return refused
    profile = await run_in_threadpool(badges.issuer_profile, request.path_params["centre_id"])
    if profile is None:
        return JSONResponse({"error": "not_found"}, status_code=404, headers=NO_STORE)
    return JSONResponse(profile, headers=NO_STORE)


async def status(request: Request) -> Response:
    if refused := _too_many(request):
        return refused
    token = await run_in_threadpool(badges.status_list, request.path_params["centre_id"])
    if token is None:
        return JSONResponse({"error": "not_found"}, status_code=404, headers=NO_STORE)
    return Response(token, media_type=badges.MEDIA_TYPE, headers=NO_STORE)


async def credential(request: Request) -> Response:
    if refused := _too_many(request):
        return refused
    token = await run_in_threadpool(badges.public_credential, request.path_params["public_id"])
    if token is None:
        return JSONResponse({"error": "not_found"}, status_code=404, headers=NO_STORE)
    return Response(token, media_type=badges.MEDIA_TYPE,
                    headers={**NO_STORE, "Content-Disposition": 'attachment; filename="badge.jwt"'})


async def share(request: Request) -> Response:
    if refused := _too_many(request, page=True):
        return refused
    locale = viewer_locale(request)
    shared = await run_in_threadpool(badges.public_share, request.path_params["token"], locale)
    if shared == badges.WITHDRAWN:
        return HTMLResponse(share_page.notice(locale, "withdrawn"), status_code=410, headers=NO_STORE)
    if shared == badges.UNKNOWN:
        return HTMLResponse(share_page.notice(locale, "unknown"), status_code=404, headers=NO_STORE)
    return HTMLResponse(share_page.build(locale, shared), headers=NO_STORE)


def api() -> Starlette:
    return Starlette(routes=[
        Route(badges.PATH + "/issuers/{centre_id:int}", issuer, methods=["GET"]),
        Route(badges.PATH + "/status/{centre_id:int}", status, methods=["GET"]),
        Route(badges.PATH + "/credentials/{public_id:str}", credential, methods=["GET"]),
        Route(badges.PATH + "/share/{token:str}", share, methods=["GET"]),
    ])

