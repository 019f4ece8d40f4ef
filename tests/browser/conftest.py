"""The real app, served as users get it (production build), driven by Debian's Chromium."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from cisp_pwa import settings
from tests.conftest import unavailable

CHROMIUM = os.environ.get("CISP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    # A microphone that says yes and plays a beep (voice messages); no other test asks for one.
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
]
PORT = int(os.environ.get("CISP_TEST_PORT", "3123"))
PHONE = {"width": 360, "height": 740}
SCREENSHOTS = settings.PROJECT_DIR / "tests" / "screenshots"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except Exception:
        return 0


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("app-data")


_served: dict[str, Path] = {}  # the served app's database, for sign_in's second factor


@pytest.fixture(scope="session")
def app_url(app_data_dir):
    """Set up a fresh SQLite database with the demo, then `reflex run --env prod` on it."""
    data_dir = app_data_dir
    _served["db"] = data_dir / "cisp.db"
    # Credentials and share links name the address the tests reach the app at.
    # A demo build: every header says "Démo" (settings.demo).
    env = {**os.environ, "CISP_DATA_DIR": str(data_dir), "CISP_PORT": str(PORT),
           "CISP_PUBLIC_URL": f"http://127.0.0.1:{PORT}", "CISP_DEMO": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    bin_dirs = [str(settings.PROJECT_DIR / ".tools" / "node_modules" / ".bin"), str(Path(sys.executable).parent)]
    env["PATH"] = os.pathsep.join(bin_dirs + [env.get("PATH", "")])
    subprocess.run([sys.executable, "-m", "cisp_pwa.cli", "setup"], env=env, check=True,
                   cwd=settings.PROJECT_DIR, capture_output=True)
    log_path = data_dir / "app.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod"],
            cwd=settings.PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{PORT}"
    deadline = time.monotonic() + 420
    try:
        while not (_get(f"{base}/ping") == 200 and _get(f"{base}/fr/sign-in/") == 200):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the app did not start:\n" + log_path.read_text(errors="replace")[-4000:])
            time.sleep(1)
        yield base
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def demo_languages(request):
    """Tests switch languages, which is kept on the account: each test starts from the demo's
    own choice, whatever the previous test's last click left behind."""
    if "app_url" not in request.fixturenames:
        yield
        return
    from sqlalchemy import text

    from cisp_pwa.services.infra.db import make_engine

    engine = make_engine(f"sqlite:///{request.getfixturevalue('app_data_dir') / 'cisp.db'}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE app_user SET locale = 'fr' WHERE login != 'youssef'"))
    engine.dispose()
    yield


@pytest.fixture
def app_db(app_url, app_data_dir):
    """The services, pointed at the served app's database, to prepare what a test needs."""
    from cisp_pwa.services.infra import db

    db.configure(f"sqlite:///{app_data_dir / 'cisp.db'}")
    yield


@pytest.fixture
def page(browser, app_url):
    """A fresh phone-sized browser context (nothing kept from another test)."""
    context = browser.new_context(viewport=PHONE, base_url=app_url, locale="fr-BE")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, login: str, password: str | None = None, locale: str = "fr") -> None:
    """Demo accounts have the password parcours-<login>. An admin (or staff with the app on)
    gives the second factor as a person would: the first time, she sets up the app from the
    key on the screen and notes the recovery codes."""
    page.goto(f"/{locale}/sign-in/")
    expect(page.locator("#sign-in-submit")).to_be_enabled()  # the page's code runs: nothing typed is lost
    page.fill("#login", login)
    page.fill("#password", password or f"parcours-{login}")
    page.click("#sign-in-submit")
    if password is None and _second_factor_asked(login):
        give_second_factor(page, login)


def _second_factor_asked(login: str) -> bool:
    with sqlite3.connect(_served["db"]) as connection:
        return connection.execute(
            "SELECT 1 FROM app_user u LEFT JOIN second_factor f ON f.user_id = u.id "
            "WHERE u.login = ? AND (u.role = 'admin' OR f.confirmed_at IS NOT NULL)", (login,)).fetchone() is not None


def app_code(login: str, secret: str | None = None) -> str:
    """The code the person's authenticator app shows now, one the server has not taken yet."""
    with sqlite3.connect(_served["db"]) as connection:
        row = connection.execute("SELECT f.secret, f.last_step FROM second_factor f JOIN app_user u "
                                 "ON u.id = f.user_id WHERE u.login = ?", (login,)).fetchone()
    secret, last = secret or row[0], row[1] if row else 0
    step = int(time.time()) // 30
    if row and last >= step:
        # The server takes each code once (replay refusal: tests/services/people/test_second_factor.py).
        # The tests sign the same admin in many times a minute: rather than wait for a new code,
        # the helper makes the server forget the steps it took since the last one (test data only).
        with sqlite3.connect(_served["db"]) as connection:
            connection.execute("UPDATE second_factor SET last_step = ? WHERE user_id = "
                               "(SELECT id FROM app_user WHERE login = ?)", (step - 1, login))
        last = step - 1
    return pyotp.TOTP(secret).at(max(step, last + 1) * 30)


def give_second_factor(page, login: str) -> None:
    page.locator("#second-factor-set-up, #second-factor-code-step").first.wait_for()
    if page.locator("#second-factor-set-up").count():
        key = page.locator("#second-factor-key")
        expect(key).not_to_be_empty()
        page.fill("#second-factor-code", app_code(login, key.inner_text().replace(" ", "")))
        page.click("#second-factor-submit")
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        page.click("#recovery-codes-done")
    else:
        page.fill("#second-factor-code", app_code(login))
        page.click("#second-factor-submit")


def accept_terms(page) -> None:
    """A new account's first screen: her terms, one idea at a time, then yes."""
    page.wait_for_url(re.compile(r".*/consent/\?next=.*"))
    step = 1
    while True:  # one step at a time: a step's button goes as the next one comes
        card = page.locator(f"#consent-step-{step}")
        expect(card).to_be_visible()
        if card.locator("#consent-accept").count():
            break
        card.locator("#consent-next").click()
        step += 1
    page.click("#consent-accept")
    # Until the terms page is left: its own address ends with the next one (?next=/fr/my-pathway/),
    # which a glob on the next page would match while the answer is still on its way.
    page.wait_for_url(lambda url: "/consent/" not in url)


@pytest.fixture
def second_page(browser, app_url):
    """Another person's phone, at the same time."""
    context = browser.new_context(viewport=PHONE, base_url=app_url, locale="fr-BE")
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


def switch_language(page, locale: str) -> None:
    """Open the language menu of the header and choose a language."""
    page.click("#language-menu")
    page.click(f"#lang-{locale}")
