"""The hours a centre keeps and sends: a group's month as CSV and XLSX (one row per trainee), and a
trainee's attendance certificate (attestation de fréquentation) as a PDF, for a month or for her
whole pathway, in her language beside French.

The columns of the month's files are the README's ("Pour les centres : les heures exportées"):
their headings stay in French whatever the admin's language, the format the README documents
and the funding body's forms use. No official exchange format is public: these are plain files
a centre checks against its own forms. Hours are decimal hours (9,50 is 9 h 30), rounded to the
hundredth; amounts are in euros, computed from the exact minutes (services/hours/months.py).

Made on demand, never stored; the service (services/hours/exports.py) gathered the data and
checked who asks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import partial
from datetime import date

from cisp_pwa import i18n

from . import passport_pdf

FRENCH = i18n.DEFAULT_LOCALE
CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"


@dataclass(frozen=True)
class MonthLine:
    """One trainee's month: minutes, counts and cents (services/hours/months.Figures)."""
    name: str
    present: int
    distance: int
    assimilated: int
    absent_justified: int
    absent_unjustified: int
    late_count: int
    days_on_site: int
    allowance_cents: int
    travel_cents: int

    @property
    def counted(self) -> int:
        return self.present + self.distance + self.assimilated


@dataclass(frozen=True)
class MonthSheet:
    centre_name: str
    group_code: str
    group_name: str
    pathway_name: str
    month: str                 # "2026-11"
    closed: bool               # the admin closed the month: the figures are final
    allowance_cents_per_hour: int
    travel_cents_per_day: int
    lines: list[MonthLine] = field(default_factory=list)


# (heading, what it holds): the README documents each one.
COLUMNS = (
    ("Mois", lambda s, x: s.month),
    ("Groupe", lambda s, x: s.group_code),
    ("Stagiaire", lambda s, x: x.name),
    ("Heures sur place", lambda s, x: x.present),
    ("Heures à distance", lambda s, x: x.distance),
    ("Heures assimilées", lambda s, x: x.assimilated),
    ("Heures comptées", lambda s, x: x.counted),
    ("Absences justifiées (heures)", lambda s, x: x.absent_justified),
    ("Absences non justifiées (heures)", lambda s, x: x.absent_unjustified),
    ("Retards", lambda s, x: x.late_count),
    ("Jours sur place", lambda s, x: x.days_on_site),
    ("Indemnité (€)", lambda s, x: x.allowance_cents),
    ("Frais de déplacement (€)", lambda s, x: x.travel_cents),
    ("Mois clôturé", lambda s, x: "oui" if s.closed else "non"),
)
HOURS = {"Heures sur place", "Heures à distance", "Heures assimilées", "Heures comptées",
         "Absences justifiées (heures)", "Absences non justifiées (heures)"}
EUROS = {"Indemnité (€)", "Frais de déplacement (€)"}


def _value(heading: str, raw):
    """Minutes as decimal hours, cents as euros; the rest as it is."""
    if heading in HOURS:
        return round(raw / 60, 2)
    if heading in EUROS:
        return round(raw / 100, 2)
    return raw


def _decimal_comma(value) -> str:
    return f"{value:.2f}".replace(".", ",") if isinstance(value, float) else str(value)


