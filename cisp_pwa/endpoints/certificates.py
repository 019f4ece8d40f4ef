"""Her absence notice with the photo of a certificate, over HTTP (registered by endpoints/__init__.py).

- POST /certificate?day=<YYYY-MM-DD>&presence=absent&reason=<code>&late=<minutes>: the photo as
  the request body (its type as Content-Type; the phone shrinks it below 2 MiB first,
  components/certificates.jsx). She announces her absence (or lateness) with it, in one step
  (services/hours/notices.announce). Answers {"id": <notice id>, "certificate": <its id>}, or an
  error code the page turns into words: 400 not a day, reason or photo we keep, 401 not signed
  in, 403 not hers to say, 413 too big.
- GET /certificate/<id>: the photo, for her, her coaches and her centre's admin only (403 for
  anyone else, her trainer too, and for ids that are not a certificate), never kept by a cache;
  each opening by someone else is audited (notices.certificate).

Like /voice, both take the session token in `Authorization: Bearer <token>` (the page reads it
from local storage): no cookie, so another site cannot make a browser send it, and the address
alone is useless. The page shows the answer from a blob: URL. Nothing here logs who or why.
"""

from __future__ import annotations

from datetime import date

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cisp_pwa.models import CERTIFICATE_MAX_BYTES
from cisp_pwa.services.errors import AccessDenied, ServiceError
from cisp_pwa.services.hours import notices

from . import bearer

PATH = "/certificate"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


async def upload(request: Request) -> Response:
    actor = await bearer.bearer_actor(request)
    if actor is None:
        return bearer.error(401, "not_signed_in")
    query = request.query_params
    day, late = _day(query.get("day", "")), bearer.whole(query.get("late", "0"))
    if day is None:
        return bearer.error(400, "hours_day_invalid")
    if late is None:
        return bearer.error(400, "hours_late_minutes")
    data = await bearer.body(request, CERTIFICATE_MAX_BYTES)
    if data is None:
        return bearer.error(413, "certificate_too_big")
    try:
        notice = await run_in_threadpool(notices.announce, actor, day, query.get("presence", ""),
                                         query.get("reason", ""), late,
                                         (request.headers.get("content-type", ""), data))
    except ServiceError as exc:
        return bearer.refused(exc, too_big=frozenset({"certificate_too_big"}))
    return JSONResponse({"id": notice.id, "certificate": notice.certificate_id}, headers=bearer.NO_STORE)


async def download(request: Request) -> Response:
    actor = await bearer.bearer_actor(request)
    if actor is None:
        return bearer.error(401, "not_signed_in")
    try:
        mime, data = await run_in_threadpool(notices.certificate, actor, request.path_params["certificate_id"])
    except AccessDenied:
        return bearer.error(403, "access_denied")
    return Response(data, media_type=mime, headers=bearer.NO_STORE)


def api() -> Starlette:
    """The routes, in front of Reflex's own app (which Reflex mounts below them)."""
    return Starlette(routes=[
        Route(PATH, upload, methods=["POST"]),
        Route(PATH + "/{certificate_id:int}", download, methods=["GET"]),
    ])
