"""The one-time invitation as shown to the person making it: QR code, short code, expiry."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n


def invitation_card(locale: str, state) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.cond(
        state.invite_code != "",
        rx.el.div(
            rx.el.p(_("Code d'accès pour"), " ", rx.el.strong(state.invite_for), class_name="font-semibold"),
            rx.el.img(src=state.invite_qr, alt=_("Code QR à scanner avec le téléphone du ou de la stagiaire"),
                      class_name="w-56 h-56 bg-white", id="invite-qr"),
            rx.el.p(_("Ou tapez ce code :"), " ",
                    rx.el.strong(state.invite_code, id="invite-code", class_name="text-2xl tracking-widest whitespace-nowrap", dir="ltr")),
            rx.el.p(_("Valable une seule fois, jusqu'à"), " ", state.invite_until, class_name="text-base"),
            rx.el.a(state.invite_url, href=state.invite_url, id="invite-link",
                    class_name="text-base break-all underline", dir="ltr"),
            class_name="flex flex-col gap-2 items-start rounded-xl border-2 border-teal-800 p-3 mt-3",
        ),
    )