def month_csv(sheet: MonthSheet) -> bytes:
    """UTF-8 with its byte order mark, `;` between fields and a decimal comma: what a spreadsheet
    set up for Belgium opens as columns of numbers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading for heading, _get in COLUMNS])
    for line in sheet.lines:
        writer.writerow([_decimal_comma(_value(heading, get(sheet, line))) for heading, get in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def month_xlsx(sheet: MonthSheet) -> bytes:
    """The same columns as the CSV, as numbers with their formats, under a heading that says the
    centre, the group, the month, whether it is closed and the rates; a total row at the end."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    page = book.active
    page.title = f"Heures {sheet.month}"
    bold = Font(bold=True)
    for row in (("Centre", sheet.centre_name), ("Groupe", f"{sheet.group_code} — {sheet.group_name}"),
                ("Parcours", sheet.pathway_name), ("Mois", sheet.month),
                ("Mois clôturé", "oui" if sheet.closed else "non (chiffres provisoires)"),
                ("Indemnité par heure (€)", sheet.allowance_cents_per_hour / 100),
                ("Frais de déplacement par jour sur place (€)", sheet.travel_cents_per_day / 100)):
        page.append(row)
        page.cell(page.max_row, 1).font = bold
    page.append(())
    header = page.max_row + 1
    page.append([heading for heading, _get in COLUMNS])
    for cell in page[header]:
        cell.font = bold
    for line in sheet.lines:
        page.append([_value(heading, get(sheet, line)) for heading, get in COLUMNS])
    total = ["Total", sheet.group_code, f"{len(sheet.lines)}"]
    for heading, get in COLUMNS[3:-1]:
        total.append(_value(heading, sum(get(sheet, x) for x in sheet.lines)))
    total.append("")
    page.append(total)
    for cell in page[page.max_row]:
        cell.font = bold
    for index, (heading, _get) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        page.column_dimensions[letter].width = max(12, len(heading) + 2)
        for cell in page[letter][header:]:
            if heading in HOURS:
                cell.number_format = "0.00"
            elif heading in EUROS:
                cell.number_format = '#,##0.00 "€"'
    page.column_dimensions["A"].width = 44
    page.column_dimensions["C"].width = 28
    page.freeze_panes = page.cell(header + 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- her attendance certificate -------------------------------------------------------------

@dataclass(frozen=True)
class Attestation:
    trainee_name: str
    locale: str                # hers: the certificate is in her language beside French
    centre_name: str
    pathway_names: dict[str, str]  # locale -> the pathway's name ("" when she has none)
    first: date
    last: date
    closed: bool               # every month of the period is closed: the figures are final
    present: int               # minutes
    distance: int
    assimilated: int
    absent_justified: int
    absent_unjustified: int
    made_on: date

    @property
    def counted(self) -> int:
        return self.present + self.distance + self.assimilated


def _words(locale: str) -> dict[str, str]:
    _ = i18n.gettext_for(locale)
    return {
        "title": _("Attestation de fréquentation"),
        "centre": _("Centre"),
        "pathway": _("Parcours"),
        "period": _("Du %(first)s au %(last)s"),
        "made_on": _("Document fait le"),
        "present": _("Heures de formation au centre"),
        "distance": _("Heures de formation à distance"),
        "assimilated": _("Heures assimilées (force majeure)"),
        "counted": _("Total des heures comptées"),
        "absent_justified": _("Absences justifiées"),
        "absent_unjustified": _("Absences non justifiées"),
        "hours": _("%(hours)s h %(minutes)s"),
        "certify": _("Le centre atteste que cette personne a suivi sa formation pendant les heures ci-dessus, "
                     "d'après son registre des présences."),
        "provisional": _("Chiffres provisoires : un mois de cette période n'est pas encore clôturé."),
        "signature": _("Signature et cachet du centre"),
    }


FIGURES = ("present", "distance", "assimilated", "counted", "absent_justified", "absent_unjustified")


def attestation_pdf(attestation: Attestation) -> bytes:
    """An A4 page: who, where, which period, the hours, then room for the centre's signature."""
    locale = attestation.locale
    locales = [FRENCH] if locale == FRENCH else [FRENCH, locale]
    said = {loc: _words(loc) for loc in locales}
    pdf = passport_pdf.start(said[FRENCH]["title"] + " — " + attestation.trainee_name, locale)
    align = passport_pdf.align

    line = partial(passport_pdf.table_line, pdf)

    def both(make) -> list[tuple[str, str]]:
        return [(make(loc, said[loc]), align(loc)) for loc in locales]

    def hours(loc: str, minutes: int) -> str:
        return said[loc]["hours"] % {"hours": minutes // 60, "minutes": f"{minutes % 60:02d}"}

    line(both(lambda loc, w: w["title"]), 16, "B")
    line([(attestation.trainee_name, align(loc)) for loc in locales], 14, "B")
    line(both(lambda loc, w: f"{w['centre']} : {attestation.centre_name}"), 10)
    if any(attestation.pathway_names.values()):
        line(both(lambda loc, w: f"{w['pathway']} : {i18n.localised(attestation.pathway_names, loc)}"), 10)
    line(both(lambda loc, w: w["period"] % {"first": i18n.format_date(attestation.first, loc, "long"),
                                             "last": i18n.format_date(attestation.last, loc, "long")}), 11, "B")
    pdf.ln(3)
    from fpdf.fonts import FontFace

    pdf.set_font("Passport", "", 11)
    widths = (5, 2) if len(locales) == 1 else (5, 2, 5)
    with pdf.table(col_widths=widths, first_row_as_headings=False, line_height=6, padding=(1.5, 2)) as t:
        for key in FIGURES:
            style = FontFace(emphasis="BOLD") if key == "counted" else None
            row = t.row()
            row.cell(said[FRENCH][key], align="L", style=style)
            row.cell(hours(FRENCH, getattr(attestation, key)), align="C", style=style)
            if len(locales) > 1:
                row.cell(said[locale][key], align=align(locale), style=style)
    pdf.ln(3)
    line(both(lambda loc, w: w["certify"]), 10)
    if not attestation.closed:
        line(both(lambda loc, w: w["provisional"]), 9, "B")
    line(both(lambda loc, w: f"{w['made_on']} {i18n.format_date(attestation.made_on, loc, 'long')}"), 10)
    pdf.ln(6)
    line(both(lambda loc, w: w["signature"]), 10)
    pdf.ln(24)  # room for the signature and the stamp
    return bytes(pdf.output())

