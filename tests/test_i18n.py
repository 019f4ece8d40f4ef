"""Every user-facing string is in every shipped catalog, translated, placeholders intact."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from cisp_pwa import i18n, settings

KEYWORDS = {"_": None, "N_": None, "ngettext": (2, 3)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _source_messages() -> dict[str, tuple[str, ...]]:
    found = {}
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(settings.PROJECT_DIR / "cisp_pwa"), keywords=KEYWORDS, comment_tags=()
    ):
        key = message[0] if isinstance(message, tuple) else message
        found[key] = message if isinstance(message, tuple) else (message,)
    return found


SOURCE = _source_messages()
TRANSLATED = [loc for loc in i18n.LOCALES if loc != i18n.DEFAULT_LOCALE]


def test_the_source_has_strings_to_translate():
    assert "Mon parcours" in SOURCE and len(SOURCE) > 30


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_string_is_translated(locale):
    with i18n.po_path(locale).open("rb") as f:
        catalog = read_po(f, locale=locale)
    missing, empty, broken = [], [], []
    for msgid, forms in SOURCE.items():
        message = catalog.get(msgid)
        if message is None:
            missing.append(msgid)
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings) or message.fuzzy:
            empty.append(msgid)
        wanted = set(PLACEHOLDER.findall(forms[-1]))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) - wanted or (len(strings) == 1 and set(PLACEHOLDER.findall(s)) != wanted):
                broken.append(msgid)
    assert missing == [], f"not in the {locale} catalog (run `make i18n`)"
    assert empty == [], f"untranslated in {locale}"
    assert broken == [], f"placeholders differ in {locale}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_are_used_at_run_time(locale):
    _ = i18n.gettext_for(locale)
    assert _("Mon parcours") != "Mon parcours"
    assert "3" in i18n.ngettext(locale, "%(n)s compétence", "%(n)s compétences", 3)


def test_direction_and_dates_follow_the_locale():
    assert i18n.direction("ar") == "rtl" and i18n.direction("fr") == "ltr"
    assert i18n.format_date(date(2026, 3, 9), "fr", "long") == "9 mars 2026"
    assert i18n.language_name("ar") == "العربية"
    assert i18n.normalise("xx") == i18n.DEFAULT_LOCALE


@pytest.mark.parametrize("locale", TRANSLATED)
def test_screen_titles_are_translated(locale):
    from cisp_pwa.pages import SCREENS, title

    for screen in SCREENS:
        if screen.PAGE:  # the bare /<locale>/ screen shows only the product name
            assert title(screen, locale) != title(screen, i18n.DEFAULT_LOCALE), screen.__name__
