"""Voice messages over HTTP, on the backend (registered by endpoints/__init__.py).

- POST /voice?trainee=<id>: the recording as the request body (its type as Content-Type), the
  phone's id for it in `X-Client-Id`, its length in `X-Duration-Ms`. Answers {"id": ...}, or an
  error code the page turns into words (components/voice_recorder.jsx): 400 not a recording we
  keep, 401 not signed in, 403 not this person's conversation, 413 too big, 429 too many.
- GET /voice/<message id>: the recording, for the members of its conversation only (403 for
  anyone else, and for ids that are not a voice message), never kept by a cache. The page asks
  for it only when the person taps play: fetched by the other side (a GET, once the bytes are
  sent; never a HEAD), it marks the message listened ("Écouté" on the sender's screens).

Both take the session token in `Authorization: Bearer <token>` (the page reads it from local
storage, as the socket does): no cookie, so another site cannot make a browser send it, and the
address alone is useless. The page turns the answer into a blob: URL for its <audio> element.
Nothing here logs what was said or who.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cisp_pwa.services.conversations import voice
from cisp_pwa.services.errors import AccessDenied, ServiceError

from . import bearer

PATH = "/voice"
async def upload(request: Request) -> Response:
    actor = await bearer.bearer_actor(request)
    if actor is None:
        return bearer.error(401, "not_signed_in")
    trainee_id = bearer.whole(request.query_params.get("trainee", ""))
    duration_ms = bearer.whole(request.headers.get("x-duration-ms", ""))
    if trainee_id is None or duration_ms is None:
        return bearer.error(400, "bad_request")
    data = await bearer.body(request, voice.MAX_BYTES)
    if data is None:
        return bearer.error(413, "voice_too_big")
    try:
        sent = await run_in_threadpool(voice.send_voice, actor, trainee_id, request.headers.get("x-client-id", ""),
                                       request.headers.get("content-type", ""), data, duration_ms)
    except ServiceError as exc:
        return bearer.refused(exc)
    return JSONResponse({"id": sent.id, "client_id": sent.client_id}, headers=bearer.NO_STORE)


async def download(request: Request) -> Response:
    actor = await bearer.bearer_actor(request)
    if actor is None:
        return bearer.error(401, "not_signed_in")
    try:
        mime, data = await run_in_threadpool(voice.audio_for, actor, request.path_params["message_id"])
    except AccessDenied:
        return bearer.error(403, "access_denied")
    # Only a GET that sends the bytes marks it listened, once they are sent: a HEAD (which
    # Starlette answers here too, without the body) hears nothing.
    listened = BackgroundTask(voice.mark_listened, actor, request.path_params["message_id"])
    return Response(data, media_type=mime, headers=bearer.NO_STORE, background=listened if request.method == "GET" else None)


def api() -> Starlette:
    """The routes, in front of Reflex's own app (which Reflex mounts below them)."""
    return Starlette(routes=[
        Route(PATH, upload, methods=["POST"]),
        Route(PATH + "/{message_id:int}", download, methods=["GET"]),
    ])
