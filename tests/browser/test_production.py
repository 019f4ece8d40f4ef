"""The app served the production way, end to end: the shipped nginx configuration (Debian's nginx,
a certificate this test makes, loopback only) in front of `cisp serve` with 2 workers, PostgreSQL
and Redis, and the frontend built once by `cisp build`. A browser goes through https.

The centre is the demo's shape with its demo mark taken off (a production start refuses the
demo): a trainee with a pathway, her coach, validated skills.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from jwcrypto import jwk, jws
from playwright.sync_api import expect
from sqlalchemy import update

from cisp_pwa import settings
from cisp_pwa.models import Centre
from cisp_pwa import demo
from cisp_pwa.services.credentials import badges
from cisp_pwa.services.infra import db, events
from cisp_pwa.services.skills import pathways
from scripts.reflex_client import Phone, full_name
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, shot
from tests.conftest import _postgres_database, unavailable
from tests.services.helpers import actor, skill_ids

# Its own servers, ports, build folder and database: it runs beside the browser tests, in the run of
# the tests that share no app (Makefile), which waits less on the browser than it computes.
pytestmark = pytest.mark.production

TLS_PORT = int(os.environ.get("CISP_TEST_TLS_PORT", "3443"))
HTTP_PORT = TLS_PORT + 1
APP_PORT = TLS_PORT + 2
REDIS = os.environ.get("CISP_TEST_PRODUCTION_REDIS_URL", "redis://127.0.0.1:6379/7")
PUBLIC = f"https://127.0.0.1:{TLS_PORT}"
SIGN_IN = full_name(("cisp_pwa.state.session", "SessionState"), ("cisp_pwa.state.sign_in", "SignInState"))
LIVE = 15_000


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, as a centre's would be for its name."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _nginx_site(work: Path, frontend: Path, cert: Path, key: Path) -> Path:
    """The shipped site with this machine's names: loopback ports, the test's certificate and build."""
    site = (settings.PROJECT_DIR / "deploy" / "nginx" / "cisp.conf").read_text()
    for shipped, here in (
        ("server 127.0.0.1:3000;", f"server 127.0.0.1:{APP_PORT};"),
        ("listen 80;", f"listen 127.0.0.1:{HTTP_PORT};"), ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{TLS_PORT} ssl http2;"), ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/parcours.example.be/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/parcours.example.be/privkey.pem", str(key)),
        ("/srv/cisp/build/frontend", str(frontend)),
    ):
        assert shipped in site, f"the shipped nginx site no longer has {shipped!r}"
        site = site.replace(shipped, here)
    (work / "cisp.conf").write_text(site)
    temp = {name: work / f"nginx-{name}" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(exist_ok=True)
    main = work / "nginx.conf"
    main.write_text(
        # root: the worker reads the test's private temporary folders.
        f"user root; daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/nginx-error.log;\n"
        "events { worker_connections 512; }\n"
        "http { include /etc/nginx/mime.types; default_type application/octet-stream;\n"
        f"  access_log {work}/nginx-access.log;\n"
        + "".join(f"  {name}_temp_path {folder};\n" for name, folder in temp.items())
        + f"  include {work}/cisp.conf;\n}}\n")
    return main


def _wait(url_or_check, what: str, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url_or_check, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{what} did not answer in {seconds} s:\n{log.read_text(errors='replace')[-4000:]}")


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        unavailable("Debian's nginx is not installed (apt-get install nginx-light)")
    import redis as redis_py

    try:
        redis_py.Redis.from_url(REDIS).flushdb()
    except redis_py.RedisError as exc:
        unavailable(f"Redis is not reachable at {REDIS}: {exc}")
    work = tmp_path_factory.mktemp("production")
    url, drop = _postgres_database()
    env = {k: v for k, v in os.environ.items() if k not in ("CISP_DEMO", "CISP_STATE_KEY", "CISP_SHARE_KEY",
                                                             "CISP_VAPID_KEY", "CISP_BACKEND_ONLY")}
    env.update(
        PATH=os.pathsep.join([str(settings.PROJECT_DIR / ".tools" / "node_modules" / ".bin"),
                              str(Path(sys.executable).parent), env.get("PATH", "")]),
        DATABASE_URL=url, REDIS_URL=REDIS, CISP_ENV="production", CISP_DATA_DIR=str(work / "data"),
        CISP_KEYS_DIR=str(work / "keys"), CISP_PUBLIC_URL=PUBLIC, CISP_ORIGINS=PUBLIC,
        CISP_TRUSTED_PROXIES="127.0.0.1", CISP_VAPID_SUBJECT="mailto:informatique@example.be",
        CISP_FRONTEND_DIR=str(work / "frontend"), REFLEX_WEB_WORKDIR=str(work / "web"),
        REFLEX_STATES_WORKDIR=str(work / "states"), GRANIAN_WORKERS="2", REFLEX_TELEMETRY_ENABLED="false",
    )
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "CISP_KEYS_DIR", "CISP_PUBLIC_URL", "CISP_ENV",
                                            "SSL_CERT_FILE")}

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "cisp_pwa.cli", *args], env=env, cwd=settings.PROJECT_DIR,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"cisp {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    cli("migrate")
    # The demo's shape as a real centre: its people, pathways and validations, without the mark.
    db.configure(url)
    pathways.load_pathway_files()
    demo.seed_demo()
    with db.unit_of_work() as s:
        s.execute(update(Centre).values(is_demo=False))
        events.nobody(s)
    cli("keys")
    print(cli("check"))  # every line ok, or the start below is refused
    cli("build")

    servers = []
    app_log = work / "app.log"
    with app_log.open("wb") as log:
        servers.append(subprocess.Popen([sys.executable, "-m", "cisp_pwa.cli", "serve", "--port", str(APP_PORT)],
                                        cwd=settings.PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True))
    cert, key = _certificate(work)
    conf = _nginx_site(work, work / "frontend", cert, key)
    test = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(work)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    nginx_log = work / "nginx-error.log"
    servers.append(subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)], start_new_session=True,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    # This process reads the app as an employer or a phone would: through nginx, trusting its certificate.
    os.environ.update(SSL_CERT_FILE=str(cert), DATABASE_URL=url, CISP_KEYS_DIR=str(work / "keys"),
                      CISP_PUBLIC_URL=PUBLIC, CISP_ENV="production")
    try:
        _wait(f"http://127.0.0.1:{APP_PORT}/ping", "cisp serve", servers[0], app_log)
        _wait(f"{PUBLIC}/ping", "nginx", servers[1], nginx_log)
        yield {"url": PUBLIC, "work": work, "db": url}
    finally:
        for server in reversed(servers):
            _stop(server)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        drop()


@pytest.fixture(scope="module")
def browser():
    """Chromium of its own, closed with this module: this test runs in the process of the tests
    that serve no app, and Playwright's sync API holds an event loop in this thread while it runs
    (their asyncio.run would then fail)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser, production):
    contexts = []

    def make():
        context = browser.new_context(viewport=PHONE, base_url=production["url"], locale="fr-BE",
                                      ignore_https_errors=True)  # the test's own certificate
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _sign_in(page, login: str) -> None:
    page.goto("/fr/sign-in/")
    expect(page.locator("#sign-in-submit")).to_be_enabled()
    page.fill("#login", login)
    page.fill("#password", f"parcours-{login}")
    page.click("#sign-in-submit")


