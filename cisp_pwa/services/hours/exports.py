"""The hours as files (documents/hours_export.py makes them; endpoints/hours_exports.py serves
them): a group's month as CSV or XLSX, for the centre's admin; a trainee's attendance certificate
as a PDF, for a month or for her whole pathway, for her, her coach and her centre's admin
(policy.ATTESTATIONS). Every file made is audited (who, which group or which trainee; never a
figure), and tells nobody: no screen shows it.

A group's month counts that group's sessions, for every trainee who is in the group or had a
session of it that month (one who left mid-month is still paid for the hours she came).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy import select

from cisp_pwa.documents import hours_export
from cisp_pwa.i18n import localised
from cisp_pwa.models import Attendance, Centre, Enrolment, GroupMember, Pathway, Role, User

from .. import policy
from ..actor import Actor
from ..errors import InvalidInput
from ..infra import audit, db, events
from . import ledger, months, timetable

MONTH_KINDS = {"csv": hours_export.CSV_MIME, "xlsx": hours_export.XLSX_MIME}
PATHWAY = "pathway"  # the period of a certificate: her whole pathway, from her enrolment to today
PATH = "/exports"  # where endpoints/hours_exports.py answers, with the session


def month_path(group_id: int | str, month: str, kind: str) -> str:
    return f"{PATH}/hours/{group_id}/{month}.{kind}"


def attestation_path(trainee_id: int | str, period: str) -> str:
    return f"{PATH}/attestation/{trainee_id}/{period}.pdf"


def month_file(actor: Actor, group_id: int, month: str, kind: str) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of a group's month: the admin's, of her centre's groups."""
    policy.require_role(actor, Role.admin)
    if kind not in MONTH_KINDS:
        raise InvalidInput("hours_export_kind")
    first, last = months.month_bounds(month)
    with db.unit_of_work() as s:
        group = timetable.group(s, actor, group_id)
        members = set(s.scalars(select(GroupMember.trainee_id).where(GroupMember.group_id == group.id)))
        came = set(s.scalars(select(Attendance.trainee_id).where(Attendance.group_id == group.id,
                                                                 Attendance.day >= first, Attendance.day <= last)))
        trainees = list(s.scalars(select(User).where(User.id.in_(members | came),
                                                     User.id.in_(policy.visible_trainees(actor, policy.ATTENDANCE)))
                                  .order_by(User.display_name, User.id)))
        figures = months.figures_for(s, actor.centre_id, [t.id for t in trainees], month, group.id)
        rates = months.rates_of(s, actor.centre_id)
        pathway = s.get(Pathway, group.pathway_id)
        sheet = hours_export.MonthSheet(
            centre_name=s.get(Centre, actor.centre_id).name, group_code=group.code, group_name=group.name,
            pathway_name=localised(pathway.name, "fr"), month=month,
            closed=ledger.is_closed(s, actor.centre_id, first),
            allowance_cents_per_hour=rates.allowance_cents_per_hour, travel_cents_per_day=rates.travel_cents_per_day,
            lines=[_line(t.display_name, figures[t.id]) for t in trainees])
        audit.record(s, actor, "hours_exported", "training_group", group.id)
        events.nobody(s)  # a file made: on no screen
    data = hours_export.month_csv(sheet) if kind == "csv" else hours_export.month_xlsx(sheet)
    return f"heures-{sheet.group_code}-{month}.{kind}", MONTH_KINDS[kind], data


def _line(name: str, f: months.Figures) -> hours_export.MonthLine:
    return hours_export.MonthLine(name, f.present, f.distance, f.assimilated, f.absent_justified,
                                  f.absent_unjustified, f.late_count, len(f.days), f.allowance_cents, f.travel_cents)


def attestation_file(actor: Actor, trainee_id: int, period: str) -> tuple[str, bytes]:
    """(file name, PDF) of her attendance certificate: for a month ("2026-11", to today when it is
    the current one) or for her whole pathway (PATHWAY: from the start of her current enrolment
    to its end, or to today). In her language beside French. Raises passport_pdf.FontMissing
    without the PDF font."""
    today = timetable.today()
    with db.unit_of_work() as s:
        her = policy.trainee(s, actor, policy.ATTESTATIONS, trainee_id)
        enrolments = list(s.scalars(select(Enrolment).where(Enrolment.trainee_id == her.id)
                                    .order_by(Enrolment.started_on.desc(), Enrolment.id.desc())))
        if period == PATHWAY:
            current = next((e for e in enrolments if e.started_on <= today), None)
            if current is None:
                raise InvalidInput("hours_no_enrolment")
            first, last = current.started_on, min(current.ended_on or today, today)
        else:
            first, last = months.month_bounds(period)
            if first > today:
                raise InvalidInput("hours_month_invalid")
            last = min(last, today)
            current = next((e for e in enrolments if e.started_on <= last), None)
        figures = months.figures_between(s, her.centre_id, [her.id], first, last)[her.id]
        month_starts, closed = first.replace(day=1), True
        while month_starts <= last:
            closed = closed and ledger.is_closed(s, her.centre_id, month_starts)
            month_starts = date(month_starts.year + month_starts.month // 12, month_starts.month % 12 + 1, 1)
        pathway = s.get(Pathway, current.pathway_id) if current is not None else None
        attestation = hours_export.Attestation(
            trainee_name=her.display_name, locale=her.locale, centre_name=s.get(Centre, her.centre_id).name,
            pathway_names=dict(pathway.name) if pathway else {}, first=first, last=last, closed=closed,
            present=figures.present, distance=figures.distance, assimilated=figures.assimilated,
            absent_justified=figures.absent_justified, absent_unjustified=figures.absent_unjustified, made_on=today)
        audit.record(s, actor, "attestation_made", "trainee", her.id)
        events.nobody(s)  # a file made: on no screen
    name = _slug(attestation.trainee_name) or f"stagiaire-{trainee_id}"
    suffix = "parcours" if period == PATHWAY else period
    return f"attestation-{name}-{suffix}.pdf", hours_export.attestation_pdf(attestation)


def _slug(name: str) -> str:
    """A file name's part from a person's name: plain Latin letters and hyphens ("" for a name in
    another script)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40]
