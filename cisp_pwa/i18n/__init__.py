"""Languages: gettext catalogs (French source), writing direction, Babel formatting.

Pages are compiled once per locale with `gettext_for(locale)`, so the HTML a phone receives
is already in its language; strings that depend on data are formatted on the server.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

# French is the source; then Belgium's other national languages, then the trainees' languages.
LOCALES: tuple[str, ...] = ("fr", "nl", "de", "en", "ar", "fa", "tr", "ro", "uk", "es", "pt")
DEFAULT_LOCALE = "fr"
RTL_LOCALES = frozenset({"ar", "fa"})
CATALOG_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"


def normalise(locale: str | None) -> str:
    return locale if locale in LOCALES else DEFAULT_LOCALE


def localised(texts: dict[str, str], locale: str) -> str:
    """A text kept in several languages (a pathway's name, a skill's label): the one in the
    locale, else French (the source), else any."""
    return texts.get(locale) or texts.get(DEFAULT_LOCALE) or next(iter(texts.values()), "")


# "fa" in addresses and catalogs is Dari (Afghanistan's Persian): dates and names follow fa_AF.
_BABEL_LOCALE = {"fa": "fa_AF"}


def babel_locale(locale: str) -> str:
    return _BABEL_LOCALE.get(locale, locale)


def direction(locale: str) -> str:
    return "rtl" if locale in RTL_LOCALES else "ltr"


_NAMES = {"fa": "دری"}  # the name Dari speakers know their language by


def language_name(locale: str) -> str:
    """Each language under its own name, in its own script."""
    if locale in _NAMES:
        return _NAMES[locale]
    return Locale.parse(babel_locale(locale)).get_display_name(babel_locale(locale)).split(" (")[0].capitalize()


def po_path(locale: str) -> Path:
    return CATALOG_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> Translations:
    """The catalog of a locale, compiled in memory from its .po (no build step)."""
    if locale == DEFAULT_LOCALE or not po_path(locale).exists():
        return Translations()  # French is the source text: msgid is the French string
    with po_path(locale).open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext_for(locale: str):
    """`_` for one locale: `_ = gettext_for("ar"); _("Mon parcours")`."""
    return translations(normalise(locale)).gettext


def N_(message: str) -> str:
    """Marks a French string for the catalogs where no locale is known yet (a screen's title):
    whoever shows it translates it with `gettext_for(locale)`."""
    return message


def ngettext(locale: str, singular: str, plural: str, n: int, **values: object) -> str:
    text = translations(normalise(locale)).ngettext(singular, plural, n)
    return text % {"n": n, **values}


def format_date(value: date, locale: str, fmt: str = "medium") -> str:
    return _format_date(value, format=fmt, locale=babel_locale(normalise(locale)))


def format_datetime(value: datetime, locale: str, fmt: str = "short") -> str:
    return _format_datetime(value, format=fmt, locale=babel_locale(normalise(locale)), tzinfo="Europe/Brussels")


def format_day_time(value: datetime, locale: str) -> str:
    """An appointment: its day in full and its time, in Brussels time ("lundi 7 décembre 2026 · 10:30")."""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo("Europe/Brussels"))
    return f"{format_date(local.date(), locale, 'full')} · {local:%H:%M}"


def format_money(cents: int, locale: str) -> str:
    """An amount in euros as the person reads it ("32,50 €", "€32.50")."""
    from babel.numbers import format_currency

    return format_currency(cents / 100, "EUR", locale=babel_locale(normalise(locale)))


def format_minutes(minutes: int, locale: str) -> str:
    """A number of hours as the person reads it: "3 h 30 min", "3 h", "45 min" (Babel's short units;
    not a Babel list: its Arabic pattern repeats the last item)."""
    from babel.units import format_unit

    where = babel_locale(normalise(locale))
    hours, rest = divmod(max(0, int(minutes)), 60)
    parts = [format_unit(hours, "duration-hour", length="short", locale=where)] if hours or not rest else []
    if rest:
        parts.append(format_unit(rest, "duration-minute", length="short", locale=where))
    return " ".join(parts)


def format_month(first: date, locale: str) -> str:
    """A month and its year ("novembre 2026")."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", first, locale=babel_locale(normalise(locale)))
