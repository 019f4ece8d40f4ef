"""What the HTTP routes that answer a signed-in person share (voice, certificates, hours' files):
who asks, from `Authorization: Bearer <session token>` (no cookie: another site cannot make a
browser send it), answers no cache keeps, an error as a code the page words, a body read only
up to its limit."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from cisp_pwa.services.actor import Actor
from cisp_pwa.services.errors import AccessDenied, InvalidInput, ServiceError, Throttled
from cisp_pwa.services.people import auth

NO_STORE = {"Cache-Control": "private, no-store", "Vary": "Authorization"}


def error(status: int, code: str) -> JSONResponse:
    return JSONResponse({"error": code}, status_code=status, headers=NO_STORE)


def refused(exc: ServiceError, too_big: frozenset[str] = frozenset()) -> JSONResponse:
    """A service's refusal as an answer: 403 not hers, 429 too many (with when to try again),
    413 for the codes in `too_big`, else 400 with its code."""
    if isinstance(exc, AccessDenied):
        return error(403, "access_denied")
    if isinstance(exc, Throttled):
        response = error(429, exc.code)
        response.headers["Retry-After"] = str(exc.details.get("retry_after", 60))
        return response
    if isinstance(exc, InvalidInput) and exc.code in too_big:
        return error(413, exc.code)
    return error(400, exc.code)


async def bearer_actor(request: Request) -> Actor | None:
    """Who asks (None: nobody signed in)."""
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer ") or len(header) > 300:
        return None
    return await run_in_threadpool(auth.actor_for_token, header[len("Bearer "):].strip())


async def body(request: Request, maximum: int) -> bytes | None:
    """The request body, or None as soon as it passes `maximum` bytes (never read whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > maximum:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > maximum:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def whole(value: str) -> int | None:
    """A positive whole number from a query or a header, or None."""
    return int(value) if value.isdigit() and len(value) <= 15 else None
