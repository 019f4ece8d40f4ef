"""Live screens in the browser: what one person does appears on the open screens of the others
it concerns, without reload (services/infra/events.py, state/live.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from cisp_pwa.models import User
from cisp_pwa.services.actor import Actor
from cisp_pwa.services.infra import db
from cisp_pwa.services.people import centre_admin, consent

from .conftest import CHROMIUM_ARGS, PHONE, shot, sign_in  # noqa: F401 - CHROMIUM_ARGS for readers

pytestmark = pytest.mark.browser
LIVE = 10_000  # ms a test waits for a live update before it calls it failed (never a measure)


@pytest.fixture(scope="module")
def second_staff(app_url, app_data_dir):
    """A second coach (Myriam) and a second trainer (Paul) for Amina, made by the centre admin."""
    db.configure(f"sqlite:///{app_data_dir / 'cisp.db'}")
    with db.reading() as s:
        users = {u.login: u for u in s.scalars(select(User))}
    sophie = Actor.of(users["sophie"])
    for login, role, name in (("myriam", "coach", "Myriam Lambert"), ("paul", "trainer", "Paul Dubois")):
        if login not in users:
            centre_admin.create_account(sophie, role=role, display_name=name, login=login,
                                        password=f"parcours-{login}")
        with db.reading() as s:
            staff = Actor.of(s.scalar(select(User).where(User.login == login)))
        consent.accept(staff, consent.VERSIONS[consent.STAFF], "fr")  # their commitments, read once
        centre_admin.set_assignment(sophie, users["amina"].id, staff.id, True)
    yield


@pytest.fixture
def third_page(browser, app_url):
    """A third person's phone."""
    context = browser.new_context(viewport=PHONE, base_url=app_url, locale="fr-BE")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _mark_no_reload(page) -> None:
    """A mark that a reload would wipe: checked at the end of each test."""
    page.evaluate("window.__stillTheSamePage = true")


def _assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__stillTheSamePage === true"), "the screen was reloaded"


def _self_assess(trainee, level: int) -> str:
    """The trainee rates a skill she has not rated yet on her phone; returns its label."""
    sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.click("#tab-skills")
    trainee.wait_for_url("**/fr/skills/")
    skill = trainee.locator("#skill-areas li").filter(has_text="À évaluer").first
    label = skill.locator("p").first.inner_text()
    skill.get_by_role("button", name="M'évaluer").click()
    trainee.click(f"#level-{level}")
    trainee.click("#assess-confirm")
    expect(trainee.locator("#skill-areas li").filter(has_text=label)).to_contain_text("En attente de validation")
    return label


def _open_amina_file(coach, login: str) -> None:
    sign_in(coach, login)
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Amina Benali'] [data-link=file]").click()
    coach.wait_for_url("**/fr/trainee/?trainee=*")
    expect(coach.locator("#file-skills li").first).to_be_visible()


def test_the_open_coach_file_shows_a_self_assessment_and_another_coachs_note(page, second_page, third_page,
                                                                             second_staff):
    coach, trainee, co_coach = page, second_page, third_page
    _open_amina_file(coach, "julie")
    _mark_no_reload(coach)

    label = _self_assess(trainee, 3)
    line = coach.locator("#file-skills li").filter(has_text=label)
    expect(line).to_contain_text("En attente de validation", timeout=LIVE)
    expect(line).to_contain_text("Sans aide")  # her own level, as she gave it

    _open_amina_file(co_coach, "myriam")
    note = "Myriam : vu Amina au CPAS, dossier logement déposé."
    co_coach.fill("#coach-note", note)
    co_coach.click("#coach-note-submit")
    expect(co_coach.locator("#coach-notes")).to_contain_text(note)
    expect(coach.locator("#coach-notes li").filter(has_text=note)).to_have_count(1, timeout=LIVE)
    expect(coach.locator("#coach-notes li").filter(has_text=note)).to_contain_text("Myriam Lambert")
    expect(trainee.get_by_text("dossier logement")).to_have_count(0)  # never on the trainee's phone
    _assert_not_reloaded(coach)
    shot(coach, "live-trainee-file-fr-360")


def test_the_open_trainer_queue_gains_and_loses_items(page, second_page, third_page, second_staff):
    trainer, trainee, other_trainer = page, second_page, third_page
    sign_in(trainer, "marc")
    trainer.wait_for_url("**/fr/validations/")
    expect(trainer.locator("h1")).to_be_visible()
    _mark_no_reload(trainer)

    label = _self_assess(trainee, 2)
    item = trainer.locator("#pending > li").filter(has_text="Amina Benali").filter(has_text=label)
    expect(item).to_have_count(1, timeout=LIVE)  # a new self-assessment appears by itself

    sign_in(other_trainer, "paul")
    other_trainer.wait_for_url("**/fr/validations/")
    theirs = other_trainer.locator("#pending > li").filter(has_text="Amina Benali").filter(has_text=label)
    theirs.get_by_role("button", name="Confirmer").click()
    expect(other_trainer.locator("#queue-notice")).to_contain_text("C'est confirmé")

    expect(item).to_have_count(0, timeout=LIVE)  # answered by Paul: it goes, and Marc is told
    expect(trainer.locator("#queue-notice")).to_have_text(
        "Une autre personne vient de répondre à une auto-évaluation : elle n'est plus dans la liste.")
    _assert_not_reloaded(trainer)
    shot(trainer, "live-validations-fr-360")
