"""The page frame: language and direction, header with the language switch, main area."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, settings
from cisp_pwa.i18n import N_
from cisp_pwa.state.session import SessionState

from . import kit
from .reach import display_settings


def language_switch(locale: str, page: str) -> rx.Component:
    """This same screen in the other languages, each under its own name, in its own script.

    A native disclosure (no script needed to open it). The choice is kept on the device (read by
    the head script at "/") before sign-in; the signed-in screens keep it on the account."""
    _ = i18n.gettext_for(locale)
    return rx.el.details(
        rx.el.summary(
            rx.icon("languages", size=22, aria_hidden="true"),
            i18n.language_name(locale),
            class_name="inline-flex items-center gap-2 min-h-11 px-2 rounded-lg cursor-pointer font-semibold "
            "text-teal-900 hover:bg-teal-50",
            aria_label=_("Langue") + " : " + i18n.language_name(locale),
            id="language-menu",
        ),
        rx.el.nav(
            rx.el.ul(
                *[
                    rx.el.li(
                        rx.el.a(
                            i18n.language_name(other),
                            # Same screen, same trainee or pathway: the query string comes along.
                            href=routes.path(other, page) + rx.cond(
                                rx.State.router.url.query != "", "?" + rx.State.router.url.query, ""),
                            lang=other,
                            hreflang=other,
                            dir=i18n.direction(other),
                            id=f"lang-{other}",
                            # Kept on the phone, and for the server's answer to "/" (endpoints/root.py).
                            on_click=rx.call_script(
                                f"try{{localStorage.setItem('cisp_locale','{other}')}}catch(e){{}}"
                                f"document.cookie='cisp_locale={other}; path=/; max-age=31536000; SameSite=Lax'"
                                "+(location.protocol==='https:'?'; Secure':'');"),
                            class_name="flex items-center min-h-11 px-3 rounded-lg underline underline-offset-4 "
                            "text-teal-900 hover:bg-teal-50 font-semibold",
                        )
                    )
                    for other in i18n.LOCALES
                    if other != locale
                ],
                class_name="grid grid-cols-2 gap-1 p-2 mt-1 rounded-xl border border-slate-300 bg-white",
            ),
            aria_label=_("Langue"),
        ),
        class_name="text-base",
    )


def _new_phone_notice(locale: str) -> rx.Component:
    """Said once after sign-in when an access code set up another phone for this account (its
    other phones were signed out): if it was not her, she knows, and whom to tell."""
    _ = i18n.gettext_for(locale)
    before, _sep, after = _("Un nouveau téléphone a été ajouté à votre compte le %(date)s.").partition("%(date)s")
    return rx.cond(
        SessionState.new_phone_on != "",
        rx.el.div(
            rx.el.p(rx.icon("smartphone", size=22, aria_hidden="true", class_name="inline me-1"),
                    before, rx.el.strong(SessionState.new_phone_on), after, class_name="font-semibold"),
            rx.el.p(_("Ce n'est pas vous ? Parlez-en tout de suite à votre accompagnateur ou accompagnatrice.")),
            rx.el.button(rx.icon("check", size=20, aria_hidden="true"), _("J'ai compris"),
                         on_click=SessionState.dismiss_new_phone, id="new-phone-ok", class_name=kit.SECONDARY + " self-start"),
            role="alert", id="new-phone",
            class_name="flex flex-col gap-2 p-4 rounded-xl border-2 border-amber-600 bg-amber-50 text-slate-900",
        ),
    )


def demo_tag(locale: str) -> rx.Component:
    """On a demo build (CISP_DEMO=1), every header says "Démo": these accounts are not real people.
    Decided when the page is compiled: a build without it carries nothing."""
    _ = i18n.gettext_for(locale)
    if not settings.demo():
        return rx.fragment()
    return rx.el.span(
        rx.icon("flask-conical", size=16, aria_hidden="true", class_name="shrink-0"), _("Démo"),
        id="demo-tag",
        class_name="inline-flex items-center gap-1 px-2 py-0.5 rounded-full border-2 border-amber-700 bg-amber-100 "
        "text-amber-950 text-sm font-bold uppercase tracking-wide whitespace-nowrap",
    )


def page_shell(locale: str, page: str, *children: rx.Component, signed_in: bool = True,
               bottom_nav: rx.Component | None = None, wide: bool = False) -> rx.Component:
    _ = i18n.gettext_for(locale)
    header_end = []
    if signed_in:
        header_end.append(
            rx.el.button(
                rx.icon("log-out", size=20, aria_hidden="true"),
                _("Se déconnecter"),
                # The phone then forgets the person: copies, drafts, notifications (offline.jsx).
                on_click=SessionState.sign_out(locale),
                id="sign-out",
                class_name="inline-flex items-center gap-1 min-h-11 px-2 rounded-lg text-base text-slate-800 "
                "hover:bg-slate-100 font-semibold min-w-0 text-start",
            )
        )
    return rx.el.div(
        rx.el.header(
            rx.el.div(
                # With the name: on a 360 px phone the sign-out goes to its own line on a demo build
                # (beside the language and display menus it would push one of them down anyway).
                rx.el.div(
                    rx.el.span("CISP Parcours", class_name="text-lg font-bold text-teal-900 whitespace-nowrap"),
                    demo_tag(locale),
                    class_name="flex items-center gap-2",
                ),
                *header_end,
                class_name="flex flex-wrap items-center justify-between gap-x-2",
            ),
            rx.el.div(
                language_switch(locale, page),
                display_settings(locale),
                class_name="flex flex-wrap items-start justify-between gap-1",
            ),
            class_name="bg-white border-b border-slate-200 px-3 py-2 flex flex-col gap-1",
        ),
        rx.el.main(_new_phone_notice(locale) if signed_in else rx.fragment(), *children,
                   class_name="px-4 py-5 mx-auto flex flex-col gap-4"
                   + (" max-w-6xl" if wide else " max-w-3xl")
                   + (" pb-28" if bottom_nav is not None else "")),
        bottom_nav if bottom_nav is not None else rx.fragment(),
        lang=locale,
        dir=i18n.direction(locale),
        class_name="min-h-screen bg-stone-50 text-slate-900 text-lg leading-relaxed",
    )


def signed_in_screen(locale: str, page: str, loaded: rx.Var, *content: rx.Component,
                     bottom_nav: rx.Component | None = None, wide: bool = False,
                     offline_snapshot: rx.Var | None = None, offline_heading: str = "",
                     footer: rx.Component | None = None, lead: tuple[rx.Component, ...] = (),
                     copy_while_loading: bool = False) -> rx.Component:
    """A protected screen: nothing personal shows until its state has loaded for the actor.

    `lead` (the screen's title and instruction: nothing personal) is in the prerendered page and
    shows at first paint, so a slow phone says at once where she is while her data comes.

    With `offline_snapshot` (the trainee's screens), the screen is kept on the phone as it was
    last seen and shows that copy when there is no network. `footer` shows offline too (the
    message box, which keeps what is written offline)."""
    from .offline import offline_copy, outbox

    _ = i18n.gettext_for(locale)
    body = rx.cond(loaded, rx.el.div(*content, class_name="flex flex-col gap-4"), kit.loading(_("Chargement…")))
    if lead:
        body = rx.el.div(*lead, body, class_name="flex flex-col gap-4")
    if offline_snapshot is not None:
        # copy_while_loading: the copy kept on the phone shows at once, the fresh data replaces it.
        body = offline_copy(locale, page, offline_heading, loaded, offline_snapshot, body,
                            early=copy_while_loading)
    return page_shell(
        locale, page,
        outbox(locale, say_offline=offline_snapshot is None),
        body,
        footer if footer is not None else rx.fragment(),
        bottom_nav=bottom_nav,
        wide=wide,
    )


# The word and pictogram of each screen of the staff's menu (routes.STAFF_NAV says whose).
STAFF_NAV_WORDS = {
    routes.TRAINEES: (N_("Mes stagiaires"), "users"),
    routes.VALIDATIONS: (N_("À valider"), "list-checks"),
    routes.CENTRE: (N_("Mon centre"), "building-2"),
    routes.ATTENDANCE: (N_("Présences"), "clipboard-check"),
}


def staff_nav(locale: str, page: str) -> rx.Component:
    """The staff's menu: the screens of the signed-in person's role (known once a screen has
    loaded), the open one marked."""
    _ = i18n.gettext_for(locale)
    link = ("inline-flex items-center gap-2 min-h-11 px-3 rounded-xl border-2 font-semibold "
            "focus-visible:outline focus-visible:outline-4 focus-visible:outline-amber-500 ")

    def links(role) -> rx.Component:
        items = []
        for target in routes.STAFF_NAV[role]:
            word, icon = STAFF_NAV_WORDS[target]
            here = target == page
            items.append(rx.el.li(rx.el.a(
                rx.icon(icon, size=20, aria_hidden="true"), _(word),
                href=routes.path(locale, target), id=f"nav-{target}",
                class_name=link + ("border-teal-800 bg-teal-800 text-white" if here
                                   else "border-teal-800 bg-white text-teal-900 hover:bg-teal-50"),
                **({"aria_current": "page"} if here else {}),
            )))
        return rx.el.ul(*items, class_name="flex flex-wrap gap-2")

    return rx.el.nav(
        rx.match(SessionState.role, *[(role.value, links(role)) for role in routes.STAFF_NAV], rx.fragment()),
        aria_label=_("Menu principal"), id="staff-nav",
    )


def staff_screen(locale: str, page: str, loaded: rx.Var, *content: rx.Component) -> rx.Component:
    """Staff use a desktop at the centre as well as a phone: the room of a wide screen is used.
    Every staff screen has the staff's menu and leads to the account's security (second factor)."""
    _ = i18n.gettext_for(locale)
    security = rx.el.a(rx.icon("shield", size=20, aria_hidden="true"), _("Sécurité du compte"),
                       href=routes.path(locale, routes.SECURITY), id="security-link",
                       class_name="inline-flex items-center gap-2 min-h-11 underline underline-offset-4 text-teal-900 "
                       "self-start")
    return signed_in_screen(locale, page, loaded, staff_nav(locale, page), *content,
                            *([security] if page != routes.SECURITY else []), wide=True)


def trainee_screen(locale: str, page: str, state: type[SessionState], missing: str, *content: rx.Component,
                   gap: str = "gap-4") -> rx.Component:
    """A staff screen about one trainee (her file, her conversation), opened from the list of
    trainees: `missing` says that she is not there or not open to this person, else her name heads
    the content. `state` has `loaded`, `missing` and `trainee_name`."""
    _ = i18n.gettext_for(locale)
    return staff_screen(
        locale, page, state.loaded,
        kit.back_link(_("Mes stagiaires"), routes.path(locale, routes.TRAINEES)),
        rx.cond(
            state.missing,
            kit.notice(missing, tone="error"),
            rx.el.div(kit.heading(state.trainee_name), *content, class_name=f"flex flex-col {gap}"),
        ),
    )