def test_through_the_proxy_a_trainee_and_her_coach_write_and_speak_to_each_other_live(phone, production):
    trainee, coach = phone(), phone()
    sockets: list[str] = []
    trainee.on("websocket", lambda socket: sockets.append(socket.url))
    _sign_in(coach, "julie")
    coach.wait_for_url("**/fr/trainees/")
    coach.locator("#trainees [data-trainee='Amina Benali'] [data-link=conversation]").click()
    expect(coach.locator("#message-body")).to_be_visible()
    _sign_in(trainee, "amina")
    trainee.wait_for_url("**/fr/my-pathway/")
    trainee.click("#tab-messages")
    trainee.wait_for_url("**/fr/messages/")
    expect(trainee.locator("#message-body")).to_be_visible()
    assert trainee.url.startswith(production["url"])

    trainee.fill("#message-body", "Bonjour Julie, je serai là à 9 h.")
    trainee.click("#message-send")
    expect(coach.locator("#thread")).to_contain_text("je serai là à 9 h", timeout=LIVE)
    coach.fill("#message-body", "Merci Amina, à demain.")
    coach.click("#message-send")
    expect(trainee.locator("#thread")).to_contain_text("à demain", timeout=LIVE)

    # A voice note: recorded on her phone, uploaded through nginx, played on the coach's screen.
    voices_before = coach.locator("#thread [data-voice]").count()
    trainee.click("#voice-record")
    trainee.wait_for_timeout(2000)
    trainee.click("#voice-stop")
    expect(trainee.locator("#voice-preview")).to_be_visible()
    trainee.click("#voice-send")
    mine = trainee.locator("#thread li[data-mine=true] [data-voice]").last
    expect(mine).to_be_visible()
    message_id = mine.get_attribute("data-voice")
    voice = coach.locator(f"#thread [data-voice='{message_id}']")
    expect(voice).to_be_visible(timeout=LIVE)
    assert coach.locator("#thread [data-voice]").count() == voices_before + 1
    voice.locator("[data-action=play]").click()
    expect(coach.locator(f"#voice-audio-{message_id}")).to_have_attribute("data-ended", "true", timeout=15_000)
    shot(trainee, "production-messages-fr")
    shot(coach, "production-conversation-fr")
    # Pages, scripts, the recording and the socket all went through nginx, over TLS.
    log = (production["work"] / "nginx-access.log").read_text()
    assert "POST /voice" in log and "GET /voice/" in log and "GET /assets/" in log
    assert sockets and all(url.startswith(f"wss://127.0.0.1:{TLS_PORT}/_event") for url in sockets)


