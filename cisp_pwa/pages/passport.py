"""Mon passeport: the skills the training team validated, by area (the trainer's level, the date,
who; her own level beside it), ticked to go in the PDF she downloads."""

from __future__ import annotations

import reflex as rx

from cisp_pwa import i18n, routes, words
from cisp_pwa.components import kit, labels
from cisp_pwa.components.layout import signed_in_screen
from cisp_pwa.components.levels import level_line
from cisp_pwa.components.reach import instruction, read_aloud
from cisp_pwa.components.trainee_nav import trainee_nav
from cisp_pwa.i18n import N_
from cisp_pwa.state.passport import BadgeRow, PassportSkillRow, PassportState

PAGE = routes.PASSPORT
TITLE = N_("Mon passeport — CISP Parcours")


def _skill(locale: str, k: PassportSkillRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PassportState
    box_id = "passport-skill-" + k.id.to_string()
    return rx.el.li(
        kit.card(
            rx.el.div(
                rx.el.label(
                    rx.el.input(type="checkbox", id=box_id, checked=~s.left_out.contains(k.id),
                                on_change=lambda checked: PassportState.choose(k.id, checked),
                                class_name="size-7 shrink-0 mt-1 accent-teal-800"),
                    rx.el.span(k.label, class_name="font-semibold", dir="auto"),
                    html_for=box_id,
                    class_name="flex items-start gap-3 min-h-11 flex-1 cursor-pointer",
                ),
                read_aloud(k.label, locale),
                class_name="flex items-start justify-between gap-2",
            ),
            rx.el.div(
                level_line(words.opinions(locale)["trainer"], k.trainer_level, locale, "trainer"),
                # Each part isolated: a name in one script beside words in another keeps its order.
                rx.el.p(_("Validé par"), " ", rx.el.span(k.trainer_name, dir="auto"), " · ",
                        rx.el.span(k.validated_on, dir="auto"), class_name="text-base text-slate-700"),
                level_line(words.opinions(locale)["mine"], k.self_level, locale, "mine"),
                class_name="flex flex-col gap-1 mt-2 ps-10",
            ),
            data_skill=k.id,
        ),
    )


def _download(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PassportState
    errors = {"nothing_chosen": _("Cochez au moins une compétence.")}
    return rx.el.div(
        rx.el.button(rx.icon("file-down", size=24, aria_hidden="true", class_name="shrink-0"),
                     _("Télécharger mon passeport (PDF)"),
                     on_click=PassportState.download, id="passport-download",
                     class_name=kit.PRIMARY + " w-full text-start"),
        labels.error_notice(s.error, errors, locale, id="passport-error"),
        class_name="flex flex-col gap-3",
    )


def _badge(locale: str, b: BadgeRow) -> rx.Component:
    _ = i18n.gettext_for(locale)
    return rx.el.li(
        rx.el.button(
            rx.icon("award", size=24, aria_hidden="true", class_name="shrink-0"),
            rx.el.span(rx.cond(b.pathway, _("Parcours complet") + " : ", ""), rx.el.span(b.label, dir="auto"),
                       class_name="flex-1"),
            rx.icon("download", size=20, aria_hidden="true", class_name="shrink-0"),
            on_click=PassportState.download_badge(b.id), type="button",
            aria_label=_("Télécharger le badge") + " : " + b.label,
            class_name=kit.SECONDARY + " w-full text-start", data_badge=b.id,
        ),
    )


def _share(locale: str) -> rx.Component:
    """Her share link: make it from the ticked skills, show it (QR code, copy), withdraw it;
    the badges it shows, to download."""
    _ = i18n.gettext_for(locale)
    s = PassportState
    errors = {
        "nothing_chosen": _("Cochez au moins une compétence."),
        "nothing_to_share": _("Aucune compétence cochée n'est validée « Sans aide » ou plus. "
                              "Rien à partager pour le moment."),
        "already_shared": _("Vous avez déjà un lien de partage."),
        "not_shared": _("Ce partage est déjà retiré."),
    }
    shared = rx.el.div(
        instruction(_("Votre lien de partage est prêt. Montrez le code QR à un employeur, ou envoyez-lui le lien."),
                    locale, "text-lg"),
        rx.el.img(src=s.share_qr, alt=_("Code QR du lien de partage"), width="200", height="200",
                  class_name="size-[200px] self-center bg-white", id="share-qr"),
        rx.el.a(s.share_url, href=s.share_url, target="_blank", rel="noopener noreferrer", id="share-link",
                dir="ltr", class_name="break-all underline text-teal-900 min-h-11 inline-flex items-center"),
        rx.el.p(_("Partagé depuis le"), " ", rx.el.span(s.share_since, dir="auto"), class_name="text-base text-slate-700"),
        rx.el.button(rx.icon("copy", size=24, aria_hidden="true", class_name="shrink-0"), _("Copier le lien"),
                     on_click=rx.set_clipboard(s.share_url), type="button", id="share-copy",
                     class_name=kit.SECONDARY + " w-full text-start"),
        rx.el.button(rx.icon("link-2-off", size=24, aria_hidden="true", class_name="shrink-0"),
                     _("Retirer le partage"), on_click=PassportState.withdraw, type="button", id="share-withdraw",
                     class_name=kit.SECONDARY + " w-full text-start"),
        instruction(_("Si vous retirez le partage, le lien ne montre plus rien et vos badges ne sont plus valables."),
                    locale),
        rx.cond(s.badges.length() > 0, rx.el.div(
            rx.el.h3(_("Mes badges"), class_name="text-lg font-bold"),
            instruction(_("Un badge est un fichier signé par le centre. Un employeur peut le vérifier."), locale),
            rx.el.ul(rx.foreach(s.badges, lambda b: _badge(locale, b)), class_name="flex flex-col gap-2",
                     id="share-badges"),
            class_name="flex flex-col gap-2",
        )),
        class_name="flex flex-col gap-3",
    )
    not_shared = rx.el.div(
        instruction(_("Partagez les compétences cochées avec un employeur. Il verra votre nom, le centre, "
                      "le parcours et ces compétences, rien d'autre."), locale, "text-lg"),
        instruction(_("Seules les compétences validées « Sans aide » ou plus vont dans le partage."), locale),
        rx.el.button(rx.icon("share-2", size=24, aria_hidden="true", class_name="shrink-0"), _("Partager"),
                     on_click=PassportState.share, type="button", id="share-make",
                     class_name=kit.PRIMARY + " w-full text-start"),
        class_name="flex flex-col gap-3",
    )
    return kit.card(
        rx.el.h2(_("Partager avec un employeur"), class_name="text-xl font-bold mb-2"),
        rx.cond(s.share_url != "", shared, not_shared),
        labels.error_notice(s.share_error, errors, locale, id="share-error"),
        id="share",
    )


def build(locale: str) -> rx.Component:
    _ = i18n.gettext_for(locale)
    s = PassportState
    return signed_in_screen(
        locale, PAGE, s.loaded,
        kit.back_link(_("Mon parcours"), routes.path(locale, routes.MY_PATHWAY)),
        kit.heading(_("Mon passeport")),
        kit.card(
            rx.el.p(rx.el.span(_("Centre"), class_name="font-semibold"), " : ",
                    rx.el.span(s.centre_name, dir="auto"), id="passport-centre"),
            rx.foreach(s.pathway_names, lambda name: rx.el.p(
                rx.el.span(_("Parcours"), class_name="font-semibold"), " : ", rx.el.span(name, dir="auto"),
                class_name="passport-pathway")),
        ),
        rx.cond(
            s.areas.length() > 0,
            rx.el.div(
                instruction(_("Voici les compétences validées par l'équipe de formation. "
                              "Cochez celles que vous voulez dans votre passeport."), locale, "text-lg"),
                rx.el.div(rx.foreach(s.areas, lambda a: kit.titled_list(a.label, a.skills, lambda k: _skill(locale, k))),
                          class_name="flex flex-col gap-6", id="passport-areas"),
                _download(locale),
                _share(locale),
                class_name="flex flex-col gap-4",
            ),
            instruction(_("Pas encore de compétence validée. Quand l'équipe de formation valide une compétence, "
                          "elle arrive ici."), locale, "text-lg"),
        ),
        bottom_nav=trainee_nav(locale, PAGE),
    )


def on_load(locale: str):
    return PassportState.load(locale)
