"""The staff side in the browser: trainer validation seen live by the trainee, the coach's
live inbox and file, the admin's QR onboarding with a PIN, deactivation ending a session."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import accept_terms, shot, sign_in, switch_language

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def shots(page, name: str) -> None:
    """French and Arabic, phone and desktop; back to French after."""
    for locale in ("fr", "ar"):
        if locale == "ar":
            query = page.url.partition("?")[2]
            switch_language(page, "ar")
            page.wait_for_url(re.compile(r".*/ar/.*"))
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            assert page.url.partition("?")[2] == query  # the same trainee or pathway, in Arabic
            page.wait_for_timeout(400)
        for size, viewport in (("360", {"width": 360, "height": 740}), ("1280", DESKTOP)):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(200)
            shot(page, f"{name}-{locale}-{size}")
    page.set_viewport_size({"width": 360, "height": 740})
    switch_language(page, "fr")
    page.wait_for_url(re.compile(r".*/fr/.*"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_trainer_adjusts_with_a_reason_and_the_trainee_sees_it_live(page, second_page):
    trainee, trainer = page, second_page
    sign_in(trainee, "kevin")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.click("#tab-skills")
    trainee.wait_for_url("**/fr/skills/")
    waiting = trainee.locator("#skill-areas li").filter(has_text="En attente de validation")
    expect(waiting.first).to_be_visible()

    sign_in(trainer, "marc")
    trainer.wait_for_url("**/fr/validations/")
    trainer.select_option("#filter-trainee", label="Kevin Maes")
    expect(trainer.locator("#pending > li").filter(has_not_text="Kevin Maes")).to_have_count(0)
    item = trainer.locator("#pending > li").filter(has_text="La débroussailleuse me fait encore peur.")
    expect(item).to_be_visible()
    skill = item.locator("p").nth(2).inner_text()
    item.get_by_role("button", name="Ajuster").click()
    trainer.click("#adjust-level-3")
    trainer.click("#adjust-submit")  # no reason yet: refused, nothing saved
    expect(trainer.locator("#adjust-error")).to_have_text("Expliquez en quelques mots pourquoi.")
    box = trainer.locator("#adjust-reason")
    empty_height = box.bounding_box()["height"]
    trainer.fill("#adjust-reason", "Tu l'as utilisée seul mardi, en sécurité, et tu as rangé le matériel "
                                   "sans qu'on te le demande. Bravo, continue comme ça la semaine prochaine.")
    assert box.bounding_box()["height"] > empty_height  # it grows with the reason: nothing hidden
    assert box.evaluate("b => b.scrollHeight <= b.clientHeight + 1")
    shot(trainer, "adjust-reason-grows-fr")
    trainer.fill("#adjust-reason", "Tu l'as utilisée seul mardi, en sécurité.")
    trainer.click("#adjust-submit")
    expect(trainer.locator("#queue-notice")).to_be_visible()

    answered = trainee.locator("#skill-areas li").filter(has_text=skill)
    expect(answered).to_contain_text("Ajusté", timeout=5000)
    expect(answered).to_contain_text("Tu l'as utilisée seul mardi, en sécurité.")
    expect(answered).to_contain_text("Avec de l'aide")  # the trainee's own level stays beside it
    shots(trainer, "validations")


def test_trainer_confirms_a_selection(second_page):
    trainer = second_page
    sign_in(trainer, "marc")
    trainer.wait_for_url("**/fr/validations/")
    trainer.select_option("#filter-trainee", label="Amina Benali")
    items = trainer.locator("#pending > li")
    expect(items.filter(has_not_text="Amina Benali")).to_have_count(0)  # the filter has answered
    expect(items.first).to_be_visible()
    count = items.count()
    for i in range(count):
        box = items.nth(i).locator("input[type=checkbox]")
        box.click()  # the server keeps the selection: the box shows it once it answered
        expect(box).to_be_checked()
    expect(trainer.locator("#confirm-selected")).to_contain_text(f"({count})")
    trainer.click("#confirm-selected")
    expect(trainer.locator("#pending > li")).to_have_count(0)
    expect(trainer.locator("#queue-notice")).to_have_text("La sélection est confirmée.")


def test_the_coach_inbox_is_live_and_replies_reach_the_trainee(page, second_page):
    trainee, coach = page, second_page
    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    card = coach.locator("#trainees [data-trainee='Kevin Maes']")
    expect(card).to_be_visible()
    sign_in(trainee, "kevin")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.click("#tab-messages")
    trainee.wait_for_url("**/fr/messages/")
    trainee.fill("#message-body", "Je suis bloqué à la gare, le train est supprimé.")
    trainee.click("#message-send")
    expect(card).to_contain_text("Je suis bloqué à la gare", timeout=5000)
    expect(card.locator("[data-unread]")).to_have_text("1 non lu")  # one, in words: no "(s)"
    expect(coach.locator("#trainees > li").first).to_have_attribute("data-trainee", "Kevin Maes")  # unread first
    shots(coach, "inbox")
    card.locator("[data-link=conversation]").click()
    coach.wait_for_url("**/fr/conversation/?trainee=*")
    coach.fill("#message-body", "Pas de souci, prends le bus de 9 h.")
    coach.click("#message-send")
    expect(trainee.locator("#thread li", has_text="prends le bus de 9 h")).to_have_count(1, timeout=5000)
    shots(coach, "conversation")


def test_the_coach_file_agrees_a_goal_and_keeps_private_notes(page, second_page):
    trainee, coach = page, second_page
    sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.click("#tab-goals")
    trainee.wait_for_url("**/fr/goals/")
    proposal = trainee.locator("#goal-groups li").filter(has_text="Trouver un stage dans une cuisine")
    expect(proposal).to_contain_text("Proposé")

    sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Amina Benali'] [data-link=file]").click()
    coach.wait_for_url("**/fr/trainee/?trainee=*")
    coach.fill("#coach-note", "Rendez-vous au CPAS mardi pour le plan de paiement.")
    coach.click("#coach-note-submit")
    expect(coach.locator("#coach-notes")).to_contain_text("Rendez-vous au CPAS mardi")
    expect(coach.locator("#coach-notes")).to_contain_text("Julie Renard")
    coach.locator("#file-goals li").filter(has_text="Trouver un stage dans une cuisine") \
        .get_by_role("button", name="D'accord").click()
    expect(proposal).to_contain_text("En cours", timeout=5000)  # the trainee sees it, live
    expect(trainee.get_by_text("Rendez-vous au CPAS")).to_have_count(0)
    coach.click("#invite-new")  # a coach may make a new access code for a trainee they support
    expect(coach.locator("#invite-code")).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    shots(coach, "trainee-file")
    switch_language(coach, "ar")
    expect(coach.locator("#coach-notes")).to_contain_text("Rendez-vous au CPAS mardi")  # still her file


def test_admin_creates_a_trainee_whose_phone_opens_the_invitation_and_sets_a_pin(page, second_page):
    admin, phone = page, second_page
    sign_in(admin, "sophie")
    admin.wait_for_url("**/fr/centre/")
    admin.click("#create-role-trainee")
    admin.fill("#display_name", "Nadia Haddad")
    admin.fill("#login", "nadia")
    admin.click("#create-submit")
    expect(admin.locator("#invite-qr")).to_be_visible()
    code = admin.locator("#invite-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    admin.set_viewport_size({"width": 320, "height": 740})  # the smallest phone: still one line
    admin.wait_for_timeout(200)
    assert admin.locator("#invite-code").bounding_box()["height"] < 48
    boxes = admin.locator("input[id^=staff-]")  # the assignment ticks keep their size when names wrap
    expect(boxes.first).to_be_visible()
    assert all(box.bounding_box()["width"] >= 23 for box in boxes.all())
    shot(admin, "invite-code-320-fr")
    admin.set_viewport_size({"width": 360, "height": 740})
    link = admin.locator("#invite-link").get_attribute("href")
    shots(admin, "centre")

    phone.goto(link)
    expect(phone.locator("#pin-submit")).to_be_visible()
    phone.fill("#pin", "2580")
    phone.fill("#pin_again", "2580")
    phone.click("#pin-submit")  # a keypad line: the first a thief tries
    expect(phone.locator("#welcome-error")).to_contain_text("trop facile à deviner")
    phone.fill("#pin", "4827")
    phone.fill("#pin_again", "4821")
    phone.click("#pin-submit")
    expect(phone.locator("#welcome-error")).to_have_text("Les deux codes PIN ne sont pas les mêmes.")
    phone.fill("#pin", "4827")
    phone.fill("#pin_again", "4827")
    phone.click("#pin-submit")
    expect(phone.locator("#pin-done")).to_be_visible()
    shot(phone, "welcome-pin-done-fr")
    phone.click("#go-home")
    accept_terms(phone)  # a new trainee: her terms first
    phone.wait_for_url("**/fr/my-pathway/")
    phone.click("#sign-out")
    phone.wait_for_url("**/fr/sign-in/")
    sign_in(phone, "nadia", "4827")
    phone.wait_for_url("**/fr/my-pathway/")
    expect(phone.locator("#greeting")).to_contain_text("Nadia Haddad")

    # The invitation was used: opening it again says so, and how to get a new one.
    phone.click("#sign-out")
    phone.wait_for_url("**/fr/sign-in/")
    phone.goto(link)
    expect(phone.locator("#welcome-error")).to_contain_text("Ce code a déjà servi")
    shot(phone, "welcome-used-fr")


def test_deactivation_ends_an_open_session(page, second_page):
    admin, phone = page, second_page
    sign_in(phone, "fatou")
    phone.wait_for_url("**/fr/my-pathway/")
    expect(phone.locator("#greeting")).to_be_visible()
    sign_in(admin, "sophie")
    admin.wait_for_url("**/fr/centre/")
    row = admin.locator("#accounts [data-login=fatou]")
    row.get_by_role("button", name="Désactiver").click()
    admin.click("#deactivate-confirm")
    expect(row).to_contain_text("désactivé")
    phone.wait_for_url("**/fr/sign-in/", timeout=10000)  # the open screen closes by itself
    expect(phone.get_by_text("Fatou")).to_have_count(0)
    row.get_by_role("button", name="Réactiver").click()
    expect(row).not_to_contain_text("désactivé")


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_a_broken_pathway_file_says_where_and_what_in_the_admins_language(page, app_db, tmp_path, locale):
    import yaml

    from cisp_pwa import i18n, settings
    from cisp_pwa.services.people import accounts
    from tests.services.helpers import actor

    _ = i18n.gettext_for(locale)
    data = yaml.safe_load((settings.PROJECT_DIR / "cisp_pwa/pathways/defi-numerique.yaml").read_text())
    area, skill = data["areas"][0], data["areas"][0]["skills"][1]
    del skill["label"]["nl"]  # a translation forgotten in the second skill of the first area
    broken = tmp_path / "defi-numerique.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    accounts.set_locale(actor("sophie"), locale)  # her account's language (the next test starts in French)
    sign_in(page, "sophie", locale=locale)
    page.wait_for_url(f"**/{locale}/centre/")
    expect(page.locator("#accounts")).to_be_visible()  # the screen has loaded: it takes the file
    page.locator("#pathway-file input[type=file]").set_input_files(str(broken))
    alert = page.locator("#import-error[role=alert]")  # all of it is what a screen reader hears
    expect(alert).to_contain_text(_("Ce fichier a une erreur. Rien n'a été changé."))
    for part in (_("Domaine %(n)s") % {"n": 1} + f" « {area['label'][locale]} »",
                 _("Compétence %(n)s") % {"n": 2} + f" « {skill['label'][locale] if locale in skill['label'] else skill['label']['fr']} »",
                 _("Il manque la traduction dans ces langues : %(langs)s.") % {"langs": "nl"}):
        expect(alert).to_contain_text(part)
    expect(alert).not_to_contain_text("String should")  # no parser English
    shot(page, f"pathway-import-error-{locale}")


def test_pathway_labels_can_be_edited(page):
    sign_in(page, "sophie")
    page.wait_for_url("**/fr/centre/")
    page.locator("#pathways li").first.get_by_role("link", name="Modifier").click()
    page.wait_for_url("**/fr/pathway/?id=*")
    first_skill = page.locator("#pathway-items li[data-key^=skill]").first
    first_skill.get_by_role("button", name="Textes et traductions").click()
    page.fill("#label-en", "A clearer English label.")
    page.click("#label-save")
    expect(page.locator("#pathway-items li[data-key^=skill]").first).to_contain_text("C'est enregistré.")
    shots(page, "pathway-editor")


def test_a_message_the_server_refuses_says_why_and_comes_back_into_the_box(page, app_db):
    from cisp_pwa.services.people import centre_admin
    from tests.services.helpers import actor

    sophie, julie, kevin = actor("sophie"), actor("julie"), actor("kevin")
    sign_in(page, "julie")
    page.wait_for_url("**/fr/trainees/")
    page.goto(f"/fr/conversation/?trainee={kevin.id}")
    expect(page.locator("#message-body")).to_be_visible()
    centre_admin.set_assignment(sophie, kevin.id, julie.id, False)  # meanwhile, no longer his coach
    try:
        page.fill("#message-body", "On se voit lundi ?")
        page.click("#message-send")
        expect(page.locator("#send-error")).to_have_text("Ce message ne peut pas partir dans cette conversation.",
                                                         timeout=5000)
        # Sending it again cannot work: not left "sending", not offered as a retry; the text is kept.
        expect(page.locator("#pending-messages")).to_have_count(0)
        expect(page.locator("#message-body")).to_have_value("On se voit lundi ?")
        shot(page, "conversation-refused-fr")
    finally:
        centre_admin.set_assignment(sophie, kevin.id, julie.id, True)