def _served(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as response:  # trusts the test's certificate only
        assert response.status == 200
        return response.read()


def test_a_badge_shared_behind_the_proxy_verifies_with_the_keys_it_serves(production):
    shared = badges.share(actor("amina"), skill_ids("defi-fle-alpha")[:2])
    assert shared.url.startswith(production["url"] + "/badges/share/")
    page = _served(shared.url).decode()
    assert page.count("✓") == len(shared.badges) >= 1 and "Amina Benali" in page
    centre_id = actor("amina").centre_id
    profile = json.loads(_served(f"{production['url']}/badges/issuers/{centre_id}"))
    keys = {m["id"]: jwk.JWK(**m["publicKeyJwk"]) for m in profile["verificationMethod"]}
    for badge in shared.badges:
        token = badges.badge_file(actor("amina"), badge.id)[1]
        signed = jws.JWS()
        signed.deserialize(token)
        signed.verify(keys[signed.jose_header["kid"]], alg="Ed25519")  # jwcrypto: not the library that signed
        assert json.loads(signed.payload)["issuer"]["id"] == f"{production['url']}/badges/issuers/{centre_id}"


async def _try(base: str, login: str, password: str, *, local: str, headers: dict | None = None) -> str:
    """One sign-in from a phone at `local` (127.0.0.x): "" when it got in, else the screen's error."""
    phone = Phone(base, local_address=local, headers=headers, label=local)
    try:
        await phone.open("/fr/sign-in/")
        mark = len(phone.received)
        await phone.send_event(f"{SIGN_IN}.sign_in", {"form": {"login": login, "password": password,
                                                              "locale": "fr"}})

        def answered(r) -> bool:
            error = r.delta.get(SIGN_IN, {}).get("error_rx_state_")
            return bool(error) or any(e.get("name") in ("_redirect", "_call_script") for e in r.events)

        answer = await phone.wait_for(answered, 30, after=mark)
        return answer.delta.get(SIGN_IN, {}).get("error_rx_state_") or ""
    finally:
        await phone.close()


def _forget_account_delays() -> None:
    """The accounts' growing delays (services/infra/throttle.py, in Redis) set aside, so that what is
    left is what one client address was counted for."""
    import redis as redis_py

    connection = redis_py.Redis.from_url(REDIS)
    for key in connection.scan_iter("cisp_backoff:password_account/*"):
        connection.delete(key)


def test_behind_the_proxy_each_client_has_its_own_limits_and_a_forged_address_is_ignored(production):
    async def run() -> None:
        base = production["url"]
        # A stranger at 127.0.0.2 guesses marc's password through nginx, claiming to be 127.0.0.3.
        answers = [await _try(base, "marc", f"faux-{i}", local="127.0.0.2", headers={"X-Forwarded-For": "127.0.0.3"})
                   for i in range(6)]
        assert answers[0] == "refused" and set(answers) <= {"refused", "throttled", "throttled_short"} and answers[5] == "throttled"
        _forget_account_delays()  # marc's account waits a few seconds after those: not the point here
        # Counted for 127.0.0.2 (5 tries per login and address): still stopped there...
        assert await _try(base, "marc", "parcours-marc", local="127.0.0.2") == "throttled"
        # ...while Marc, at 127.0.0.3 behind the same proxy, gets in at once: the tries are not his.
        assert await _try(base, "marc", "parcours-marc", local="127.0.0.3") == ""
        # Straight to the app (not through the trusted proxy), rotating forged addresses helps nothing:
        # every try is counted for the address the app sees.
        direct = f"http://127.0.0.1:{APP_PORT}"
        for i in range(6):
            await _try(direct, "ines", f"faux-{i}", local="127.0.0.4",
                       headers={"Origin": base, "X-Forwarded-For": f"198.51.100.{i}"})
        _forget_account_delays()
        assert await _try(direct, "ines", "faux-7", local="127.0.0.4",
                          headers={"Origin": base, "X-Forwarded-For": "198.51.100.7"}) == "throttled"

    # The browser's sync API holds this thread's event loop: the phones speak from another thread.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, run()).result()


def test_behind_the_proxy_the_address_alone_opens_the_phones_language(production):
    """nginx sends "/" to the app (location = /), which answers with the phone's language."""
    import urllib.error

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # the redirect itself is what is checked

    opener = urllib.request.build_opener(Stay)
    try:
        opener.open(urllib.request.Request(production["url"] + "/", headers={"Accept-Language": "ar;q=0.9, ja"}),
                    timeout=20)
        raise AssertionError("/ answered without a redirect")
    except urllib.error.HTTPError as answer:
        assert answer.code == 302 and answer.headers["Location"] == "/ar/"
        assert answer.headers["Cache-Control"] == "no-store" and "Accept-Language" in answer.headers["Vary"]
