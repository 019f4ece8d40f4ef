"""The Reflex app: pages per locale, a head script for language and direction at first paint."""

from __future__ import annotations

import json
import os

import reflex as rx

from cisp_pwa import reflex_internals

# Before anything builds on them: a Reflex without the internals the app uses (an upgrade that
# renamed one) would run with screens quietly broken. Refused loudly, in development too.
if _refused := reflex_internals.refusal():
    raise SystemExit(_refused)

from cisp_pwa import checks, endpoints, i18n, logs, pages, pwa, routes, settings, socket_entrance  # noqa: E402
from cisp_pwa.models import Role  # noqa: E402
from cisp_pwa.services.infra import db, push_sender  # noqa: E402

# Runs in <head> before the first paint: the locale is the first path segment, so <html lang dir>
# are right before anything shows; "/" goes to the language kept on the device (else the phone's).
# The server answers "/" itself first (endpoints/root.py: the kept cookie, else Accept-Language), for
# phones without scripts; this path stays for a "/" served from the phone's copy.
_LOCALE_SCRIPT = """
(function () {
  var L = %(locales)s, RTL = %(rtl)s, KEY = "cisp_locale", seg = location.pathname.split("/")[1];
  var store; try { store = window.localStorage; } catch (e) {}
  var html = document.documentElement;
  // The browser's offer to install the app may come on any screen: kept for the trainee's home.
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    window.cispInstallEvent = event;
    window.dispatchEvent(new Event("cisp-install-ready"));
  });
  if ("serviceWorker" in navigator) {  // installable, and opens without network (assets/sw.js)
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js?v=%(version)s");
      // Keep this language's trainee screens and sign-in on the phone, to open offline
      // (the service worker fetches only those it does not have yet: prepaid data).
      if (L.indexOf(seg) < 0) return;
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active) reg.active.postMessage({ type: "keep-screens", paths: %(kept)s.map(function (p) {
          return "/" + seg + "/" + p + "/";
        }) });
      });
    });
  }
  try {  // display settings kept on this phone: text size, read-aloud buttons
    var size = store.getItem("cisp_text_size"), listen = store.getItem("cisp_read_aloud");
    if (size === "large" || size === "xlarge") html.dataset.textSize = size;
    if (listen === "off") html.dataset.readAloud = "off";
  } catch (e) {}
  if (L.indexOf(seg) < 0) {
    if (location.pathname === "/") {
      var kept = store && store.getItem(KEY), pick = null;
      if (L.indexOf(kept) >= 0) pick = kept;
      (navigator.languages || []).forEach(function (l) {
        var c = String(l).slice(0, 2).toLowerCase();
        if (!pick && L.indexOf(c) >= 0) pick = c;
      });
      location.replace("/" + (pick || "%(default)s") + "/");
    }
    return;
  }
  html.lang = seg;
  html.dir = RTL.indexOf(seg) >= 0 ? "rtl" : "ltr";
  try { store.setItem(KEY, seg); } catch (e) {}
  try {  // the same choice for the server's answer to "/" (endpoints/root.py): the language only
    document.cookie = KEY + "=" + seg + "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  } catch (e) {}
})();
""" % {
    "locales": json.dumps(list(i18n.LOCALES)),
    "rtl": json.dumps(sorted(i18n.RTL_LOCALES)),
    "default": i18n.DEFAULT_LOCALE,
    "version": pwa.app_version(),
    "kept": json.dumps([routes.SIGN_IN, *routes.SCREENS_OF[Role.trainee]]),
}



_USE_LOCATION = {"react-router": ["useLocation"]}  # what the route's expressions import


def _route_locale_code(rtl: bool) -> str:
    seg = 'useLocation().pathname.split("/")[1]'
    known = f"{json.dumps(list(i18n.LOCALES))}.includes({seg})"
    return (
        f'({json.dumps(sorted(i18n.RTL_LOCALES))}.includes({seg}) ? "rtl" : "ltr")'
        if rtl
        else f'({known} ? {seg} : "{i18n.DEFAULT_LOCALE}")'
    )


def _locale_from_route(rtl: bool) -> rx.Var:
    """<html lang dir> from the route, rendered by React: right in the prerendered HTML and
    kept right on client-side navigation (a static html_lang would be French everywhere)."""
    return reflex_internals.js_expression(_route_locale_code(rtl), _USE_LOCATION)


def _manifest_for_route() -> rx.Var:
    """The manifest of the screen's language (assets/manifest-<locale>.webmanifest): the
    installed app then starts in the language it was installed in."""
    code = f'("/manifest-" + {_route_locale_code(rtl=False)} + ".webmanifest")'
    return reflex_internals.js_expression(code, _USE_LOCATION)


db.configure()
push_sender.wire()  # the pushes actions queue are sent from this process
logs.install()  # no payload, token or content in the log
if settings.production() and not os.environ.get("CISP_BUILD") and not os.environ.get("CISP_CHECKED"):
    # However it was started, production never runs on an old schema, beside the demo's public
    # passwords, or with keys another machine would not share (`cisp serve` checked just before
    # starting its workers, and says so: they do not check again).
    if refused := checks.refusals():
        raise SystemExit("not started: " + "; ".join(str(line) for line in refused))
    # Granian forks its workers after this import: no database connection may cross the fork.
    db.engine().dispose()

app = rx.App(
    stylesheets=["/cisp.css"],
    head_components=[
        rx.el.script(_LOCALE_SCRIPT),
        rx.el.meta(name="theme-color", content="#115e59"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.link(rel="manifest", href=_manifest_for_route()),
        rx.el.link(rel="apple-touch-icon", href="/icon-192.png"),
    ],
    html_custom_attrs={"lang": _locale_from_route(rtl=False), "dir": _locale_from_route(rtl=True)},
    # Voice messages, the public Open Badges routes and "/" in the phone's language, in front of
    # Reflex's own routes; then CSP, no framing, nosniff, no referrer... on pages, built files,
    # the socket and those (endpoints/).
    api_transformer=endpoints.transformers(),
    backend_exception_handler=logs.on_backend_error,
)
reflex_internals.keep_app(app)  # live screens ask it whether their tab is still connected
# Text no handler sees (router data, Reflex's own handlers) is checked as it comes in.
socket_entrance.install(app)
# Reflex's own connection toast and pulse speak English to everyone and fail the contrast rules;
# the screens say it themselves, in the person's language (components/offline.jsx).
reflex_internals.drop_connection_overlay(app)
pages.register(app)
