"""Mes heures: her month in plain words (hours, allowance, travel costs: to hear too), "Je serai
absent·e" and "Je suis en retard" in a few taps (why as pictograms, which day, a photo of a
certificate), what she announced (and "Je viendrai finalement"), and each of her sessions."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.certificates import absence_send, certificate_view, refusals
from cisp_pwa.components.hours import attestations, figure, status_badge
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.reach import instruction, read_aloud
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.services.hours import notices
from cisp_pwa.state.hours_rows import DayBlock, NoticeRow, SessionRow
from cisp_pwa.state.my_hours import MyHoursState

PAGE = routes.MY_HOURS
TITLE = N_("Mes heures — CISP Parcours")
CHOICE = ("inline-flex items-center justify-center gap-2 min-h-12 px-3 rounded-xl border-2 font-semibold "
          "focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-amber-500 ")
CHOSEN = "border-teal-800 bg-teal-50 text-teal-950 "
NOT_CHOSEN = "border-slate-300 bg-white text-slate-900 "
# A pictogram at the start, its word beside it: whole words at 320 px with large text.
TILE = ("flex items-center gap-3 w-full min-h-14 px-3 py-2 rounded-xl border-2 font-semibold text-start hyphens-auto "
        "[overflow-wrap:break-word] focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 "
        "focus-visible:outline-amber-500 ")


def _month_nav(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = MyHoursState
    step = ("inline-flex items-center justify-center min-h-12 min-w-12 rounded-xl border-2 border-teal-800 "
            "text-teal-900 bg-white focus-visible:outline focus-visible:outline-4 focus-visible:outline-amber-500")
    return rx.el.div(
        rx.el.button(rx.icon("chevron-left", size=24, aria_hidden="true", class_name="rtl:rotate-180"),
                     on_click=MyHoursState.show_month(s.prev_month), aria_label=_("Mois précédent"), id="month-prev",
                     class_name=step),
        rx.el.h2(s.month_label, class_name="text-xl font-bold text-center flex-1", id="month-label",
                 aria_live="polite"),
        rx.el.button(rx.icon("chevron-right", size=24, aria_hidden="true", class_name="rtl:rotate-180"),
                     on_click=MyHoursState.show_month(s.next_month), aria_label=_("Mois suivant"), id="month-next",
                     class_name=step),
        class_name="flex items-center gap-2",
    )


def _reason_choices(locale: str) -> rx.Component:
    s = MyHoursState
    return rx.el.ul(
        *[rx.el.li(rx.el.button(
            rx.icon(icon, size=32, aria_hidden="true", class_name="shrink-0"),
            rx.el.span(word, class_name="leading-tight min-w-0"),
            on_click=MyHoursState.choose_reason(key), data_reason=key, type="button",
            aria_pressed=rx.cond(s.form_reason == key, "true", "false"),
            class_name=rx.cond(s.form_reason == key, TILE + CHOSEN, TILE + NOT_CHOSEN),
        )) for key, (word, icon) in words.absence_reasons(locale).items()],
        class_name="grid grid-cols-1 min-[400px]:grid-cols-2 gap-2",
        id="absence-reasons",
    )


def _chip(word, chosen: rx.Var, on_click, id_: str) -> rx.Component:
    return rx.el.button(word, on_click=on_click, id=id_, type="button", aria_pressed=rx.cond(chosen, "true", "false"),
                        class_name=rx.cond(chosen, CHOICE + CHOSEN, CHOICE + NOT_CHOSEN))


def _day_choices(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = MyHoursState
    return rx.el.div(
        rx.el.p(_("Quel jour ?"), class_name="font-semibold"),
        rx.el.div(
            _chip(_("Aujourd'hui"), s.form_day == s.today, MyHoursState.choose_day(s.today), "day-today"),
            _chip(_("Demain"), s.form_day == s.tomorrow, MyHoursState.choose_day(s.tomorrow), "day-tomorrow"),
            class_name="grid grid-cols-1 min-[360px]:grid-cols-2 gap-2",
        ),
        rx.el.label(_("Un autre jour"), html_for="day-other", class_name="block font-semibold mt-1"),
        rx.el.input(id="day-other", type="date", min=s.today, max=s.last_day,
                    value=rx.cond(s.other_day, s.form_day, ""), on_change=MyHoursState.choose_day,
                    class_name=rx.cond(s.other_day, kit.FIELD + " border-teal-800 bg-teal-50", kit.FIELD)),
        class_name="flex flex-col gap-2",
    )


def _minute_choices(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = MyHoursState
    return rx.el.div(
        rx.el.p(_("Combien de minutes de retard ?"), class_name="font-semibold"),
        rx.el.div(
            *[_chip(i18n.format_minutes(n, locale), s.form_minutes == n, MyHoursState.choose_minutes(n), f"late-{n}")
              for n in notices.LATE_CHOICES],
            class_name="grid grid-cols-2 min-[400px]:grid-cols-4 gap-2",
        ),
        class_name="flex flex-col gap-2",
    )


def _form(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = MyHoursState
    why = _("Pourquoi ? Touchez une image.")
    return rx.el.section(
        kit.card(
            rx.el.div(
                rx.el.h2(rx.cond(s.form_kind == "late", _("Je suis en retard"), _("Je serai absent·e")),
                         class_name="text-xl font-bold"),
                rx.el.div(
                    instruction(why, locale, "font-semibold"),
                    _reason_choices(locale),
                    class_name="flex flex-col gap-2",
                ),
                rx.cond(s.form_kind == "late", _minute_choices(locale), _day_choices(locale)),
                labels.error_notice(s.error, refusals(locale), locale),
                absence_send(locale, s.form_day, s.form_kind, s.form_reason, s.form_minutes, s.form_kind == "absent",
                             MyHoursState.announce, MyHoursState.sent),
                rx.el.button(_("Annuler"), on_click=MyHoursState.close_form, type="button", id="absence-cancel",
                             class_name=kit.SECONDARY),
                class_name="flex flex-col gap-4",
            ),
        ),
        id="absence-form",
        aria_label=rx.cond(s.form_kind == "late", _("Je suis en retard"), _("Je serai absent·e")),
    )


def _actions(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.div(
        instruction(_("Vous ne pouvez pas venir, ou vous serez en retard ? Dites-le ici."), locale, "text-lg"),
        rx.el.div(
            rx.el.button(rx.icon("calendar-x", size=26, aria_hidden="true"), _("Je serai absent·e"),
                         on_click=MyHoursState.open_form("absent"), id="hours-absent", class_name=kit.PRIMARY),
            rx.el.button(rx.icon("clock-alert", size=26, aria_hidden="true"), _("Je suis en retard"),
                         on_click=MyHoursState.open_form("late"), id="hours-late", class_name=kit.PRIMARY),
            class_name="grid grid-cols-1 min-[400px]:grid-cols-2 gap-2",
        ),
        class_name="flex flex-col gap-2",
    )


def _notice(locale: str, n: NoticeRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    presences = words.presences(locale)
    reasons = words.absence_reasons(locale)
    return rx.el.li(
        kit.card(
            rx.el.p(n.label, class_name="font-bold first-letter:uppercase"),
            rx.el.div(
                rx.cond(n.presence == "late",
                        rx.el.span(rx.icon("clock-alert", size=20, aria_hidden="true"), presences["late"][0], " · ",
                                   n.late, class_name="inline-flex items-center gap-1"),
                        rx.el.span(rx.icon("calendar-x", size=20, aria_hidden="true"), presences["absent"][0],
                                   class_name="inline-flex items-center gap-1")),
                rx.match(n.reason, *[(key, rx.el.span(rx.icon(icon, size=20, aria_hidden="true"), word,
                                                      class_name="inline-flex items-center gap-1"))
                                     for key, (word, icon) in reasons.items()], rx.fragment()),
                class_name="flex flex-wrap items-center gap-x-4 gap-y-1",
            ),
            rx.cond(n.certificate_id > 0, rx.el.div(certificate_view(locale, n.certificate_id), class_name="mt-2")),
            rx.el.button(
                rx.icon("undo-2", size=20, aria_hidden="true"),
                rx.cond(n.presence == "late", _("Je serai à l'heure"), _("Je viendrai finalement")),
                on_click=MyHoursState.withdraw(n.id), data_withdraw=n.id,
                class_name=kit.SMALL_BUTTON + "border-slate-500 text-slate-800 mt-2",
            ),
        ),
        data_notice=n.id,
    )


def _session(locale: str, x: SessionRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.div(
            rx.el.span(x.times, dir="ltr", class_name="font-semibold tabular-nums"),
            rx.el.span(x.duration, class_name="text-base text-slate-700"),
            rx.cond(x.distance, rx.el.span(rx.icon("laptop", size=18, aria_hidden="true"), _("À distance"),
                                           class_name="inline-flex items-center gap-1 text-base")),
            class_name="flex flex-wrap items-center gap-x-3",
        ),
        rx.el.div(status_badge(x.status, locale),
                  rx.cond(x.detail != "", rx.el.span(x.detail, class_name="text-base")),
                  class_name="flex flex-wrap items-center gap-2"),
        class_name="flex flex-col gap-1 py-2 border-t border-slate-100 first:border-t-0",
        data_session=x.starts,
    )


def _day(locale: str, d: DayBlock) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        kit.card(
            rx.el.div(
                rx.el.h3(d.label, class_name="font-bold first-letter:uppercase"),
                rx.cond(d.today, rx.el.span(_("Aujourd'hui"), class_name="rounded-full bg-teal-800 text-white px-3 "
                                                                             "text-base font-semibold")),
                class_name="flex flex-wrap items-center gap-2",
            ),
            rx.cond(d.notice != "", rx.el.p(rx.icon("megaphone", size=18, aria_hidden="true", class_name="inline me-1"),
                                            d.notice, class_name="text-base text-slate-800")),
            rx.el.ul(rx.foreach(d.sessions, lambda x: _session(locale, x))),
        ),
        data_day=d.day,
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = MyHoursState
    done = {"announced": _("C'est envoyé. La personne qui vous accompagne est prévenue."),
            "withdrawn": _("C'est noté : vous venez.")}
    return signed_in_screen(
        locale, PAGE, s.loaded,
        kit.back_link(_("Mon parcours"), routes.path(locale, routes.MY_PATHWAY)),
        kit.heading(_("Mes heures")),
        _month_nav(locale),
        kit.card(
            rx.el.div(rx.el.p(s.summary, class_name="text-lg", id="hours-summary"), read_aloud(s.summary, locale),
                      class_name="flex items-start justify-between gap-2"),
            rx.el.ul(rx.foreach(s.figures, figure), class_name="mt-2", id="my-hours-figures"),
            rx.cond(s.closed, rx.el.p(rx.icon("lock", size=18, aria_hidden="true", class_name="inline me-1"),
                                      _("Ce mois est clôturé : ces heures sont définitives."),
                                      class_name="text-base text-slate-700 mt-2")),
            attestations(locale, s.attestation_month, s.attestation_pathway, s.month_label, "my-attestation"),
        ),
        labels.done_notice(s.done, done, id="hours-done"),
        rx.cond(s.form_kind == "", labels.error_notice(s.error, refusals(locale), locale, id="hours-error")),
        rx.cond(s.form_kind != "", _form(locale), _actions(locale)),
        rx.cond(s.notices.length() > 0, rx.el.section(
            kit.subheading(_("Mes absences annoncées")),
            rx.el.ul(rx.foreach(s.notices, lambda n: _notice(locale, n)), class_name="flex flex-col gap-3",
                     id="my-notices"),
        )),
        rx.el.section(
            kit.subheading(_("Mes journées")),
            rx.cond(s.days.length() > 0,
                    rx.el.ul(rx.foreach(s.days, lambda d: _day(locale, d)), class_name="flex flex-col gap-3",
                             id="my-days"),
                    instruction(_("Pas de journée de formation ce mois-ci."), locale)),
        ),
        bottom_nav=trainee_nav(locale, PAGE),
        offline_snapshot=s.offline_copy,
        offline_heading=_("Mes heures"),
    )


def on_load(locale: str):
    return MyHoursState.load(locale)
