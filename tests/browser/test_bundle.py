"""Each screen loads only its own code: a route's module graph holds no other route's components
and no other locale's (issue 12). Reads the production build the browser tests' app was started
from (`app_url`: `reflex run --env prod` builds it): no second build."""

from __future__ import annotations

import re
from html import escape as html_escape
from collections import Counter

import pytest
from babel.messages.pofile import read_po

from cisp_pwa import i18n
from cisp_pwa.cli import web_dir as reflex_web_dir
from scripts.bundle_size import route_graphs, screen_routes

pytestmark = pytest.mark.browser  # the served app's production build of every locale

PAGE_MEMOS = re.compile(r'from "\$/app_components/cisp_pwa/pages/([^"]+)"')


def _sentences() -> dict[str, set[str]]:
    """Per locale, the catalog's sentences that only that locale has (to recognise its
    components in built files whatever their names became)."""
    per_locale = {}
    for locale in i18n.LOCALES:
        path = i18n.po_path(locale) if locale != i18n.DEFAULT_LOCALE else i18n.CATALOG_DIR.parent / "messages.pot"
        with path.open("rb") as f:
            catalog = read_po(f)
        texts = (m.id if locale == i18n.DEFAULT_LOCALE else m.string for m in catalog if m.id)
        per_locale[locale] = {t for t in texts if isinstance(t, str) and len(t) >= 16 and " " in t}
    seen = Counter(t for texts in per_locale.values() for t in texts)
    return {locale: {t for t in texts if seen[t] == 1} for locale, texts in per_locale.items()}


@pytest.fixture(scope="module")
def web_dir(app_url):
    return reflex_web_dir()


def _route_source(web_dir, path: str) -> str:
    name = ".".join(f"[{segment}]" for segment in path.split("/")) + "._index.jsx"
    return (web_dir / "app" / "routes" / name).read_text(encoding="utf-8")


def test_each_route_imports_only_its_own_screen_and_locale_components(web_dir):
    imported = Counter()
    for path, (screen, locale) in screen_routes().items():
        modules = set(PAGE_MEMOS.findall(_route_source(web_dir, path)))
        assert modules <= {f"{screen}/{locale}"}, f"/{path}/ imports {sorted(modules)}"
        imported.update(modules)
    assert imported, "no route imports memoized components: the check would prove nothing"
    assert max(imported.values()) == 1, [m for m, n in imported.items() if n > 1]
    # A screen's component module may use shared components, never another screen's.
    for module in (web_dir / "app_components" / "cisp_pwa").rglob("*.jsx"):
        assert not PAGE_MEMOS.findall(module.read_text(encoding="utf-8")), module


def test_no_route_graph_holds_another_route_or_locale(web_dir):
    graphs = route_graphs(web_dir / "build" / "client")
    screens = screen_routes()
    own = {path: graphs[path][0] for path in screens}
    for path in screens:
        module, graph = graphs[path]
        others = {m for p, m in own.items() if p != path}
        assert not graph & others, f"/{path}/ loads {sorted(graph & others)}"
    # In the built files: a route's own module holds its locale's words and no other locale's;
    # the files it shares with other routes (React, Reflex, shared components) hold none.
    sentences = _sentences()
    client = web_dir / "build" / "client"
    for path, (screen, locale) in screens.items():
        module, graph = graphs[path]
        text = (client / module.lstrip("/")).read_text(encoding="utf-8")
        if screen == "sign_in":  # words the check must find, else it proves nothing
            assert any(t in text for t in sentences[locale]), f"/{path}/: none of its words found"
        for other, texts in sentences.items():
            if other != locale:
                assert not [t for t in texts if t in text], f"/{path}/ holds {other} components"
    for chunk in set().union(*(g for _, g in graphs.values())) - set(own.values()):
        text = (client / chunk.lstrip("/")).read_text(encoding="utf-8")
        found = [t for texts in sentences.values() for t in texts if t in text]
        assert not found, f"{chunk}, shared by several routes, holds screen words: {found[:3]}"
    # What a screen loads besides its own module is the same in every locale: nothing there is
    # one locale's (a chunk of French components would be loaded by French routes only).
    by_screen: dict[str, dict[str, frozenset[str]]] = {}
    for path, (screen, locale) in screens.items():
        module, graph = graphs[path]
        by_screen.setdefault(screen, {})[locale] = frozenset(graph - {module})
    for screen, per_locale in by_screen.items():
        assert len(set(per_locale.values())) == 1, f"{screen}: locales load different shared chunks"


def test_screens_paint_before_their_code_loads(web_dir):
    """No prerendered screen names a module in <head> (a modulepreload would load, and run, before
    the first paint); each keeps them all in its template, which the service worker reads; React Router's module
    script loads them (cisp_pwa/first_paint.py)."""
    client = web_dir / "build" / "client"
    graphs = route_graphs(client)
    for path in screen_routes():
        html = (client / path / "index.html").read_text(encoding="utf-8")
        head, body = html.split("</head>", 1)
        assert "modulepreload" not in head and body.count('<script type="module" async="">') == 1, path
        template = re.search(r'<template id="cisp-modules">(.*?)</template>', body).group(1)
        kept = set(re.findall(r'<link rel="modulepreload" href="(/assets/[^"]+)"/>', template))
        assert {m for m in graphs[path][1] if m.endswith(".js")} <= kept, path
        # Still painted from the HTML: the screen's words are there before any script runs.
        assert "<main" in body, path


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_trainee_screens_say_where_she_is_at_first_paint(web_dir, locale):
    """Her data needs the page's code and a round trip; the screen's title (and the messages'
    instruction) do not: they are in the prerendered HTML, beside "Chargement…"."""
    _ = i18n.gettext_for(locale)
    client = web_dir / "build" / "client"
    said = {
        "goals": [_("Mes objectifs")],
        "skills": [_("Mes compétences")],
        "messages": [_("Mes messages"),
                     _("Votre équipe d'accompagnement lit vos messages. Ils restent entre vous.")],
    }
    for page, words in said.items():
        html = (client / locale / page / "index.html").read_text(encoding="utf-8")
        body = html.split("<main", 1)[1]
        for text in words:
            assert html_escape(text) in body, (locale, page, text)
        assert html_escape(_("Chargement…")) in body, (locale, page)
