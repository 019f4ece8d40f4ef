"""The hours as files (services/hours/exports.py, documents/hours_export.py), on both databases:
a month of the demo group written through the ledger, its figures worked out by hand below and
written out literally; the CSV and the XLSX read back; her attendance certificate read back in
French and in Arabic; who may have which."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from cisp_pwa import i18n
from cisp_pwa.models import AuditEvent, Enrolment, TrainingGroup
from cisp_pwa.services.errors import AccessDenied, InvalidInput
from cisp_pwa.services.hours import exports, groups, ledger, months
from cisp_pwa.services.infra import db, events
from cisp_pwa.services.people import accounts

from ..helpers import actor, pdf_text, user_id

FLE_AR = "اللغة الفرنسية كلغة أجنبية ومحو الأمية"


def _group_id(code: str = "fle-alpha-1") -> int:
    with db.reading() as s:
        return s.scalar(select(TrainingGroup.id).where(TrainingGroup.code == code))


def _mark(who: str, day: date, starts: str, *marks: tuple[str, str, int]) -> None:
    ledger.take(actor(who), _group_id(), day, starts,
                [{"trainee": user_id(t), "presence": p, **({"late": late} if late else {})} for t, p, late in marks])


@pytest.fixture
def november(demo_db, hours_clock):
    """The demo group (Mon-Fri 9:00-12:30, Mon/Tue/Thu/Fri 13:30-16:00, Friday afternoon at a
    distance), on Thursday 19 November 2026 at 10:00:

    - Fri 30 Oct 9:00: amina present (October: in no November figure).
    - Fri 13 Nov 13:30 (distance, 2 h 30): amina present; kevin absent, never justified.
    - Mon 16 Nov 9:00 (3 h 30): amina present; kevin 30 minutes late; fatou absent, never justified.
    - Mon 16 Nov 13:30 (2 h 30): amina present; kevin absent, justified by julie as illness
      (assimilated); fatou absent, justified by sophie without assimilation.
    - Thu 19 Nov 9:00 (3 h 30): amina present.
    - Sat 14 Nov 9:00-11:00: amina present in another group ("atelier-samedi"): in her
      certificate, not in the demo group's month.
    Rates: 1,10 € an hour, 3,50 € a day on site.
    """
    sophie = actor("sophie")
    with db.unit_of_work() as s:  # amina started her pathway on Monday 26 October
        s.scalar(select(Enrolment).where(Enrolment.trainee_id == user_id("amina"))).started_on = date(2026, 10, 26)
        events.nobody(s)
    months.set_rates(sophie, 110, 350)
    _mark("marc", date(2026, 10, 30), "09:00", ("amina", "present", 0))
    _mark("marc", date(2026, 11, 13), "13:30", ("amina", "present", 0), ("kevin", "absent", 0))
    _mark("marc", date(2026, 11, 16), "09:00", ("amina", "present", 0), ("kevin", "late", 30))
    _mark("sophie", date(2026, 11, 16), "09:00", ("fatou", "absent", 0))
    _mark("marc", date(2026, 11, 16), "13:30", ("amina", "present", 0), ("kevin", "absent", 0))
    _mark("sophie", date(2026, 11, 16), "13:30", ("fatou", "absent", 0))
    _mark("marc", date(2026, 11, 19), "09:00", ("amina", "present", 0))
    ledger.decide(actor("julie"), user_id("kevin"), date(2026, 11, 16), "13:30", True, "illness")
    ledger.decide(sophie, user_id("fatou"), date(2026, 11, 16), "13:30", True)
    saturday = groups.create_group(sophie, "atelier-samedi", "Atelier du samedi", "defi-fle-alpha")
    groups.set_timetable(sophie, saturday, [{"weekday": 5, "starts": "09:00", "ends": "11:00"}])
    groups.set_members(sophie, saturday, [user_id("amina")])
    ledger.take(sophie, saturday, date(2026, 11, 14), "09:00", [{"trainee": user_id("amina"), "presence": "present"}])


HEADINGS = ["Mois", "Groupe", "Stagiaire", "Heures sur place", "Heures à distance", "Heures assimilées",
            "Heures comptées", "Absences justifiées (heures)", "Absences non justifiées (heures)", "Retards",
            "Jours sur place", "Indemnité (€)", "Frais de déplacement (€)", "Mois clôturé"]
# Worked out by hand from the fixture's rows:
# amina: on site 3.5 + 2.5 + 3.5 = 9.5 h on 2 days; at a distance 2.5 h; counted 12 h;
#        12 h x 1,10 = 13,20 €; 2 days x 3,50 = 7,00 €.
# fatou: absent 3.5 h unjustified, 2.5 h justified; nothing counted, nothing paid.
# kevin: on site 3.5 h less 30 min late = 3 h, on 1 day; 2.5 h assimilated; the distance
#        afternoon (2.5 h) absent unjustified; counted 5.5 h x 1,10 = 6,05 €; 1 day = 3,50 €.
NOVEMBER_CSV = [
    HEADINGS,
    ["2026-11", "fle-alpha-1", "Amina Benali", "9,50", "2,50", "0,00", "12,00", "0,00", "0,00", "0", "2", "13,20",
     "7,00", "non"],
    ["2026-11", "fle-alpha-1", "Fatou Diallo", "0,00", "0,00", "0,00", "0,00", "2,50", "3,50", "0", "0", "0,00",
     "0,00", "non"],
    ["2026-11", "fle-alpha-1", "Kevin Maes", "3,00", "0,00", "2,50", "5,50", "0,00", "2,50", "1", "1", "6,05",
     "3,50", "non"],
]


def test_the_months_csv_has_the_figures_worked_out_by_hand(november):
    name, mime, data = exports.month_file(actor("sophie"), _group_id(), "2026-11", "csv")
    assert (name, mime) == ("heures-fle-alpha-1-2026-11.csv", "text/csv; charset=utf-8")
    assert data.startswith("\ufeff".encode())  # a spreadsheet opens it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == NOVEMBER_CSV
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "hours_exported",
                                                   AuditEvent.target_id == _group_id())) == 1


def _trimmed(row: tuple) -> list:
    """A row as written: the sheet's empty cells at its end left out."""
    found = list(row)
    while found and found[-1] in (None, ""):
        found.pop()
    return found


