"""What a second walk-through on a phone showed (360 × 740, French and Arabic): a long message is
never cut, the voice recorder's buttons are never under the tab bar, `/` opens the phone's
language even without scripts, and "Trouver de l'aide" shows its kept copy at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cisp_pwa import i18n
from cisp_pwa.services.messages import BODY_MAX

from .conftest import PHONE, shot, sign_in

pytestmark = pytest.mark.browser


TRAINEE = {"fr": "amina", "ar": "youssef"}  # whose account speaks the language


def _open_messages(page, locale: str) -> None:
    sign_in(page, TRAINEE[locale], locale=locale)
    page.wait_for_url(f"**/{locale}/my-pathway/")
    page.click("#tab-messages")
    page.wait_for_url(f"**/{locale}/messages/")
    expect(page.locator("#message-body")).to_be_visible()


def _plain(text: str) -> str:
    """Grouping spaces (narrow, no-break) as plain spaces."""
    return re.sub(r"[\u202f\u00a0]", " ", text)


# 1. A message over 2,000 characters is never cut: the counter warns, "Envoyer" says why.

@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_message_past_the_limit_is_kept_whole_and_she_is_told_why_it_cannot_go(page, locale):
    _ = i18n.gettext_for(locale)
    _open_messages(page, locale)
    thread_before = page.locator("#thread li").count()
    long_text = ("Bonjour Julie, " * 200)[: BODY_MAX + 140 - 3] + "FIN"  # the end must not be lost
    box = page.locator("#message-body")
    box.fill(long_text)  # what a paste does: the whole text, in one go
    assert box.input_value() == long_text  # nothing cut by the browser
    counter = page.locator("#message-counter")
    expect(counter).to_have_attribute("data-over", "true")
    if locale == "fr":
        assert _plain(counter.inner_text()) == "2 140 / 2 000"
    else:
        assert _plain(counter.inner_text()) == "2,140 / 2,000"
    color = counter.evaluate("e => getComputedStyle(e).color")
    assert color != page.locator("#message-body").evaluate("e => getComputedStyle(e).color")
    send = page.locator("#message-send")
    expect(send).to_be_visible()
    box_size = send.bounding_box()
    assert box_size["height"] >= 44 and box_size["width"] >= 44
    send.click()
    why = _("Votre message est trop long : enlevez %(n)s caractères, ou envoyez-le en deux fois.").replace(
        "%(n)s", "140")
    expect(page.locator("#message-error")).to_have_text(why)
    shot(page, f"walk-message-too-long-{locale}")
    # Nothing went: not to the server, not to the outbox; her text is still all there.
    page.wait_for_timeout(1000)
    assert page.locator("#thread li").count() == thread_before
    assert page.locator("#pending-messages li").count() == 0
    assert page.evaluate("localStorage.getItem('cisp_outbox')") in (None, "[]")
    assert box.input_value() == long_text
    # Typed on past the limit too: the box takes every key.
    box.press("End")
    box.type("!!")
    assert box.input_value() == long_text + "!!"
    # Taken back under the limit, it goes whole.
    short = long_text[: BODY_MAX - 10] + "FIN"
    box.fill(short)
    expect(counter).to_have_attribute("data-over", "false")
    expect(page.locator("#message-error")).to_have_text("")
    send.click()
    expect(page.locator("#thread li").last).to_contain_text("FIN")
    assert page.locator("#thread li").last.inner_text().count("Bonjour") >= 100


def test_offline_a_message_past_the_limit_stays_in_the_box_not_in_the_outbox(page):
    _ = i18n.gettext_for("fr")
    _open_messages(page, "fr")
    page.context.set_offline(True)
    long_text = "x" * (BODY_MAX + 5)
    page.fill("#message-body", long_text)
    page.click("#message-send")
    expect(page.locator("#message-error")).to_have_text(
        _("Votre message est trop long : enlevez %(n)s caractères, ou envoyez-le en deux fois.").replace("%(n)s", "5"))
    assert page.locator("#pending-messages li").count() == 0
    assert page.locator("#message-body").input_value() == long_text
    page.context.set_offline(False)
