"""The message box as a small React component (message_composer.jsx): the client makes each
message's id, keeps unconfirmed messages visible, and offers a retry."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from cisp_pwa import i18n, words
from cisp_pwa.services.conversations.messages import BODY_MAX

from . import kit

BUBBLE = "max-w-[85%] rounded-2xl px-4 py-2 shadow-sm break-words"
OWN_BUBBLE = BUBBLE + " self-end bg-teal-800 text-white rounded-ee-sm"
OTHER_BUBBLE = BUBBLE + " self-start bg-white border border-slate-200 rounded-es-sm"


class MessageComposer(rx.Component):
    library = "$/public" + rx.asset("message_composer.jsx", shared=True)
    tag = "MessageComposer"

    sent_client_ids: rx.Var[list[str]]
    labels: rx.Var[dict[str, str]]
    classes: rx.Var[dict[str, str]]
    max_length: rx.Var[int]
    locale: rx.Var[str]
    trainee: rx.Var[int]
    loaded: rx.Var[bool]
    refused: rx.Var[str]
    refused_can_retry: rx.Var[bool]
    on_send: rx.EventHandler[passthrough_event_spec(str, str)]


def message_composer(locale: str, sent_client_ids: rx.Var, on_send, trainee: rx.Var,
                     loaded: rx.Var, refused: rx.Var, refused_can_retry: rx.Var,
                     *before_box: rx.Component) -> rx.Component:
    """`trainee`: whose conversation (0 while not loaded: the trainee's own, offline).
    `refused`: the id of the message the server refused last (the screen says why).
    `before_box`: shown between the messages waiting to go and the text box (the recorder)."""
    _ = i18n.gettext_for(locale)
    return MessageComposer.create(
        *before_box,
        sent_client_ids=sent_client_ids,
        trainee=trainee,
        loaded=loaded,
        on_send=on_send,
        refused=refused,
        refused_can_retry=refused_can_retry,
        max_length=BODY_MAX,
        locale=locale,
        labels={
            "label": _("Votre message"),
            "send": _("Envoyer"),
            "sending": _("Envoi…"),
            "failed": _("Non envoyé — réessayer"),
            "waiting": _("En attente d'envoi"),
            "voice": _("Message vocal"),
            "empty": _("Écrivez d'abord votre message."),
            # %(n)s: how many characters to take out, put in on the phone as she types.
            "tooLong": _("Votre message est trop long : enlevez %(n)s caractères, ou envoyez-le en deux fois."),
            "unreadable": words.common_errors(locale)["text_unreadable"],
        },
        classes={
            "wrapper": "flex flex-col gap-3",
            "pendingList": "flex flex-col gap-2",
            "pendingBubble": OWN_BUBBLE + " opacity-90",
            "body": "whitespace-pre-wrap",
            "voice": "inline-flex items-center gap-2 font-semibold",
            "meta": "text-base text-slate-700",
            # Past the limit: the warning colour (contrast ≥ 4.5:1 on white), and bold.
            "metaOver": "text-base font-bold text-red-800",
            "pendingMeta": "text-base text-teal-50",
            "retry": "mt-1 min-h-11 px-3 rounded-lg bg-white text-red-800 font-bold underline",
            "form": "flex flex-col gap-2",
            "label": "text-lg font-semibold",
            "textarea": kit.FIELD + " py-2",
            "row": "flex items-center justify-between gap-2",
            "send": kit.PRIMARY,
            "error": "rounded-xl border-s-4 p-3 text-lg bg-red-50 border-red-700 text-red-900",
        },
    )