def test_the_months_xlsx_has_the_same_figures_as_numbers_and_their_totals(november):
    months.close(actor("sophie"), "2026-10")  # another month: November is still open
    name, mime, data = exports.month_file(actor("sophie"), _group_id(), "2026-11", "xlsx")
    assert name == "heures-fle-alpha-1-2026-11.xlsx"
    assert mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [_trimmed(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[:7] == [["Centre", "CISP La Passerelle (Namur)"], ["Groupe", "fle-alpha-1 — FLE Alpha 1"],
                        ["Parcours", "Français langue étrangère et alphabétisation"], ["Mois", "2026-11"],
                        ["Mois clôturé", "non (chiffres provisoires)"], ["Indemnité par heure (€)", 1.1],
                        ["Frais de déplacement par jour sur place (€)", 3.5]]
    header = rows.index(HEADINGS)
    assert rows[header + 1:] == [
        ["2026-11", "fle-alpha-1", "Amina Benali", 9.5, 2.5, 0, 12, 0, 0, 0, 2, 13.2, 7, "non"],
        ["2026-11", "fle-alpha-1", "Fatou Diallo", 0, 0, 0, 0, 2.5, 3.5, 0, 0, 0, 0, "non"],
        ["2026-11", "fle-alpha-1", "Kevin Maes", 3, 0, 2.5, 5.5, 0, 2.5, 1, 1, 6.05, 3.5, "non"],
        ["Total", "fle-alpha-1", "3", 12.5, 2.5, 2.5, 17.5, 2.5, 6, 1, 3, 19.25, 10.5],
    ]
    assert sheet.cell(header + 2, 12).number_format == '#,##0.00 "€"'
    assert sheet.cell(header + 2, 4).number_format == "0.00"


def test_a_closed_month_says_so_and_a_trainee_who_left_is_still_counted(november, hours_clock):
    sophie = actor("sophie")
    groups.set_members(sophie, _group_id(), [user_id("amina"), user_id("fatou")])  # kevin left the group
    hours_clock.forward(days=12)  # 1 December: November is over
    months.close(sophie, "2026-11")
    rows = list(csv.reader(io.StringIO(exports.month_file(sophie, _group_id(), "2026-11", "csv")[2]
                                       .decode("utf-8-sig")), delimiter=";"))
    assert [r[2] for r in rows[1:]] == ["Amina Benali", "Fatou Diallo", "Kevin Maes"]
    assert {r[-1] for r in rows[1:]} == {"oui"}
    assert rows[1:] == [r[:-1] + ["oui"] for r in NOVEMBER_CSV[1:]]
    # October: only amina's Friday morning.
    october = list(csv.reader(io.StringIO(exports.month_file(sophie, _group_id(), "2026-10", "csv")[2]
                                          .decode("utf-8-sig")), delimiter=";"))
    assert [r[2:9] for r in october[1:]] == [["Amina Benali", "3,50", "0,00", "0,00", "3,50", "0,00", "0,00"],
                                             ["Fatou Diallo"] + ["0,00"] * 6]


def test_the_month_files_are_the_admins_of_her_own_centre(november):
    for login in ("marc", "julie", "amina", "claire"):
        with pytest.raises(AccessDenied):
            exports.month_file(actor(login), _group_id(), "2026-11", "csv")
    for month, kind in (("2026-13", "csv"), ("novembre", "csv"), ("2026-11", "pdf")):
        with pytest.raises(InvalidInput):
            exports.month_file(actor("sophie"), _group_id(), month, kind)
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "hours_exported")) == 0


