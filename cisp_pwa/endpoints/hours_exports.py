"""The hours' files over HTTP, on the backend (registered by endpoints/__init__.py):

- GET /exports/hours/<group id>/<month>.csv and .xlsx: a group's month (services/hours/exports.py),
  for the admin of its centre;
- GET /exports/attestation/<trainee id>/<month or "pathway">.pdf: her attendance certificate, for
  her, her coach and her centre's admin.

With the session token in `Authorization: Bearer <token>`, as the voice messages (endpoints/voice.py):
no cookie, so another site cannot make a browser ask, and the address alone is useless. The page
fetches the file and saves it (components/downloads.jsx). 401 without a session, 403 for anyone
else and for ids that are not theirs, 400 for a month that is not one; never kept by a cache.
Every file made is audited by the service; nothing here logs who or what.
"""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cisp_pwa.documents.passport_pdf import FontMissing
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import exports

from . import bearer

PATH = exports.PATH
month_path, attestation_path = exports.month_path, exports.attestation_path
PDF = "application/pdf"
logger = logging.getLogger(__name__)


def _file(name: str, mime: str, data: bytes) -> Response:
    return Response(data, media_type=mime, headers={
        **bearer.NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'})


async def _answer(request: Request, make) -> Response:
    actor = await bearer.bearer_actor(request)
    if actor is None:
        return bearer.error(401, "not_signed_in")
    try:
        return _file(*await run_in_threadpool(make, actor))
    except AccessDenied:
        return bearer.error(403, "access_denied")
    except InvalidInput as exc:
        return bearer.error(400, exc.code)
    except FontMissing:
        logger.error("the PDF font is missing: install fonts-dejavu-core or set CISP_PDF_FONT")
        return bearer.error(503, "pdf_font_missing")


async def month(request: Request) -> Response:
    group_id, name, kind = request.path_params["group_id"], request.path_params["month"], request.path_params["kind"]
    return await _answer(request, lambda actor: exports.month_file(actor, group_id, name, kind))


async def attestation(request: Request) -> Response:
    trainee_id, period = request.path_params["trainee_id"], request.path_params["period"]
    return await _answer(request, lambda actor: _pdf(actor, trainee_id, period))


def _pdf(actor, trainee_id: int, period: str) -> tuple[str, str, bytes]:
    name, data = exports.attestation_file(actor, trainee_id, period)
    return name, PDF, data


def api() -> Starlette:
    """The routes, in front of Reflex's own app (which Reflex mounts below them)."""
    return Starlette(routes=[
        Route(PATH + "/hours/{group_id:int}/{month:str}.{kind:str}", month, methods=["GET"]),
        Route(PATH + "/attestation/{trainee_id:int}/{period:str}.pdf", attestation, methods=["GET"]),
    ])
