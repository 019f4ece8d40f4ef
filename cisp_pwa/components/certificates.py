"""Her absence with the photo of a certificate, and the photo opened (certificates.jsx): the photo
is taken, shrunk, sent and shown in the browser; the words come from here, in the person's
language."""

from __future__ import annotations

import reflex as rx
from reflex.event import no_args_event_spec, passthrough_event_spec

from cisp_pwa import i18n, words

from . import kit

_LIBRARY = "$/public" + rx.asset("certificates.jsx", shared=True)


class AbsenceSend(rx.Component):
    library = _LIBRARY
    tag = "AbsenceSend"

    day: rx.Var[str]
    presence: rx.Var[str]
    reason: rx.Var[str]
    minutes: rx.Var[int]
    photo: rx.Var[bool]
    labels: rx.Var[dict]
    classes: rx.Var[dict[str, str]]
    on_send: rx.EventHandler[no_args_event_spec]
    on_sent: rx.EventHandler[passthrough_event_spec(int)]


class CertificateView(rx.Component):
    library = _LIBRARY
    tag = "CertificateView"

    certificate_id: rx.Var[int]
    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]


def refusals(locale: str) -> dict[str, str]:
    """Why the server refused her notice (endpoints/certificates.py's codes), in plain words."""
    _ = i18n.gettext_for(locale)
    return {
        **words.common_errors(locale),
        **words.hours_errors(locale),
        "reason_missing": _("Choisissez pourquoi : touchez une image."),
        "access_denied": _("Ce n'est pas possible."),
        "not_allowed": _("Ce n'est plus possible : la situation a changé."),
        "not_signed_in": _("Vous n'êtes plus connecté. Reconnectez-vous, puis réessayez."),
    }


def absence_send(locale: str, day: rx.Var, presence: rx.Var, reason: rx.Var, minutes: rx.Var, photo: rx.Var,
                 on_send, on_sent) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return AbsenceSend.create(
        day=day, presence=presence, reason=reason, minutes=minutes, photo=photo, on_send=on_send, on_sent=on_sent,
        labels={
            "photoTitle": _("Un certificat ? Si vous en avez un, prenez-le en photo."),
            "camera": _("Prendre une photo"),
            "gallery": _("Choisir une photo"),
            "preview": _("La photo du certificat"),
            "remove": _("Enlever la photo"),
            "preparing": _("Préparation de la photo…"),
            "send": _("Envoyer"),
            "sending": _("Envoi…"),
            "chooseReason": _("Choisissez pourquoi : touchez une image."),
            "network": _("Pas de réseau : rien n'est parti. Réessayez quand le réseau revient."),
            "failed": _("Cela n'a pas marché. Réessayez dans un moment."),
            "notImage": _("Ce fichier n'est pas une photo."),
            "tooBig": _("La photo est trop grande (2 Mo au plus)."),
            "errors": refusals(locale),
        },
        classes={
            "wrapper": "flex flex-col gap-3 scroll-mb-24",
            "photo": "flex flex-col gap-2",
            "title": "font-semibold",
            "choices": "grid grid-cols-1 min-[360px]:grid-cols-2 gap-2",
            "pick": kit.SECONDARY.replace("px-5", "px-2") + " cursor-pointer text-center focus-within:outline "
                    "focus-within:outline-4 focus-within:outline-offset-2 focus-within:outline-amber-500",
            "picked": "flex flex-wrap items-end gap-3",
            "preview": "max-h-40 max-w-full rounded-xl border-2 border-slate-300",
            "remove": kit.SMALL_BUTTON + "border-slate-500 text-slate-800",
            "status": "text-base",
            "send": kit.PRIMARY + " w-full",
            "error": "rounded-xl border-s-4 p-3 text-lg bg-red-50 border-red-700 text-red-900",
        },
    )


def certificate_view(locale: str, certificate_id: rx.Var) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return CertificateView.create(
        certificate_id=certificate_id,
        labels={
            "show": _("Voir le certificat"),
            "hide": _("Fermer le certificat"),
            "alt": _("La photo du certificat"),
            "failed": _("Le certificat ne peut pas s'ouvrir. Réessayez."),
        },
        classes={
            "wrapper": "flex flex-col items-start gap-2",
            "button": kit.SMALL_BUTTON + "border-teal-800 text-teal-900",
            "image": "max-w-full max-h-[70vh] rounded-xl border-2 border-slate-300",
            "error": "text-base font-semibold text-red-900",
        },
    )
