"""Mon passeport (issue 14, first slice): the skills a trainer has confirmed or adjusted, for the
trainee herself, on screen and as a PDF she downloads.

Only what a trainer validated goes in: per skill, the LATEST validation (the trainer's level,
its date, the trainer's name), and beside it her own latest self-assessed level, never merged.
Nothing else of her file: no goals, messages or notes, never her comments nor the trainer's
reasons. Labels in her language and in French. The PDF is made on demand and never stored; while
she has a share link (badges.py), it carries that link and its QR code, for an employer to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from cisp_pwa import i18n, settings, value_words
from cisp_pwa.models import (
    Centre, Enrolment, Pathway, Role, SelfAssessment, Skill, SkillArea, User, Validation, utcnow,
)

from . import badges, db, policy
from .actor import Actor
from .dashboards import localised

FRENCH = i18n.DEFAULT_LOCALE


@dataclass(frozen=True)
class PassportSkill:
    id: int
    label: str          # in her language
    label_fr: str
    trainer_level: int  # the level of the latest validation
    decision: str       # confirmed | adjusted
    validated_on: date
    trainer_name: str
    self_level: int     # her own latest self-assessed level


@dataclass(frozen=True)
class PassportArea:
    id: int
    label: str
    label_fr: str
    skills: list[PassportSkill]


@dataclass(frozen=True)
class PassportPathway:
    id: int
    name: str
    name_fr: str
    current: bool
    areas: list[PassportArea]  # only the areas with a validated skill


@dataclass(frozen=True)
class Passport:
    trainee_name: str
    centre_name: str
    locale: str
    pathways: list[PassportPathway]  # her pathways, the current ones first

    @property
    def skills(self) -> list[PassportSkill]:
        return [k for p in self.pathways for a in p.areas for k in a.skills]


def passport_for(actor: Actor) -> Passport:
    """The trainee's own passport. Nobody else's: a coach, a trainer or an admin is refused."""
    policy.require_role(actor, Role.trainee)
    loc = actor.locale
    with db.reading() as s:
        me = s.get(User, actor.id)
        centre = s.get(Centre, me.centre_id)
        # Her latest self-assessment of each skill (later rows win), and the latest validation.
        own_level: dict[int, int] = {
            skill_id: level for skill_id, level in s.execute(
                select(SelfAssessment.skill_id, SelfAssessment.level)
                .where(SelfAssessment.trainee_id == actor.id)
                .order_by(SelfAssessment.created_at, SelfAssessment.id))
        }
        latest: dict[int, tuple[Validation, str]] = {
            skill_id: (v, name) for skill_id, v, name in s.execute(
                select(SelfAssessment.skill_id, Validation, User.display_name)
                .join(Validation, Validation.self_assessment_id == SelfAssessment.id)
                .join(User, User.id == Validation.trainer_id)
                .where(SelfAssessment.trainee_id == actor.id)
                .order_by(Validation.created_at, Validation.id))
        }
        skills = s.execute(
            select(Skill, SkillArea).join(SkillArea, SkillArea.id == Skill.area_id)
            .where(Skill.id.in_(latest)).order_by(SkillArea.position, Skill.position)
        ).all() if latest else []
        enrolments = s.execute(
            select(Enrolment.pathway_id, Enrolment.ended_on).where(Enrolment.trainee_id == actor.id)
            .order_by(Enrolment.ended_on.is_not(None), Enrolment.started_on.desc(), Enrolment.id.desc())
        ).all()
        pathway_ids: list[int] = []
        current: set[int] = set()
        for pathway_id, ended_on in enrolments:
            if ended_on is None:
                current.add(pathway_id)
            if pathway_id not in pathway_ids:
                pathway_ids.append(pathway_id)
        for _skill, area in skills:  # a validated skill of a pathway she is no longer enrolled in
            if area.pathway_id not in pathway_ids:
                pathway_ids.append(area.pathway_id)
        pathways = {p.id: p for p in s.scalars(select(Pathway).where(Pathway.id.in_(pathway_ids)))}

        areas: dict[int, PassportArea] = {}
        for skill, area in skills:
            validation, trainer_name = latest[skill.id]
            if area.id not in areas:
                areas[area.id] = PassportArea(area.id, localised(area.label, loc), localised(area.label, FRENCH), [])
            areas[area.id].skills.append(PassportSkill(
                skill.id, localised(skill.label, loc), localised(skill.label, FRENCH), validation.level,
                validation.decision.value, validation.created_at.date(), trainer_name, own_level[skill.id],
            ))
        area_pathway = {area.id: area.pathway_id for _skill, area in skills}
        return Passport(
            trainee_name=me.display_name,
            centre_name=centre.name if centre else "",
            locale=loc,
            pathways=[
                PassportPathway(
                    pid, localised(pathways[pid].name, loc), localised(pathways[pid].name, FRENCH), pid in current,
                    [a for a in areas.values() if area_pathway[a.id] == pid],
                )
                for pid in pathway_ids
            ],
        )


# --- the PDF -------------------------------------------------------------------------------------

class FontMissing(RuntimeError):
    """The passport's font is not on this machine (a set-up matter, not the trainee's)."""


def _words(locale: str) -> dict:
    _ = i18n.gettext_for(locale)
    return {
        "title": _("Passeport de compétences"),
        "centre": _("Centre"),
        "pathway": _("Parcours"),
        "made_on": _("Document fait le"),
        "trainer_level": value_words.opinions(locale)["trainer"],
        "validated_by": _("Validé par"),
        "own_level": value_words.opinions(locale)["mine"],  # the screen's words, one table
        "none": _("Aucune compétence validée pour le moment."),
        "level": value_words.levels(locale),
        "footer": _("Les niveaux validés sont ceux d'un formateur ou d'une formatrice du centre."),
        "check": _("Vérifier ces compétences en ligne : scannez le code QR."),
    }


_MARKERS = ("**", "__", "~~", "--")  # fpdf2's markdown: a label or a name is always drawn as written


def _literal(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for marker in _MARKERS:
        text = text.replace(marker, "\\" + marker)
    return text


def passport_filename() -> str:
    return f"cisp-parcours-passeport-{utcnow().date().isoformat()}.pdf"


def passport_pdf(actor: Actor, locale: str, skill_ids: list[int] | None = None) -> bytes:
    """Her passport as an A4 PDF: her language and French side by side (French alone for fr),
    Arabic and Dari right to left, shaped. `skill_ids`: the validated skills she chose to put
    in (None: all); an id that is not one of her validated skills is left out."""
    from fpdf import FPDF
    from fpdf.enums import TableBordersLayout

    locale = i18n.normalise(locale)
    passport = passport_for(actor)
    chosen = None if skill_ids is None else set(skill_ids)
    for path in (settings.PDF_FONT, settings.PDF_FONT_BOLD):
        if not path.is_file():
            raise FontMissing(f"the passport font {path} is missing: install Debian's fonts-dejavu-core, "
                              "or set CISP_PDF_FONT and CISP_PDF_FONT_BOLD to a TrueType font with Latin, "
                              "Arabic and Cyrillic letters")
    locales = [locale] if locale == FRENCH else [FRENCH, locale]
    words = {loc: _words(loc) for loc in locales}
    if locale != passport.locale:  # the labels of the data in the language asked for
        passport = passport_for(Actor(actor.id, actor.role, actor.centre_id, actor.display_name, locale))

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(words[FRENCH]["title"] + " — " + passport.trainee_name)
    pdf.set_lang(locale)
    pdf.set_creator("CISP Parcours")
    pdf.add_font("Passport", "", str(settings.PDF_FONT))
    pdf.add_font("Passport", "B", str(settings.PDF_FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()

    def align(loc: str) -> str:
        return "R" if loc in i18n.RTL_LOCALES else "L"

    def both(make) -> list[tuple[str, str]]:
        """One cell per language: (text, alignment)."""
        return [(make(loc, words[loc]), align(loc)) for loc in locales]

    def line(cells: list[tuple[str, str]], size: float, style: str = "") -> None:
        pdf.set_font("Passport", style, size)
        with pdf.table(col_widths=tuple(1 for _c in cells), first_row_as_headings=False,
                       borders_layout=TableBordersLayout.NONE, line_height=size * 0.5, padding=(1, 2)) as t:
            row = t.row()
            for text, where in cells:
                row.cell(text, align=where)

    today = utcnow().date()
    line(both(lambda loc, w: w["title"]), 16, "B")
    line([(passport.trainee_name, align(loc)) for loc in locales], 14, "B")
    line(both(lambda loc, w: f"{w['centre']} : {passport.centre_name}"), 10)
    for p in passport.pathways:
        line(both(lambda loc, w, p=p: f"{w['pathway']} : {p.name_fr if loc == FRENCH else p.name}"), 10)
    line(both(lambda loc, w: f"{w['made_on']} {i18n.format_date(today, loc, 'long')}"), 10)
    pdf.ln(3)

    def skill_text(loc: str, k: PassportSkill) -> str:
        w = words[loc]
        label = k.label_fr if loc == FRENCH else k.label
        when = i18n.format_date(k.validated_on, loc, "medium")
        details = (f"{w['trainer_level']} {w['level'][k.trainer_level]}\n{w['validated_by']} {k.trainer_name}\n"
                   f"{when}\n{w['own_level']} {w['level'][k.self_level]}")
        return f"**{_literal(label)}**\n{_literal(details)}"

    shown = 0
    for p in passport.pathways:
        for area in p.areas:
            skills = [k for k in area.skills if chosen is None or k.id in chosen]
            if not skills:
                continue
            pdf.set_font("Passport", "", 9)
            with pdf.table(col_widths=tuple(1 for _l in locales), line_height=4.2, padding=(1.2, 2),
                           markdown=True) as t:
                heading = t.row()
                for loc in locales:
                    heading.cell(_literal(area.label_fr if loc == FRENCH else area.label), align=align(loc))
                for k in skills:
                    row = t.row()
                    for loc in locales:
                        row.cell(skill_text(loc, k), align=align(loc))
                        shown += 1
            pdf.ln(3)
    if not shown:
        line(both(lambda loc, w: w["none"]), 11)
    pdf.ln(2)
    line(both(lambda loc, w: w["footer"]), 8)
    share = badges.my_share(actor)
    if share is not None:  # her share link, while she keeps it: the employer checks the badges there
        _qr_code(pdf, share.url)
        line(both(lambda loc, w: w["check"]), 9)
        line([(share.url, "L")], 8)
    return bytes(pdf.output())


def _qr_code(pdf, url: str) -> None:
    import io

    import segno

    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=8, border=2)
    size = 32  # mm: scannable from a printed page
    if pdf.get_y() + size > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(image, x=(pdf.w - size) / 2, y=pdf.get_y() + 2, w=size, h=size)
    pdf.set_y(pdf.get_y() + size + 4)
