"""The trainee's space on a phone: goals, self-assessment, live messages with the coach."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import shot, sign_in, switch_language

pytestmark = pytest.mark.browser


def open_tab(page, tab: str) -> None:
    page.click(f"#tab-{tab}")
    page.wait_for_url(f"**/{tab}/")


def test_propose_a_goal_and_see_it_proposed(page):
    sign_in(page, "kevin")
    page.wait_for_url("**/fr/my-pathway/")
    open_tab(page, "goals")
    page.click("#goal-new")
    page.click("#goal-submit")  # nothing typed: refused, in French, nothing saved
    expect(page.locator("#goal-form-error")).to_have_text("Écrivez un titre pour votre objectif.")
    page.fill("#goal-title", "Trouver un logement près du chantier")
    page.click("label[for=theme-housing]")
    page.fill("#goal-date", "2027-03-01")
    page.click("#goal-submit")
    expect(page.locator("#goals-notice")).to_be_visible()
    card = page.locator("li", has_text="Trouver un logement près du chantier")
    expect(card).to_contain_text("Proposé")
    expect(card).to_contain_text("1 mars 2027")
    shot(page, "goals-fr")
    switch_language(page, "ar")
    page.wait_for_url("**/ar/goals/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("li", has_text="Trouver un logement près du chantier")).to_contain_text("مقترح")
    shot(page, "goals-ar")
    switch_language(page, "fr")
    page.wait_for_url("**/fr/goals/")


def test_self_assess_a_skill_and_see_it_waiting(page):
    sign_in(page, "kevin")
    page.wait_for_url("**/fr/my-pathway/")
    open_tab(page, "skills")
    skill = page.locator("#skill-areas li").filter(has_text="À évaluer").first
    label = skill.locator("p").first.inner_text()
    skill.get_by_role("button", name="M'évaluer").click()
    page.click("#assess-confirm")  # no level chosen yet
    expect(page.locator("#assess-error")).to_have_text("Choisissez une réponse.")
    page.click("#level-2")
    expect(page.locator("#level-2")).to_have_attribute("aria-checked", "true")
    page.fill("#assess-comment", "Avec mon formateur à côté.")
    page.click("#assess-confirm")
    done = page.locator("#skill-areas li").filter(has_text=label)
    expect(done).to_contain_text("En attente de validation")
    # Her own level at a glance, pictogram and word on one line, without opening the history.
    mine = done.locator("[data-level=mine]")
    expect(mine).to_contain_text("Votre avis : Avec de l'aide")
    expect(mine.locator("svg")).to_have_count(1)
    assert mine.bounding_box()["height"] < 40
    done.get_by_role("button", name="Historique").click()
    expect(done).to_contain_text("Avec mon formateur à côté.")
    shot(page, "skills-fr")
    switch_language(page, "ar")
    page.wait_for_url("**/ar/skills/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#skill-areas")).to_be_visible()
    mine = page.locator("[data-level=mine]").first
    expect(mine.locator("svg")).to_have_count(1)
    assert mine.bounding_box()["height"] < 40
    shot(page, "skills-ar")
    switch_language(page, "fr")
    page.wait_for_url("**/fr/skills/")


def test_messages_arrive_live_both_ways_and_are_marked_read(page, second_page):
    trainee, coach = page, second_page
    sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    open_tab(trainee, "messages")
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Amina Benali'] [data-link=conversation]").click()
    coach.wait_for_url("**/fr/conversation/?trainee=*")
    expect(coach.locator("#thread")).to_be_visible()

    text = "Je serai en retard jeudi 🚌 — مرحبا <b>pas du HTML</b>"
    trainee.fill("#message-body", text)
    expect(trainee.locator("#message-counter")).to_have_text(f"{len(text)} / 2 000")  # her number format
    trainee.click("#message-send")
    mine = trainee.locator("#thread li", has_text="Je serai en retard jeudi")
    expect(mine).to_have_count(1)
    # Without reload, on the coach's open screen; shown as text, never as HTML.
    arrived = coach.locator("#thread li", has_text="Je serai en retard jeudi")
    expect(arrived).to_have_count(1, timeout=5000)
    expect(arrived).to_contain_text("<b>pas du HTML</b>")
    expect(coach.locator("#thread b")).to_have_count(0)
    # The coach has it open: the trainee now sees "Lu".
    expect(mine).to_contain_text("Lu", timeout=5000)

    trainee.click("#tab-my-pathway")
    trainee.wait_for_url("**/fr/my-pathway/")
    coach.fill("#message-body", "Merci de prévenir. À jeudi !")
    coach.click("#message-send")
    expect(trainee.locator("#unread-badge")).to_have_text("1", timeout=5000)
    open_tab(trainee, "messages")
    expect(trainee.locator("#thread li", has_text="Merci de prévenir")).to_have_count(1)
    expect(trainee.locator("#unread-badge")).to_have_count(0)
    shot(trainee, "messages-fr")
    shot(coach, "conversation-fr")

    coach.fill("#message-body", "Autre chose ?")
    coach.click("#message-send")
    expect(trainee.locator("#thread li", has_text="Autre chose ?")).to_have_count(1, timeout=5000)
    switch_language(trainee, "ar")
    trainee.wait_for_url("**/ar/messages/")
    expect(trainee.locator("html")).to_have_attribute("dir", "rtl")
    expect(trainee.locator("#thread")).to_be_visible()
    shot(trainee, "messages-ar")
    switch_language(trainee, "fr")
    trainee.wait_for_url("**/fr/messages/")


def test_a_message_sent_while_offline_waits_then_lands_once(page, second_page):
    trainee, coach = page, second_page
    sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    open_tab(trainee, "messages")
    expect(trainee.locator("#message-body")).to_be_visible()
    trainee.context.set_offline(True)
    trainee.fill("#message-body", "Envoyé sans réseau")
    trainee.click("#message-send")
    pending = trainee.locator("#pending-messages li", has_text="Envoyé sans réseau")
    expect(pending).to_contain_text("En attente d'envoi")
    expect(pending).to_have_attribute("data-status", "waiting")
    shot(trainee, "messages-waiting-fr")
    trainee.context.set_offline(False)  # the same screen, no reload: it goes by itself
    expect(trainee.locator("#thread li", has_text="Envoyé sans réseau")).to_have_count(1, timeout=20000)
    expect(trainee.locator("#pending-messages")).to_have_count(0)
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Amina Benali'] [data-link=conversation]").click()
    expect(coach.locator("#thread li", has_text="Envoyé sans réseau")).to_have_count(1)


def test_home_shows_progress_and_the_next_thing_to_do(page):
    sign_in(page, "amina")
    page.wait_for_url("**/fr/my-pathway/")
    expect(page.locator("[role=progressbar]")).to_be_visible()
    expect(page.locator("#next-steps")).to_contain_text("compétences à évaluer")
    for tab in ("goals", "skills", "messages", "my-pathway"):
        page.click(f"#tab-{tab}")
        page.wait_for_url(f"**/{tab}/")
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_nothing_overflows_at_320_px(browser, app_url):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=app_url)
    page = context.new_page()
    sign_in(page, "amina", locale="ar")
    page.wait_for_url("**/my-pathway/")
    for tab in ("goals", "skills", "messages", "my-pathway"):
        page.click(f"#tab-{tab}")
        page.wait_for_url(f"**/{tab}/")
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, tab
    context.close()


@pytest.mark.parametrize("login, locale, why", [
    ("amina", "fr", "Ce texte contient des signes que l'application ne peut pas garder."),
    ("youssef", "ar", "يحتوي هذا النص على رموز لا يستطيع التطبيق حفظها."),
])
def test_a_message_with_signs_the_server_keeps_none_of_says_why_and_stays_in_the_box(page, login, locale, why):
    sign_in(page, login, locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    open_tab(page, "messages")
    # A control character (pasted from somewhere): the server keeps none.
    page.fill("#message-body", "Bonjour\u0007 RDV-7Q2")
    page.click("#message-send")
    expect(page.locator("#message-error")).to_contain_text(why)
    expect(page.locator("#message-body")).to_have_value("Bonjour\u0007 RDV-7Q2")  # nothing lost
    expect(page.locator("#pending-messages")).to_have_count(0)  # nothing "sending" for ever
    expect(page.locator("#thread li", has_text="RDV-7Q2")).to_have_count(0)
    shot(page, f"message-refused-{locale}")


def test_a_conversation_opens_at_the_newest_message_and_says_when_a_new_one_arrives(page, second_page, app_db):
    from cisp_pwa.services.conversations import messages
    from tests.services.helpers import actor

    kevin, julie = actor("kevin"), actor("julie")
    for n in range(1, 36):  # a long thread, both sides (each under the message limit)
        sender = julie if n % 2 else kevin
        messages.send_message(sender, kevin.id, f"walk-{n:02d}-{sender.id}", f"Message numéro {n}")
    sign_in(page, "kevin")
    page.wait_for_url("**/fr/my-pathway/")
    open_tab(page, "messages")
    newest = page.locator("#thread li", has_text="Message numéro 35")
    expect(newest).to_be_in_viewport()
    expect(page.locator("#thread li")).to_have_count(messages.PAGE)  # the latest page only
    shot(page, "messages-opened-at-newest-fr")

    page.click("#older-messages")  # older ones on demand, the place kept
    expect(page.locator("#thread li", has_text="Message numéro 5")).to_have_count(1)
    page.evaluate("window.scrollTo(0, 0)")  # reading further up...
    sign_in(second_page, "julie")  # ...when her coach writes
    second_page.wait_for_url("**/fr/trainees/")
    second_page.goto(f"/fr/conversation/?trainee={kevin.id}")
    second_page.fill("#message-body", "Tu viens demain ?")
    second_page.click("#message-send")
    jump = page.locator("#new-message")
    expect(jump).to_have_text("Nouveau message ↓", timeout=5000)
    expect(page.locator("#thread li", has_text="Tu viens demain ?")).not_to_be_in_viewport()
    shot(page, "messages-new-message-fr")
    jump.click()
    expect(page.locator("#thread li", has_text="Tu viens demain ?")).to_be_in_viewport()
    expect(jump).to_have_count(0)
