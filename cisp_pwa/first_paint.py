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
- a small inline script starts the app once the page has painted (the frame after the first
  animation frame; at once when the page is hidden, as when it is prerendered): it puts the
  links back in <head>, so the modules load in parallel as before, and runs React Router's
  module script, unchanged.
The head script that sets lang and dir still runs before the first paint (it is a classic
script in <head>, untouched); the CSP already allows inline scripts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from reflex_base.plugins.base import Plugin

PRELOAD = re.compile(r'<link rel="modulepreload" href="(/assets/[^"]+)"/>')
MODULE = re.compile(r'<script type="module" async="">(.*?)</script>', re.S)
TEMPLATE_ID = "cisp-modules"
START = """<script>(function () {
  function start() {
    document.head.appendChild(document.getElementById("%(id)s").content.cloneNode(true));
    var s = document.createElement("script");
    s.type = "module";
    s.textContent = %(code)s;
    document.body.appendChild(s);
  }
  if (document.visibilityState === "hidden") start();
  else requestAnimationFrame(function () { setTimeout(start, 0); });
})();</script>"""


def after_first_paint(html: str) -> str:
    """The page with its modules started after its first paint; unchanged when it has no
    module script of React Router's (or was rewritten already)."""
    modules = MODULE.findall(html)
    if len(modules) != 1 or TEMPLATE_ID in html:
        return html
    links = "".join(m.group(0) for m in PRELOAD.finditer(html))
    code = json.dumps(modules[0]).replace("</", "<\\/")
    start = f'<template id="{TEMPLATE_ID}">{links}</template>' + START % {"id": TEMPLATE_ID, "code": code}
    html = PRELOAD.sub("", html)
    return MODULE.sub(lambda _: start, html, count=1)


class FirstPaintPlugin(Plugin):
    """Rewrites the built HTML files (after_first_paint)."""

    def post_build(self, **context) -> None:
        static_dir = Path(context["static_dir"])
        for path in static_dir.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            rewritten = after_first_paint(text)
            if rewritten != text:
                path.write_text(rewritten, encoding="utf-8")
