"""Secrets a handler shows once: the authenticator app's set-up (QR code, key to type), the
recovery codes, a staff member's enrolment link. They never enter a state var (the server keeps
its states, see ARCHITECTURE): the handler sends them once, in a script that writes them into
elements of the page by id (components/second_factor.py and components/enrolment.py draw those
elements with these ids); leaving the step unmounts them.
"""

from __future__ import annotations

import json

import reflex as rx
import segno

from cisp_pwa.services.people.enrolment import EnrolmentLink
from cisp_pwa.services.people.second_factor import Setup

SECOND_FACTOR_QR_ID, SECOND_FACTOR_KEY_ID, RECOVERY_CODES_ID = "second-factor-qr", "second-factor-key", "recovery-codes"
ENROL_CARD_ID, ENROL_QR_ID, ENROL_URL_ID, ENROL_COPIED_ID = "enrol-link", "enrol-qr", "enrol-url", "enrol-copied"

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

# After the link is written: its card comes into view (the admin may have tapped far below).
_SHOW_ENROL_CARD = """(function (tries) {
  function go() {
    var card = document.getElementById(%(card)r), url = document.getElementById(%(url)r);
    if ((!card || !url || !url.textContent) && tries-- > 0) { return setTimeout(go, 25); }
    var said = document.getElementById(%(copied)r); if (said) { said.hidden = true; }
    if (card) { card.scrollIntoView({block: "start"}); card.focus({preventScroll: true}); }
  }
  go();
})(200)""" % {"card": ENROL_CARD_ID, "url": ENROL_URL_ID, "copied": ENROL_COPIED_ID}


def reveal(values: list[list]) -> rx.event.EventSpec:
    """Write secrets into elements by id, never through a state var: [[id, "src" | "text" |
    "list", value], ...]."""
    return rx.call_script(_REVEAL % json.dumps(values))


def reveal_setup(setup: Setup) -> rx.event.EventSpec:
    key = " ".join(setup.secret[i:i + 4] for i in range(0, len(setup.secret), 4))
    qr = segno.make(setup.uri, error="m").svg_data_uri(scale=5, border=2)
    return reveal([[SECOND_FACTOR_QR_ID, "src", qr], [SECOND_FACTOR_KEY_ID, "text", key]])


def reveal_codes(codes: list[str]) -> rx.event.EventSpec:
    return reveal([[RECOVERY_CODES_ID, "list", codes]])


def reveal_link(link: EnrolmentLink) -> list[rx.event.EventSpec]:
    qr = segno.make(link.url, error="m").svg_data_uri(scale=5, border=2)
    return [reveal([[ENROL_QR_ID, "src", qr], [ENROL_URL_ID, "text", link.url]]), rx.call_script(_SHOW_ENROL_CARD)]
