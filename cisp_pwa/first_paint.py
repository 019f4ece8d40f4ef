"""The prerendered screens paint before the app's code loads (issue 12).

Each page is prerendered with its whole content, but React Router's HTML names every built
module in <head> (`<link rel="modulepreload">`, 15 to 20 of them, about 190 KiB) and starts them
with an async module script. Those requests all go out with the stylesheet, at high priority: on
a slow phone network they share the bandwidth with the stylesheet, and the browser runs them
before its first paint. Lighthouse's simulation counts them as blocking the paint for the same
reason: measured, the first paint of sign-in waited about 2 s after the HTML had arrived.

After the production build (a Reflex plugin's post_build, before the files are compressed),
each HTML file is rewritten:
- the modulepreload links leave <head> and wait, unchanged, in a <template> (inert: nothing is
  fetched) where the module script was; the service worker still finds every built file a
  screen needs in its HTML (assets/sw.js reads `href="/assets/..."`);
- React Router's async module script, unchanged, loads the modules by their imports: they go
  out after the stylesheet and, on a fast device, after the first paint. The page's load event
  still waits for them (tests, and a person, act on a hydrated page once it has loaded).
  Starting them only after the first paint (from a requestAnimationFrame) was tried: the load
  event then came before hydration, and a form sent before it went natively, its fields in the
  address.
The head script that sets lang and dir still runs before the first paint (it is a classic
script in <head>, untouched); the CSP already allows inline scripts.
"""

from __future__ import annotations

import re
from pathlib import Path

from reflex.plugins import Plugin

PRELOAD = re.compile(r'<link rel="modulepreload" href="(/assets/[^"]+)"/>')
MODULE = re.compile(r'<script type="module" async="">(.*?)</script>', re.S)
TEMPLATE_ID = "cisp-modules"


def after_first_paint(html: str) -> str:
    """The page without modulepreload links in <head>: they wait, inert, in a template just
    before React Router's module script (unchanged), which loads the modules itself; unchanged
    when the page has no such script (or was rewritten already)."""
    if len(MODULE.findall(html)) != 1 or TEMPLATE_ID in html:
        return html
    links = "".join(m.group(0) for m in PRELOAD.finditer(html))
    html = PRELOAD.sub("", html)
    m = MODULE.search(html)
    return html[:m.start()] + f'<template id="{TEMPLATE_ID}">{links}</template>' + html[m.start():]


class FirstPaintPlugin(Plugin):
    """Rewrites the built HTML files (after_first_paint)."""

    def post_build(self, **context) -> None:
        static_dir = Path(context["static_dir"])
        for path in static_dir.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            rewritten = after_first_paint(text)
            if rewritten != text:
                path.write_text(rewritten, encoding="utf-8")
