"""Mes heures on the phone, and her coach's Heures on hers: she says in Arabic that she will be absent,
with a photo of her certificate (a big one, shrunk by the phone); her coach, with her file open,
sees it come and opens the photo; she comes after all and it goes from both screens. Her month
at 360 px in French and Arabic, at 320 px with large text; axe finds nothing. The app runs on the
real clock: the data is made relative to today."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from .conftest import PHONE, shot, sign_in
from .test_accessibility import check

pytestmark = pytest.mark.browser

def _big_photo() -> bytes:
    """A photo as a phone's camera takes it: 3000 × 2250 px, noisy, over 2 MiB as a PNG."""
    from PIL import Image, ImageDraw

    rng = random.Random(25)
    image = Image.frombytes("RGB", (3000, 2250), rng.randbytes(3000 * 2250 * 3))
    draw = ImageDraw.Draw(image)
    draw.rectangle((200, 200, 2800, 700), fill=(255, 255, 255))
    draw.text((300, 300), "CERTIFICAT MEDICAL", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    assert len(out.getvalue()) > 2 * 1024 * 1024
    return out.getvalue()


def _withdraw_all(login: str) -> None:
    """What an earlier run of these tests left announced."""
    from cisp_pwa.services.hours import notices, sheets
    from tests.services.helpers import actor

    for notice in sheets.my_month(actor(login)).notices:
        notices.withdraw(actor(login), notice.id)


def _latest_sessions(count: int) -> list[tuple[int, object, str]]:
    """The demo group's latest sessions up to today: (group, day, starts), oldest first."""
    from cisp_pwa.models import TrainingGroup
    from cisp_pwa.services.hours import timetable
    from cisp_pwa.services.infra import db

    today = timetable.today()
    with db.reading() as s:
        group = s.scalar(select(TrainingGroup).where(TrainingGroup.code == "fle-alpha-1"))
        found = timetable.sessions(s, group, today - timedelta(days=21), today)
        return [(group.id, x.day, x.starts) for x in found[-count:]]


def _mark(login: str, presence: str, sessions) -> None:
    from cisp_pwa.services.hours import ledger
    from tests.services.helpers import actor, user_id

    for group_id, day, starts in sessions:
        ledger.take(actor("sophie"), group_id, day, starts, [{"trainee": user_id(login), "presence": presence}])


def _open_file(page, name: str) -> None:
    page.goto("/fr/trainees/")
    link = page.locator(f"#trainees [data-trainee='{name}'] [data-link=file]")
    page.goto(link.get_attribute("href"))
    expect(page.locator("#file-hours")).to_be_visible()


def test_she_announces_in_arabic_with_a_photo_and_her_coach_sees_it_live(page, second_page, app_db):
    from cisp_pwa.models import Certificate
    from cisp_pwa.services.infra import db
    from cisp_pwa.services.people import accounts
    from PIL import Image
    from tests.services.helpers import actor

    _withdraw_all("amina")
    coach = second_page
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    _open_file(coach, "Amina Benali")
    shot(coach, "file-hours-fr-360")
    accounts.set_locale(actor("amina"), "ar")
    try:
        sign_in(page, "amina", locale="ar")
        page.wait_for_url("**/ar/my-pathway/")
        page.click("#my-hours-link")
        page.wait_for_url("**/ar/my-hours/")
        expect(page.locator("#my-hours-figures [data-figure=allowance]")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        page.click("#hours-absent")
        expect(page.locator("#absence-form")).to_be_visible()
        expect(page.locator("#day-today")).to_have_attribute("aria-pressed", "true")  # today by default
        page.click("#absence-send-button")  # no reason yet: she is told to tap one
        expect(page.locator("#absence-error")).not_to_be_empty()
        page.click("#absence-reasons [data-reason=sick]")
        expect(page.locator("#absence-reasons [data-reason=sick]")).to_have_attribute("aria-pressed", "true")
        page.set_input_files("#certificate-file", files=[{"name": "certificat.png", "mimeType": "image/png",
                                                          "buffer": _big_photo()}])
        expect(page.locator("#certificate-preview")).to_be_visible(timeout=30_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "my-hours-absent-form-ar-360")
        check(page, "amina ar my-hours form")
        page.click("#absence-send-button")
        expect(page.locator("#hours-done")).to_be_visible()
        notice = page.locator("#my-notices [data-notice]")
        expect(notice).to_have_count(1)
        expect(notice.locator("[data-action=certificate]")).to_be_visible()
        shot(page, "my-hours-announced-ar-360")

        # The phone shrank the photo: a JPEG under 2 MiB, at most 1600 px on its long side.
        with db.reading() as s:
            kept = s.scalars(select(Certificate).order_by(Certificate.id.desc())).first()
            mime, data = kept.mime, bytes(kept.data)
        assert mime == "image/jpeg" and len(data) <= 2 * 1024 * 1024
        assert max(Image.open(io.BytesIO(data)).size) <= 1600

        # Her coach's open file: her notice comes by itself, and its photo opens.
        told = coach.locator("#file-notices [data-notice]")
        expect(told).to_have_count(1)
        told.locator("[data-action=certificate]").click()
        photo = told.locator("img[data-photo]")
        expect(photo).to_be_visible()
        assert coach.evaluate("img => img.naturalWidth", photo.element_handle()) > 100
        shot(coach, "file-hours-certificate-fr-360")
        with coach.expect_download() as info:  # her attendance certificate, from her file
            coach.click("#file-attestation-pathway")
        assert info.value.path().read_bytes().startswith(b"%PDF")
        check(coach, "julie fr trainee file hours")

        # She comes after all: gone from her screen and from her coach's.
        notice.locator("[data-withdraw]").click()
        expect(page.locator("#my-notices [data-notice]")).to_have_count(0)
        expect(coach.locator("#file-notices [data-notice]")).to_have_count(0)
    finally:
        accounts.set_locale(actor("amina"), "fr")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_her_month_at_360_px(page, app_db, locale):
    from cisp_pwa.services.hours import months
    from cisp_pwa.services.people import accounts
    from tests.services.helpers import actor

    months.set_rates(actor("sophie"), 100, 350)  # travel costs too: every line of the month
    first, second = _latest_sessions(2)
    _mark("fatou", "present", [first])
    _mark("fatou", "absent", [second])
    accounts.set_locale(actor("fatou"), locale)
    try:
        sign_in(page, "fatou", locale=locale)
        page.wait_for_url(f"**/{locale}/my-pathway/")
        page.goto(f"/{locale}/my-hours/")
        figures = page.locator("#my-hours-figures")
        expect(figures.locator("[data-figure=travel]")).to_be_visible()
        expect(page.locator(f"#my-days [data-day='{first[1].isoformat()}'] [data-status]").first).to_be_visible()
        expect(page.locator(f"#my-days [data-day='{second[1].isoformat()}'] [data-status=absent]")).to_be_visible()
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, f"my-hours-{locale}-360")
        check(page, f"fatou {locale} my-hours")
        # Her attendance certificate of the month, a PDF in her language beside French.
        with page.expect_download() as info:
            page.click("#my-attestation-month")
        assert info.value.suggested_filename.startswith("attestation-fatou-diallo-")
        assert info.value.path().read_bytes().startswith(b"%PDF")
        page.click("#hours-late")
        expect(page.locator("#late-20")).to_be_visible()
        page.click("#late-20")
        expect(page.locator("#late-20")).to_have_attribute("aria-pressed", "true")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, f"my-hours-late-form-{locale}-360")
        check(page, f"fatou {locale} my-hours late form")
        page.click("#absence-cancel")
        shown = page.locator("#month-label").inner_text()
        page.click("#month-prev")
        expect(page.locator("#month-label")).not_to_have_text(shown)
    finally:
        accounts.set_locale(actor("fatou"), "fr")


