"""A conversation's messages as chat bubbles: one's own on the end side, others' on the start
side (mirrored in Arabic), with sender, time and the sent / read mark."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n
from cisp_pwa.services.conversations import messages
from cisp_pwa.state.conversation import ConversationState, MessageRow

from . import kit, labels
from .message_composer import OTHER_BUBBLE, OWN_BUBBLE, message_composer
from .reach import read_aloud
from .thread_follow import thread_follow
from .voice_recorder import voice_player, voice_recorder


def _bubble(locale: str, m: MessageRow, read_up_to: rx.Var) -> rx.Component:
    _ = i18n.gettext_for(locale)
    # One's own voice message the other side started to hear says so, like "Lu" for text.
    mark = rx.cond(
        m.listened,
        rx.el.span(rx.icon("headphones", size=16, aria_hidden="true"), _("Écouté"),
                   class_name="inline-flex items-center gap-1", data_listened="true"),
        rx.cond(
            m.id <= read_up_to,
            rx.el.span(rx.icon("check-check", size=16, aria_hidden="true"), _("Lu"),
                       class_name="inline-flex items-center gap-1"),
            rx.el.span(rx.icon("check", size=16, aria_hidden="true"), _("Envoyé"),
                       class_name="inline-flex items-center gap-1"),
        ),
    )
    return rx.el.li(
        rx.cond(~m.mine, rx.el.p(m.sender_name, class_name="text-base font-bold text-teal-900")),
        rx.cond(
            m.voice_ms > 0,
            voice_player(locale, m.id, m.duration, m.voice_ms, m.mine),
            rx.el.div(rx.el.p(m.body, dir="auto", class_name="whitespace-pre-wrap"),
                      rx.cond(m.mine, read_aloud(m.body, locale, on_dark=True), read_aloud(m.body, locale)),
                      class_name="flex items-start justify-between gap-1"),
        ),
        rx.el.p(
            m.time,
            rx.cond(m.mine, rx.fragment(" · ", mark)),
            class_name=rx.cond(m.mine, "text-sm text-teal-50 flex flex-wrap gap-1 items-center",
                               "text-sm text-slate-700"),
        ),
        class_name=rx.cond(m.mine, OWN_BUBBLE, OTHER_BUBBLE),
        data_mine=rx.cond(m.mine, "true", "false"),
    )


def _send_errors(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "message_empty": _("Écrivez quelques mots."),
        "message_too_long": _("Le message est trop long : %(n)s caractères au plus.") % {"n": messages.BODY_MAX},
        "too_many_messages": _("Beaucoup de messages d'un coup. Attendez une minute, puis réessayez."),
        "not_allowed": _("Ce message ne peut pas partir dans cette conversation."),
    }


def composer(locale: str, state: type[ConversationState]) -> rx.Component:
    """The message box, and why the server refused the last message, at once."""
    return rx.fragment(
        labels.error_notice(state.error, _send_errors(locale), locale, id="send-error"),
        # Say it or write it: "Parler" comes before the text box, as big as "Envoyer", so someone
        # who cannot write finds it as easily (recorded offline, it waits in the outbox).
        message_composer(locale, state.sent_client_ids, state.send, state.trainee_id, state.loaded,
                         state.refused_client_id, state.refused_can_retry,
                         voice_recorder(locale, state.trainee_id, state.loaded)),
    )


def thread(locale: str, state: type[ConversationState], empty_text: str,
           with_composer: bool = True) -> rx.Component:
    """The messages, then the message box (the trainee's screen places its box itself: it
    stays usable offline, below the copy kept on the phone)."""
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        rx.cond(
            state.has_older,
            rx.el.button(rx.icon("chevrons-up", size=20, aria_hidden="true"), _("Messages plus anciens"),
                         on_click=state.load_older, id="older-messages",
                         class_name=kit.SECONDARY + " self-center"),
        ),
        rx.cond(
            state.messages.length() > 0,
            rx.el.ol(rx.foreach(state.messages, lambda m: _bubble(locale, m, state.read_up_to)), id="thread",
                     class_name="flex flex-col gap-2", aria_live="polite"),
            rx.el.p(empty_text, id="thread-empty"),
        ),
        thread_follow(locale, state.last_id, state.last_mine),
        composer(locale, state) if with_composer else rx.fragment(),
        class_name="flex flex-col gap-4",
    )
