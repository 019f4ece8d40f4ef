"""The installable app: the offline screen (assets/offline.html) and one web app manifest per
language (assets/manifest-<locale>.webmanifest), written from the catalogs.

The offline screen is a static page the service worker keeps; it shows the words of the
language kept on the phone. Each screen names the manifest of its language, so the installed app
starts in that language. Regenerate both with `python -m cisp_pwa.pwa` after a catalog change
(`make i18n` does it); a test fails when they are out of date.
"""

from __future__ import annotations

import hashlib
import json

from cisp_pwa import i18n, settings

ASSETS = settings.PROJECT_DIR / "assets"
OFFLINE_PAGE = ASSETS / "offline.html"
ICONS = [
    {"src": "/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {"src": "/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]


def manifest_path(locale: str):
    return ASSETS / f"manifest-{locale}.webmanifest"


def manifest(locale: str) -> str:
    """The manifest of one language. The same `id` in every language: one app, whichever
    language it was installed in."""
    _ = i18n.gettext_for(locale)
    data = {
        "id": "/",
        "name": "CISP Parcours",
        "short_name": "Parcours",
        "description": " · ".join([_("Mon parcours"), _("Mes objectifs"), _("Mes compétences"), _("Mes messages")]),
        "lang": locale,
        "dir": i18n.direction(locale),
        "start_url": f"/{locale}/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fafaf9",
        "theme_color": "#115e59",
        "icons": ICONS,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def app_version() -> str:
    """A digest of every file the app is built from. The service worker is registered under it,
    so each new version brings a new worker, whose cache replaces the old one whole: a phone
    never mixes files of two versions."""
    digest = hashlib.sha256()
    roots = [settings.PROJECT_DIR / "cisp_pwa", settings.PROJECT_DIR / "assets"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "external" not in path.parts and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.PROJECT_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def offline_words(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "title": _("Pas de connexion internet"),
        "body": _("Vos objectifs, vos compétences et vos messages déjà vus restent lisibles. "
                  "Ce que vous écrivez part quand internet revient."),
        "retry": _("Réessayer"),
    }


def offline_page() -> str:
    words = {loc: offline_words(loc) for loc in i18n.LOCALES}
    rtl = sorted(i18n.RTL_LOCALES)
    return f"""<!DOCTYPE html>
<html lang="fr" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#115e59">
<title>CISP Parcours</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 0; background: #fafaf9; color: #0f172a; font-size: 1.125rem; }}
  main {{ max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem; }}
  h1 {{ font-size: 1.5rem; }}
  button {{ min-height: 3rem; padding: 0 1.25rem; border: 0; border-radius: .75rem; background: #115e59;
           color: #fff; font-size: 1.125rem; font-weight: 600; }}
  button:focus-visible {{ outline: 3px solid #b45309; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
  <p><img src="/icon-192.png" alt="" width="64" height="64"></p>
  <h1 id="offline-title"></h1>
  <p id="offline-body"></p>
  <button type="button" id="offline-retry" onclick="location.reload()"></button>
</main>
<script>
(function () {{
  var WORDS = {json.dumps(words, ensure_ascii=False)};
  var RTL = {json.dumps(rtl)};
  var loc = "fr";
  try {{ loc = localStorage.getItem("cisp_locale") || "fr"; }} catch (e) {{}}
  var seg = location.pathname.split("/")[1];
  if (WORDS[seg]) loc = seg;
  if (!WORDS[loc]) loc = "fr";
  var w = WORDS[loc];
  document.documentElement.lang = loc;
  document.documentElement.dir = RTL.indexOf(loc) >= 0 ? "rtl" : "ltr";
  document.title = w.title + " — CISP Parcours";
  document.getElementById("offline-title").textContent = w.title;
  document.getElementById("offline-body").textContent = w.body;
  document.getElementById("offline-retry").textContent = w.retry;
}})();
</script>
</body>
</html>
"""


if __name__ == "__main__":
    OFFLINE_PAGE.write_text(offline_page(), encoding="utf-8")
    for loc in i18n.LOCALES:
        manifest_path(loc).write_text(manifest(loc), encoding="utf-8")
    print(f"wrote {OFFLINE_PAGE} and {len(i18n.LOCALES)} manifests")