def _flat(pdf: bytes) -> str:
    """The PDF's text on one line: a cell's line breaks fall where its column is full."""
    return " ".join(pdf_text(pdf).split())


def test_her_certificate_for_the_month_in_french(november):
    name, pdf = exports.attestation_file(actor("sophie"), user_id("amina"), "2026-11")
    assert name == "attestation-amina-benali-2026-11.pdf" and pdf.startswith(b"%PDF")
    text = _flat(pdf)
    for expected in ("Attestation de fréquentation", "Amina Benali", "CISP La Passerelle (Namur)",
                     "Français langue étrangère et alphabétisation", "Du 1 novembre 2026 au 19 novembre 2026",
                     # 9 h 30 in the demo group and 2 h on Saturday's workshop; 2 h 30 at a distance.
                     "Heures de formation au centre 11 h 30", "Heures de formation à distance 2 h 30",
                     "Heures assimilées (force majeure) 0 h 00", "Total des heures comptées 14 h 00",
                     "Absences non justifiées 0 h 00", "Chiffres provisoires", "Signature et cachet du centre"):
        assert expected in text, expected
    assert not any("\u0600" <= c <= "\u06ff" for c in text)  # French alone for a French speaker
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "attestation_made",
                                                   AuditEvent.target_id == user_id("amina"))) == 1


def test_her_certificate_for_her_whole_pathway_in_arabic_beside_french(november):
    accounts.set_locale(actor("amina"), "ar")
    months.close(actor("sophie"), "2026-10")
    name, pdf = exports.attestation_file(actor("julie"), user_id("amina"), exports.PATHWAY)
    assert name == "attestation-amina-benali-parcours.pdf"
    text = _flat(pdf)
    ar = i18n.gettext_for("ar")
    # French first: 3 h 30 in October, 11 h 30 in November.
    assert "Du 26 octobre 2026 au 19 novembre 2026" in text
    assert "Heures de formation au centre 15 h 00" in text and "Total des heures comptées 17 h 30" in text
    # Her language beside it: her pathway's name, the words of the catalog, the months' names.
    assert FLE_AR in text and ar("Centre") in text and ar("Centre") != "Centre"
    assert "أكتوبر" in text and "نوفمبر" in text
    assert "Chiffres provisoires" in text  # November is not closed yet
    _, october = exports.attestation_file(actor("amina"), user_id("amina"), "2026-10")  # her own, from her side
    october_text = _flat(october)
    assert "Du 1 octobre 2026 au 31 octobre 2026" in october_text and "Chiffres provisoires" not in october_text
    assert "Heures de formation au centre 3 h 30" in october_text


@pytest.mark.parametrize("login, allowed", [("amina", True), ("julie", True), ("sophie", True), ("marc", False),
                                            ("kevin", False), ("luc", False), ("claire", False)])
def test_her_certificate_is_hers_her_coachs_and_her_admins(november, login, allowed):
    if allowed:
        assert exports.attestation_file(actor(login), user_id("amina"), "2026-11")[1].startswith(b"%PDF")
    else:
        with pytest.raises(AccessDenied):
            exports.attestation_file(actor(login), user_id("amina"), "2026-11")


def test_a_certificate_for_a_month_to_come_or_without_a_pathway_is_refused(november):
    for period in ("2026-12", "2027-01", "bientôt"):
        with pytest.raises(InvalidInput):
            exports.attestation_file(actor("sophie"), user_id("amina"), period)
    with db.unit_of_work() as s:
        s.query(Enrolment).filter(Enrolment.trainee_id == user_id("fatou")).delete()
        events.nobody(s)
    with pytest.raises(InvalidInput, match="hours_no_enrolment"):
        exports.attestation_file(actor("sophie"), user_id("fatou"), exports.PATHWAY)
