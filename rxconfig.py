"""Reflex configuration. Ports and origins come from the environment, with local defaults."""

import os

import reflex as rx

from cisp_pwa import settings
from cisp_pwa.first_paint import FirstPaintPlugin

PORT = int(os.environ.get("CISP_PORT", "3000"))
# The app's own origins, never "*": a page elsewhere must not drive a signed-in user's socket.
ORIGINS = os.environ.get("CISP_ORIGINS", f"http://localhost:{PORT},http://127.0.0.1:{PORT}").split(",")

# `reflex run --env prod --backend-only` (another app machine behind the same address, the
# frontend served elsewhere) must not name a frontend port: set CISP_BACKEND_ONLY=1 for it.
BACKEND_ONLY = os.environ.get("CISP_BACKEND_ONLY") == "1"

# A release (`cisp build`) is built for its public address: the page opens its socket there
# (wss://<public host>/_event, through the proxy). Unset: this machine's port, as `make run` serves.
PUBLIC = {"api_url": os.environ["CISP_PUBLIC_URL"]} if os.environ.get("CISP_PUBLIC_URL") else {}

config = rx.Config(
    app_name="cisp_pwa",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=None if BACKEND_ONLY else PORT,
    backend_port=PORT,
    redis_url=settings.redis_url(),
    # One process: client states live in its memory, never in files on disk (they hold what
    # the screens show). With Redis (several workers) they live in Redis, without the token.
    state_manager_mode="redis" if settings.redis_url() else "memory",
    cors_allowed_origins=ORIGINS,
    # The prerendered screens paint before the app's code loads (cisp_pwa/first_paint.py).
    plugins=[rx.plugins.TailwindV4Plugin(), FirstPaintPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
    **PUBLIC,
)
