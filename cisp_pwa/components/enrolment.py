"""A staff member's enrolment link as shown to the admin who made it: QR code, the link, "valid 24
hours", a copy button. The link is a secret for 24 hours: it never enters a state var; the handler
sends it once in a script that writes it into these elements (state/reveal.py)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.state import reveal

from . import kit

# Copy the link; where the clipboard is refused (no https), select it so a long press copies it.
_COPY = """(function () {
  var text = document.getElementById(%(url)r), said = document.getElementById(%(copied)r);
  if (!text) { return; }
  function select() {
    var range = document.createRange(); range.selectNodeContents(text);
    var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  }
  function done() { if (said) { said.hidden = false; } }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text.textContent).then(done, select);
  } else { select(); }
})()""" % {"url": reveal.ENROL_URL_ID, "copied": reveal.ENROL_COPIED_ID}


def enrolment_link_card(locale: str, state) -> rx.Component:
    """Shown while `state.enrol_for` names the person; `state.enrol_reset`: her access was reset."""
    _ = i18n.gettext_for(locale)
    return rx.cond(
        state.enrol_for != "",
        rx.el.div(
            rx.el.h2(rx.icon("link", size=22, aria_hidden="true", class_name="shrink-0"),
                     rx.el.span(_("Lien d'inscription pour"), " ", state.enrol_for),
                     class_name="flex items-center gap-2 text-xl font-bold"),
            rx.el.p(rx.cond(state.enrol_reset,
                            _("Donnez ce lien à la personne. Elle choisit un nouveau mot de passe."),
                            _("Donnez ce lien à la personne. Elle choisit son mot de passe, puis installe "
                              "une application de vérification.")),
                    class_name="text-base"),
            rx.el.img(id=reveal.ENROL_QR_ID,
                      alt=_("Code QR du lien d'inscription, à scanner avec le téléphone de la personne"),
                      class_name="w-56 h-56 bg-white self-center"),
            rx.el.p(rx.icon("clock", size=20, aria_hidden="true", class_name="shrink-0"),
                    _("Valable 24 heures, une seule fois."),
                    class_name="flex items-center gap-2 font-semibold", id="enrol-valid"),
            rx.el.p(id=reveal.ENROL_URL_ID, dir="ltr",
                    class_name="font-mono text-base break-all rounded-lg bg-slate-100 p-2"),
            rx.el.button(rx.icon("copy", size=20, aria_hidden="true"), _("Copier le lien"),
                         on_click=rx.call_script(_COPY), id="enrol-copy", type="button",
                         class_name=kit.PRIMARY + " self-start"),
            rx.el.p(rx.icon("check", size=20, aria_hidden="true", class_name="inline me-1"), _("Lien copié."),
                    id=reveal.ENROL_COPIED_ID, hidden=True, role="status", class_name="text-emerald-900 font-semibold"),
            rx.el.button(_("Fermer"), on_click=state.close_link, id="enrol-link-close",
                         class_name=kit.SECONDARY + " self-start"),
            id=reveal.ENROL_CARD_ID, tab_index=-1,
            class_name="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm border-2 border-teal-800",
        ),
    )
