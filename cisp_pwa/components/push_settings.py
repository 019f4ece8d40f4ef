"""The "Notifications" card: a pictogram, a word and an on/off switch per kind. The switch is a
small React component (push_settings.jsx) because asking the person and subscribing the phone
happen in the browser, in the tap itself."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from cisp_pwa import i18n
from cisp_pwa.models import Role
from cisp_pwa.services.infra.push import KINDS_BY_ROLE, MESSAGE, VALIDATION
from cisp_pwa.state.push import PushSettingsState

from . import kit
from .reach import instruction

SWITCH = ("inline-flex items-center justify-center min-h-11 min-w-20 px-4 rounded-full border-2 font-bold "
          "focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 "
          "focus-visible:outline-amber-500 ")


class PushToggle(rx.Component):
    library = "$/public" + rx.asset("push_settings.jsx", shared=True)
    tag = "PushToggle"

    kind: rx.Var[str]
    on: rx.Var[bool]
    public_key: rx.Var[str]
    revision: rx.Var[int]
    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]
    labelled_by: rx.Var[str]
    on_enable: rx.EventHandler[passthrough_event_spec(str, str, str, str)]
    on_disable: rx.EventHandler[passthrough_event_spec(str)]
    on_problem: rx.EventHandler[passthrough_event_spec(str)]


def _kinds(locale: str) -> dict[str, tuple[str, str]]:
    _ = i18n.gettext_for(locale)
    return {MESSAGE: ("message-circle", _("Nouveaux messages")),
            VALIDATION: ("badge-check", _("Compétences validées"))}


def _row(locale: str, kind: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    icon, word = _kinds(locale)[kind]
    s = PushSettingsState
    return rx.el.li(
        rx.el.span(
            rx.icon(icon, size=26, aria_hidden="true", class_name="text-teal-800 shrink-0"),
            rx.el.span(word, id=f"push-label-{kind}"),
            class_name="flex items-center gap-2 font-semibold min-w-0",
        ),
        PushToggle.create(
            kind=kind, on=s.on.contains(kind), public_key=s.public_key, revision=s.revision,
            labelled_by=f"push-label-{kind}",
            labels={"on": _("Oui"), "off": _("Non"), "wait": _("Un instant…")},
            classes={"on": SWITCH + "bg-teal-800 border-teal-800 text-white",
                     "off": SWITCH + "bg-white border-slate-500 text-slate-800"},
            on_enable=PushSettingsState.enable, on_disable=PushSettingsState.disable,
            on_problem=PushSettingsState.report,
        ),
        class_name="flex items-center justify-between gap-3 min-h-12",
        data_push_row=kind,
    )


def push_card(locale: str, role: Role) -> rx.Component:
    """The card for a trainee (messages, validations) or a coach (messages)."""
    _ = i18n.gettext_for(locale)
    s = PushSettingsState
    return kit.card(
        rx.el.h2(rx.icon("bell", size=24, aria_hidden="true", class_name="text-teal-800"), _("Notifications"),
                 class_name="flex items-center gap-2 text-xl font-bold"),
        instruction(_("Votre téléphone vous prévient. Il ne montre jamais le texte ni les noms."), locale),
        rx.el.ul(*[_row(locale, kind) for kind in KINDS_BY_ROLE[role]], class_name="flex flex-col gap-2 mt-2"),
        rx.cond(
            s.problem != "",
            rx.el.p(
                rx.match(
                    s.problem,
                    ("unsupported", _("Ce téléphone ne peut pas recevoir de notifications ici.")),
                    ("denied", _("Les notifications sont bloquées. Vous pouvez les autoriser dans les réglages "
                                 "du navigateur.")),
                    _("Ça n'a pas marché. Réessayez plus tard."),
                ),
                role="status", id="push-problem",
                class_name="mt-2 rounded-xl border-s-4 p-3 text-base bg-amber-50 border-amber-700 text-amber-950",
            ),
        ),
        id="push-settings",
        on_mount=PushSettingsState.load,
    )
