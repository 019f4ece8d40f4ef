"""The authenticator app's set-up (QR code, key to type, first code) and the recovery codes.

The app's secret and the recovery codes are secrets: they never enter a state var (the
server keeps its states, see ARCHITECTURE). The handler sends them once, in a script that
writes them into these elements (`reveal`); leaving the step unmounts them.
"""

from __future__ import annotations

import json

import reflex as rx
import segno

from cisp_pwa import i18n
from cisp_pwa.services.second_factor import Setup

from . import kit

QR_ID, KEY_ID, CODES_ID = "second-factor-qr", "second-factor-key", "recovery-codes"

# Writes values into elements that may mount a moment after the event's answer.
_REVEAL = """(function (values, tries) {
  function put() {
    var missing = values.filter(function (v) { return !document.getElementById(v[0]); });
    if (missing.length && tries-- > 0) { return setTimeout(put, 25); }
    values.forEach(function (v) {
      var el = document.getElementById(v[0]);
      if (!el) { return; }
      if (v[1] === "src") { el.src = v[2]; }
      else if (v[1] === "list") {
        el.replaceChildren.apply(el, v[2].map(function (t) {
          var li = document.createElement("li"); li.textContent = t; return li; }));
      } else { el.textContent = v[2]; }
    });
  }
  put();
})(%s, 200)"""


def reveal(values: list[list]) -> rx.event.EventSpec:
    """Write secrets into elements by id, never through a state var: [[id, "src" | "text" |
    "list", value], ...] (also components/enrolment.py)."""
    return rx.call_script(_REVEAL % json.dumps(values))


def reveal_setup(setup: Setup) -> rx.event.EventSpec:
    key = " ".join(setup.secret[i:i + 4] for i in range(0, len(setup.secret), 4))
    qr = segno.make(setup.uri, error="m").svg_data_uri(scale=5, border=2)
    return reveal([[QR_ID, "src", qr], [KEY_ID, "text", key]])


def reveal_codes(codes: list[str]) -> rx.event.EventSpec:
    return reveal([[CODES_ID, "list", codes]])


def code_field(locale: str, *, recovery: bool) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return kit.field(
        _("Code de l'application") if not recovery else _("Code de l'application ou code de secours"),
        "second-factor-code", autocomplete="one-time-code", required=True, dir="ltr",
        input_mode="text" if recovery else "numeric", max_length=16 if recovery else 6,
        aria_describedby="second-factor-error", auto_capitalize="characters", spell_check=False,
    )


def set_up_panel(locale: str, on_submit, error: rx.Component) -> rx.Component:
    """Scan (or type the key), then type the first code the app shows."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        kit.subheading(_("Protégez votre compte avec une application")),
        rx.el.ol(
            rx.el.li(_("Ouvrez une application d'authentification (par exemple FreeOTP, Aegis ou Google Authenticator).")),
            rx.el.li(_("Scannez ce code QR, ou tapez la clé en dessous.")),
            rx.el.li(_("Tapez le code à 6 chiffres que l'application affiche.")),
            class_name="list-decimal ps-6 flex flex-col gap-1",
        ),
        rx.el.img(id=QR_ID, alt=_("Code QR à scanner avec l'application d'authentification"),
                  class_name="w-56 h-56 bg-white self-center"),
        rx.el.p(_("Clé :"), " ", rx.el.code(id=KEY_ID, dir="ltr", class_name="font-mono text-lg break-all")),
        rx.el.form(
            code_field(locale, recovery=False),
            error,
            rx.el.button(rx.icon("shield-check", size=20, aria_hidden="true"), _("Activer"),
                         type="submit", id="second-factor-submit", class_name=kit.PRIMARY + " w-full"),
            on_submit=on_submit, reset_on_submit=True, class_name="flex flex-col",
        ),
        id="second-factor-set-up", class_name="flex flex-col gap-3",
    )


def codes_panel(locale: str, on_done) -> rx.Component:
    """The recovery codes, shown once."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        kit.subheading(_("Vos codes de secours")),
        rx.el.p(_("Si vous perdez votre téléphone, chaque code vous connecte une seule fois. "
                  "Notez-les sur papier et gardez-les en lieu sûr. Ils ne seront plus affichés.")),
        rx.el.ol(id=CODES_ID, dir="ltr", class_name="grid grid-cols-2 gap-x-4 gap-y-1 font-mono text-lg list-none"),
        rx.el.button(rx.icon("check", size=20, aria_hidden="true"), _("Je les ai notés"),
                     on_click=on_done, id="recovery-codes-done", class_name=kit.PRIMARY + " w-full"),
        id="recovery-codes-panel", class_name="flex flex-col gap-3",
    )
