"""Her passport as an A4 PDF (services/credentials/passport.py gathers it and checks who asks): her language
and French side by side (French alone for fr), Arabic and Dari right to left, shaped. Only what
the passport holds: the validated skills, the trainer's level and hers, never a comment nor a
reason. While she has a share link, it carries that link and its QR code, for an employer to
check. Made on demand, never stored.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from cisp_pwa import i18n, settings, words
from cisp_pwa.models import utcnow

if TYPE_CHECKING:
    from cisp_pwa.services.credentials.passport import Passport, PassportSkill

FRENCH = i18n.DEFAULT_LOCALE


class FontMissing(RuntimeError):
    """The passport's font is not on this machine (a set-up matter, not the trainee's)."""


def _words(locale: str) -> dict:
    _ = i18n.gettext_for(locale)
    return {
        "title": _("Passeport de compétences"),
        "centre": _("Centre"),
        "pathway": _("Parcours"),
        "made_on": _("Document fait le"),
        "trainer_level": words.opinions(locale)["trainer"],
        "validated_by": _("Validé par"),
        "own_level": words.opinions(locale)["mine"],  # the screen's words, one table
        "none": _("Aucune compétence validée pour le moment."),
        "level": words.levels(locale),
        "footer": _("Les niveaux validés sont ceux d'un formateur ou d'une formatrice du centre."),
        "check": _("Vérifier ces compétences en ligne : scannez le code QR."),
    }


_MARKERS = ("**", "__", "~~", "--")  # fpdf2's markdown: a label or a name is always drawn as written


def _literal(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for marker in _MARKERS:
        text = text.replace(marker, "\\" + marker)
    return text


def start(title: str, locale: str):
    """An A4 page in the app's font ("Passport", regular and bold: Latin, Arabic and Cyrillic
    letters), shaped with HarfBuzz so that Arabic and Dari join and run right to left. Raises
    FontMissing without the font. The attendance certificate (hours_export.py) starts the same way."""
    from fpdf import FPDF

    for path in (settings.PDF_FONT, settings.PDF_FONT_BOLD):
        if not path.is_file():
            raise FontMissing(f"the passport font {path} is missing: install Debian's fonts-dejavu-core, "
                              "or set CISP_PDF_FONT and CISP_PDF_FONT_BOLD to a TrueType font with Latin, "
                              "Arabic and Cyrillic letters")
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_lang(locale)
    pdf.set_creator("CISP Parcours")
    pdf.add_font("Passport", "", str(settings.PDF_FONT))
    pdf.add_font("Passport", "B", str(settings.PDF_FONT_BOLD))
    pdf.set_text_shaping(True)
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    return pdf


def align(locale: str) -> str:
    """A cell's alignment in this language: right to left ones start on the right."""
    return "R" if locale in i18n.RTL_LOCALES else "L"


def table_line(pdf, cells: list[tuple[str, str]], size: float, style: str = "") -> None:
    """One row of text without borders, a cell per language (text, alignment): the passport's
    and the attendance certificate's way of saying each thing in French and in her language."""
    from fpdf.enums import TableBordersLayout

    pdf.set_font("Passport", style, size)
    with pdf.table(col_widths=tuple(1 for _c in cells), first_row_as_headings=False,
                   borders_layout=TableBordersLayout.NONE, line_height=size * 0.5, padding=(1, 2)) as t:
        row = t.row()
        for text, where in cells:
            row.cell(text, align=where)


def build(passport: Passport, skill_ids: list[int] | None = None, share_url: str | None = None) -> bytes:
    """The PDF of `passport`, in its language (its labels are in it) beside French.
    `skill_ids`: the validated skills she chose to put in (None: all); an id that is not one of
    the passport's skills is left out. `share_url`: her share link, while she keeps it."""
    locale = passport.locale
    chosen = None if skill_ids is None else set(skill_ids)
    locales = [locale] if locale == FRENCH else [FRENCH, locale]
    said = {loc: _words(loc) for loc in locales}
    pdf = start(said[FRENCH]["title"] + " — " + passport.trainee_name, locale)

    def both(make) -> list[tuple[str, str]]:
        """One cell per language: (text, alignment)."""
        return [(make(loc, said[loc]), align(loc)) for loc in locales]

    line = partial(table_line, pdf)

    today = utcnow().date()
    line(both(lambda loc, w: w["title"]), 16, "B")
    line([(passport.trainee_name, align(loc)) for loc in locales], 14, "B")
    line(both(lambda loc, w: f"{w['centre']} : {passport.centre_name}"), 10)
    for p in passport.pathways:
        line(both(lambda loc, w, p=p: f"{w['pathway']} : {p.name_fr if loc == FRENCH else p.name}"), 10)
    line(both(lambda loc, w: f"{w['made_on']} {i18n.format_date(today, loc, 'long')}"), 10)
    pdf.ln(3)

    def skill_text(loc: str, k: PassportSkill) -> str:
        w = said[loc]
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
    if share_url is not None:  # her share link, while she keeps it: the employer checks the badges there
        _qr_code(pdf, share_url)
        line(both(lambda loc, w: w["check"]), 9)
        line([(share_url, "L")], 8)
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
