"""Voice messages on screen (voice_recorder.jsx): the recorder beside the message box, and the
player of a voice message in the thread. Recording and playing happen in the browser; the words
come from here, in the person's language."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, words
from cisp_pwa.services.conversations import voice

from . import kit

_LIBRARY = "$/public" + rx.asset("voice_recorder.jsx", shared=True)


class VoiceRecorder(rx.Component):
    library = _LIBRARY
    tag = "VoiceRecorder"

    trainee: rx.Var[int]
    loaded: rx.Var[bool]
    labels: rx.Var[dict]
    classes: rx.Var[dict[str, str]]


class VoicePlayer(rx.Component):
    library = _LIBRARY
    tag = "VoicePlayer"

    message_id: rx.Var[int]
    duration: rx.Var[str]
    duration_ms: rx.Var[int]
    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]


def refusals(locale: str) -> dict[str, str]:
    """Why the server refused a recording (endpoints/voice.py's codes), in plain words."""
    _ = i18n.gettext_for(locale)
    damaged = _("Cet enregistrement est abîmé. Recommencez avec le bouton Parler.")
    return {
        **words.common_errors(locale),
        "voice_type": _("Ce type de son n'est pas accepté. Recommencez avec le bouton Parler."),
        "voice_not_audio": _("Ce fichier n'est pas un enregistrement. Recommencez avec le bouton Parler."),
        "voice_empty": _("L'enregistrement est vide. Appuyez sur Parler, puis parlez."),
        # Its length cannot be read, or is not the one the phone gave: cut off, or made up.
        "voice_unreadable": damaged,
        "voice_length_mismatch": damaged,
        "voice_too_big": _("L'enregistrement est trop lourd. Faites-en un plus court."),
        "voice_too_long": _("L'enregistrement est trop long : %(n)s minutes au plus.") % {
            "n": voice.MAX_DURATION_MS // 60_000},
        "too_many_messages": _("Beaucoup de messages d'un coup. Attendez une minute, puis réessayez."),
        "access_denied": _("Ce message ne peut pas partir dans cette conversation."),
        "not_signed_in": _("Vous n'êtes plus connecté. Reconnectez-vous, puis réessayez."),
        "client_id_invalid": words.common_errors(locale)["bad_request"],
        "client_id_reused": words.common_errors(locale)["bad_request"],
    }


def voice_recorder(locale: str, trainee: rx.Var, loaded: rx.Var) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return VoiceRecorder.create(
        trainee=trainee,
        loaded=loaded,
        labels={
            # Not "Enregistrer": the catalogs say "Save" for that word (forms).
            "record": _("Parler"),
            "recording": _("Enregistrement…"),
            "stop": _("Arrêter"),
            "listen": _("Écouter"),
            "pause": _("Pause"),
            "send": _("Envoyer"),
            "sendVoice": _("Envoyer le message vocal"),
            "sending": _("Envoi…"),
            "cancel": _("Annuler"),
            "cancelVoice": _("Annuler le message vocal"),
            "failed": _("Le message vocal n'est pas parti. Réessayez."),
            "network": _("Pas de réseau : le message vocal n'est pas parti. Réessayez quand le réseau revient."),
            "denied": _("Le micro est bloqué. Pour l'autoriser : touchez le cadenas à côté de l'adresse, "
                        "puis Micro, puis Autoriser. Vous pouvez aussi écrire votre message."),
            "noMic": _("Ce téléphone n'a pas de micro disponible. Vous pouvez écrire votre message."),
            "unsupported": _("Ce navigateur ne peut pas enregistrer. Vous pouvez écrire votre message."),
            "errors": refusals(locale),
        },
        classes={
            # scroll-mb: brought into view above the trainee's tab bar (voice_recorder.jsx).
            "wrapper": "flex flex-col gap-2 scroll-mb-24",
            # As big as the text box is wide, as high as "Envoyer": easy to find without reading.
            "record": kit.SECONDARY + " w-full",
            "row": "flex flex-wrap items-center gap-3",
            "timer": "inline-flex items-center gap-2 text-lg font-semibold text-red-900",
            "dot": "inline-block size-3 rounded-full bg-red-700 motion-safe:animate-pulse",
            "stop": kit.BUTTON + " bg-red-800 text-white hover:bg-red-900",
            "review": "flex flex-col gap-3 rounded-xl border-2 border-teal-800 bg-teal-50 p-3",
            "play": kit.SECONDARY,
            "duration": "text-lg font-semibold tabular-nums",
            "actions": "grid grid-cols-2 gap-2",
            "cancel": kit.SECONDARY.replace("px-5", "px-2"),
            "send": kit.PRIMARY.replace("px-5", "px-2"),
            # scroll-mb: brought into view above the trainee's tab bar (voice_recorder.jsx).
            "error": "rounded-xl border-s-4 p-3 text-lg bg-red-50 border-red-700 text-red-900 scroll-mb-32",
        },
    )


def voice_player(locale: str, message_id: rx.Var, duration: rx.Var, duration_ms: rx.Var,
                 mine: rx.Var) -> rx.Component:
    _ = i18n.gettext_for(locale)
    play = ("inline-flex items-center justify-center size-12 shrink-0 rounded-full focus-visible:outline "
            "focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-amber-500 ")
    speed = "min-h-11 min-w-14 shrink-0 px-2 rounded-lg border-2 font-bold whitespace-nowrap "
    return VoicePlayer.create(
        message_id=message_id,
        duration=duration,
        duration_ms=duration_ms,
        labels={
            "play": _("Écouter le message vocal"),
            "pause": _("Pause"),
            "voice": _("Message vocal"),
            "loading": _("Chargement…"),
            "slower": _("Plus lent"),
            "failed": _("Le message vocal ne peut pas être lu. Réessayez."),
        },
        classes=rx.cond(
            mine,
            {"wrapper": "flex flex-wrap items-center gap-3", "play": play + "bg-white text-teal-900",
             "info": "flex flex-col gap-1", "row": "flex items-center gap-3",
             "duration": "text-base tabular-nums", "word": "font-semibold",
             "speed": speed + "border-white text-white",
             "track": "basis-full h-2 rounded-full bg-white/30 overflow-hidden", "fill": "h-full bg-white",
             "error": "basis-full text-base font-semibold"},
            {"wrapper": "flex flex-wrap items-center gap-3", "play": play + "bg-teal-800 text-white",
             "info": "flex flex-col gap-1", "row": "flex items-center gap-3",
             "duration": "text-base tabular-nums", "word": "font-semibold",
             "speed": speed + "border-teal-800 text-teal-900",
             "track": "basis-full h-2 rounded-full bg-slate-200 overflow-hidden", "fill": "h-full bg-teal-800",
             "error": "basis-full text-base font-semibold text-red-900"},
        ),
    )