def test_her_month_at_320_px_with_large_text(page, app_db):
    page.set_viewport_size({"width": 320, "height": 700})
    sign_in(page, "fatou")
    page.wait_for_url("**/fr/my-pathway/")
    page.click("#display-settings summary")
    page.click("#setting-size-xlarge")
    page.goto("/fr/my-hours/")
    expect(page.locator("#my-hours-figures")).to_be_visible()
    page.click("#hours-absent")
    expect(page.locator("#absence-reasons [data-reason=appointment]")).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing runs off the side
    shot(page, "my-hours-absent-form-fr-320-large")


def test_two_absences_in_a_row_flag_him_on_his_coachs_list_until_justified(page, second_page, app_db):
    """Her list open on the centre's computer, his file on her phone: she justifies one of the two
    absences there, and the list drops the flag by itself."""
    sessions = _latest_sessions(2)
    _mark("kevin", "absent", sessions)  # marked by the admin, before the coach opens her screens
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    card = page.locator("#trainees [data-trainee='Kevin Maes']")
    flag = card.locator("[data-absences-flag]")
    expect(flag).to_be_visible()
    expect(page.locator("#trainees [data-trainee='Amina Benali'] [data-absences-flag]")).to_have_count(0)
    shot(page, "trainees-flag-fr-360")
    check(page, "julie fr trainees flagged")
    phone = second_page
    sign_in(phone, "julie")
    phone.wait_for_url("**/fr/trainees/")
    _open_file(phone, "Kevin Maes")
    group_id, day, starts = sessions[-1]
    absence = phone.locator(f"#file-absences [data-absence='{day.isoformat()} {starts}']")
    expect(absence.locator("[data-decision]")).to_have_attribute("data-decision", "")
    absence.locator("select").select_option("assimilated:illness")
    absence.locator("[data-action=decide]").click()
    expect(phone.locator("#file-hours-error")).to_have_count(0)
    expect(absence.locator("[data-decision]")).to_have_attribute("data-decision", "assimilated:illness")
    expect(phone.locator("#file-hours-figures [data-figure=trained]")).to_be_visible()
    shot(phone, "file-hours-decided-fr-360")
    check(phone, "julie fr trainee file decided")
    expect(flag).to_have_count(0)  # live: nobody reloaded her list


def test_her_month_opens_without_network_as_she_last_saw_it(page, app_db):
    from .test_offline import _controlled_in

    sign_in(page, "fatou")
    page.wait_for_url("**/fr/my-pathway/")
    _controlled_in(page, "fr")
    page.wait_for_function("""() => caches.keys().then(async (names) => {
        for (const n of names) if (await (await caches.open(n)).match('/fr/my-hours/', {ignoreVary: true})) return true;
        return false;
    })""")
    page.click("#my-hours-link")
    label = page.locator("#month-label")
    expect(page.locator("#my-hours-figures")).to_be_visible()
    month = label.inner_text()
    page.context.set_offline(True)
    page.reload()  # no network: the screen opens from the phone, marked offline
    copy = page.locator("#offline-copy")
    expect(copy).to_contain_text("Hors ligne")
    expect(copy).to_contain_text(month)
    expect(copy).to_contain_text("Heures de formation")
    expect(copy).to_contain_text("Mes journées")
    shot(page, "my-hours-offline-fr-360")
    page.context.set_offline(False)
