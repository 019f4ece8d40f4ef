"""A referral as a screen lists it: what the coach's trainee file (state/coach_referrals.py) and
her help screen (state/help.py) both show of a services.help.referrals.ReferralView, written for the
reader; each screen's row adds what only it shows."""

from __future__ import annotations

import dataclasses
from typing import Any

from cisp_pwa.services.help.referrals import ReferralView


@dataclasses.dataclass
class ReferralRow:
    id: int
    service_name: str
    category: str
    status: str
    reason: str
    partner_note: str
    appointment: str   # written in the reader's language, "" when none is shown
    goal_title: str


def shared(r: ReferralView, appointment: str) -> dict[str, Any]:
    """The fields of ReferralRow, from the service's view (`appointment` already written)."""
    return {"id": r.id, "service_name": r.service_name, "category": r.category, "status": r.status,
            "reason": r.reason, "partner_note": r.partner_note, "appointment": appointment,
            "goal_title": r.goal_title}
