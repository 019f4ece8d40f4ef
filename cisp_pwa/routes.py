"""Route constants. Every page exists once per locale, under /<locale>/<page>/."""

from __future__ import annotations

from cisp_pwa.models import Role

HOME = ""
SIGN_IN = "sign-in"
MY_PATHWAY = "my-pathway"
GOALS = "goals"
SKILLS = "skills"
MESSAGES = "messages"
TRAINEES = "trainees"
CONVERSATION = "conversation"
VALIDATIONS = "validations"
CENTRE = "centre"
PATHWAY_EDITOR = "pathway"
WELCOME = "welcome"
ENROL = "enrol"  # staff: the one-time link to set one's password (services/people/enrolment.py)
TRAINEE_FILE = "trainee"
SECURITY = "security"  # staff: the second factor of their own account
CONSENT = "consent"  # the terms of one's role, said yes to before any screen
MY_DATA = "my-data"  # trainee: what the app keeps about her, her downloads, who opened her file
PASSPORT = "passport"  # trainee: the skills trainers validated, and their PDF
PARTNERS_ADMIN = "partners"  # admin: the region's partner services, her centre's choice, referral counts
HELP = "help"  # trainee: "Trouver de l'aide", her centre's partner services and her referrals
MY_HOURS = "my-hours"  # trainee: "Mes heures", her month, her allowance, "Je serai absente"
ATTENDANCE = "attendance"  # staff: "Présences", a group's session, one tap per trainee
HOURS_ADMIN = "hours"  # admin: groups and their week, closed days, rates, closing a month, exports

LANDING = {
    Role.trainee: MY_PATHWAY,
    Role.coach: TRAINEES,
    Role.trainer: VALIDATIONS,
    Role.admin: CENTRE,
}

# Screens each role may open; any of them may be the "next" screen after sign-in.
SCREENS_OF = {
    Role.trainee: (MY_PATHWAY, GOALS, SKILLS, MESSAGES, MY_DATA, PASSPORT, HELP, MY_HOURS),
    Role.coach: (TRAINEES, CONVERSATION, TRAINEE_FILE, SECURITY, ATTENDANCE),
    Role.trainer: (VALIDATIONS, SECURITY, ATTENDANCE),
    Role.admin: (CENTRE, PATHWAY_EDITOR, PARTNERS_ADMIN, SECURITY, ATTENDANCE, HOURS_ADMIN),
}

# The staff's menu at the top of their screens (components/layout.py `staff_nav`), in its order.
STAFF_NAV = {
    Role.coach: (TRAINEES, ATTENDANCE),
    Role.trainer: (VALIDATIONS, ATTENDANCE),
    Role.admin: (CENTRE, ATTENDANCE),
}


def path(locale: str, page: str) -> str:
    """The slashed form: a route without its trailing slash costs a 307 round trip."""
    return f"/{locale}/{page}/" if page else f"/{locale}/"
