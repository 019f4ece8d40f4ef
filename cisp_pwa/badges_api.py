"""Open Badges over HTTP, on the backend (mounted by rx.App(api_transformer=...)). Public by
design, and the only public pages of the app:

- GET /badges/issuers/<centre>: the centre as an issuer (Profile JSON), with its keys;
- GET /badges/status/<centre>: its revocation list (BitstringStatusListCredential, vc+jwt);
- GET /badges/credentials/<opaque id>: one credential (vc+jwt), while the share showing it stands;
- GET /badges/share/<token>: the verification page an employer opens from the share link or its
  QR code: plain HTML made here, in the viewer's language (?lang=, else Accept-Language), no
  script, showing only her name, the centre, the pathways, the skills and their dates, and
  whether each credential's signature and status check out; it links each credential and the
  issuer profile, so any Open Badges 3.0 verifier can check them itself. Each view is audited.

Nothing is kept by a cache (a withdrawal shows at once); pages are not for search engines.
"""

from __future__ import annotations

from html import escape

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from cisp_pwa import client_address, i18n
from cisp_pwa.services import badges, throttle

NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def viewer_locale(request: Request) -> str:
    """?lang= when it names a shipped language, else the first shipped one Accept-Language
    names, else French."""
    asked = request.query_params.get("lang", "")
    if asked in i18n.LOCALES:
        return asked
    for part in request.headers.get("accept-language", "")[:200].split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in i18n.LOCALES:
            return code
    return i18n.DEFAULT_LOCALE


def _too_many(request: Request, page: bool = False) -> Response | None:
    """None while this address may go on; else 429 with when to come back (the share page in
    the viewer's language). Nothing behind the limit runs: no audit row, no signature checked."""
    address = client_address.for_request(request) or "unknown"  # behind a trusted proxy: its client
    if throttle.hit("public_view", address):
        return None
    wait = {**NO_STORE, "Retry-After": str(throttle.retry_after("public_view", address))}
    if not page:
        return JSONResponse({"error": "too_many"}, status_code=429, headers=wait)
    locale = viewer_locale(request)
    _ = i18n.gettext_for(locale)
    title = _("Passeport de compétences")
    said = _("Trop de visites d'un coup. Attendez une minute, puis réessayez.")
    body = f'<h1>{escape(title)}</h1><p class="card" id="share-too-many">{escape(said)}</p>'
    return HTMLResponse(_page(locale, title, body), status_code=429, headers=wait)


async def issuer(request: Request) -> Response:
    if refused := _too_many(request):
        return refused
    profile = await run_in_threadpool(badges.issuer_profile, request.path_params["centre_id"])
    if profile is None:
        return JSONResponse({"error": "not_found"}, status_code=404, headers=NO_STORE)
    return JSONResponse(profile, headers=NO_STORE)


async def status(request: Request) -> Response:
    if refused := _too_many(request):
        return refused
    token = await run_in_threadpool(badges.status_list, request.path_params["centre_id"])
    if token is None:
        return JSONResponse({"error": "not_found"}, status_code=404, headers=NO_STORE)
    return Response(token, media_type=badges.MEDIA_TYPE, headers=NO_STORE)


async def credential(request: Request) -> Response:
    if refused := _too_many(request):
        return refused
    token = await run_in_threadpool(badges.public_credential, request.path_params["public_id"])
    if token is None:
        return JSONResponse({"error": "not_found"}, status_code=404, headers=NO_STORE)
    return Response(token, media_type=badges.MEDIA_TYPE,
                    headers={**NO_STORE, "Content-Disposition": 'attachment; filename="badge.jwt"'})


_STYLE = """
body{margin:0;font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.5;color:#0f172a;background:#f8fafc}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #cbd5e1;border-radius:.75rem;padding:1rem;margin:.75rem 0}
ul{list-style:none;padding:0;margin:0}li.card{display:flex;flex-direction:column;gap:.25rem}
.label{font-weight:600;margin:0}.date{color:#334155}
dl{margin:.5rem 0 0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}
.ok{color:#14532d;font-weight:600}.bad{color:#7f1d1d;font-weight:600}
.langs{display:flex;flex-wrap:wrap;gap:.25rem;margin-top:2rem}
.langs a{display:inline-flex;align-items:center;min-height:44px;padding:0 .75rem;color:#115e59}
.foot{color:#334155;font-size:1rem}.nowrap{white-space:nowrap}
a.check{display:inline-flex;align-items:center;min-height:44px;color:#115e59;font-weight:600}
"""


def _page(locale: str, title: str, body: str) -> str:
    langs = "".join(
        f'<a href="?lang={code}" lang="{code}" hreflang="{code}">{escape(i18n.language_name(code))}</a>'
        for code in i18n.LOCALES if code != locale)
    language = escape(i18n.gettext_for(locale)("Langue"))
    return (f'<!doctype html><html lang="{locale}" dir="{i18n.direction(locale)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="robots" content="noindex, nofollow">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>{body}"
            f'<nav class="langs" aria-label="{language}">{langs}</nav></main></body></html>')


def _shown(locale: str, shared: badges.PublicShare) -> str:
    _ = i18n.gettext_for(locale)
    # The words first: the catalogs' extractor does not read calls inside f-strings.
    words = {k: escape(v) for k, v in {
        "unsigned": _("Signature non vérifiée"), "revoked": _("Badge retiré"),
        "valid": _("Signature vérifiée, badge valable"), "pathway": _("Parcours complet"),
        "title": _("Passeport de compétences"), "centre": _("Centre"), "pathways": _("Parcours"),
        "skills": _("Compétences validées"),
        "credential": _("Adresse du badge signé"),
        "elsewhere": _("Vérifier avec un autre outil"),
        "verifiers": _("Tout vérificateur Open Badges 3.0 peut contrôler ces badges lui-même : "
                       "donnez-lui l'adresse de chaque badge ci-dessus. Il y trouve le centre qui "
                       "l'a signé, ses clés et la liste des badges retirés."),
        "issuer": _("Profil du centre qui signe les badges"),
        "foot": _("Ces compétences ont été validées par l'équipe de formation du centre. "
                  "Chacune est un badge numérique signé par le centre (Open Badges 3.0)."),
    }.items()}
    items = []
    for n, k in enumerate(shared.skills):
        if not k.signature_ok:
            check = f'<span class="bad">✗ {words["unsigned"]}</span>'
        elif k.revoked:
            check = f'<span class="bad">✗ {words["revoked"]}</span>'
        else:
            check = f'<span class="ok">✓ {words["valid"]}</span>'
        kind = f'{words["pathway"]} · ' if k.pathway else ""
        when = escape(_("Validée le {date}").format(date=i18n.format_date(k.on, locale, "long")))
        items.append(f'<li class="card"><span class="label" dir="auto" id="skill-{n}">{kind}{escape(k.label)}</span>'
                     f'<span class="date">{when}</span>{check}'
                     f'<a class="check" href="{escape(k.credential_url)}" aria-describedby="skill-{n}">'
                     f'{words["credential"]}</a></li>')
    pathways = "".join(f'<dd dir="auto">{escape(name)}</dd>' for name in shared.pathways)
    return (f'<h1>{words["title"]}</h1>'
            f'<div class="card"><p class="label" dir="auto" id="share-name">{escape(shared.trainee_name)}</p><dl>'
            f'<dt>{words["centre"]}</dt><dd dir="auto" id="share-centre">{escape(shared.centre_name)}</dd>'
            f'<dt>{words["pathways"]}</dt>{pathways}</dl></div>'
            f'<h2>{words["skills"]}</h2><ul id="share-skills">{"".join(items)}</ul>'
            f'<h2>{words["elsewhere"]}</h2><div class="card" id="share-verify">'
            f'<p>{_isolated(words["verifiers"], "Open Badges 3.0")}</p>'
            f'<a class="check" id="share-issuer" href="{escape(shared.issuer_url)}">{words["issuer"]}</a></div>'
            f'<p class="foot">{_isolated(words["foot"], "Open Badges 3.0")}</p>')


def _isolated(text: str, name: str) -> str:
    """A Latin name kept whole and in its own direction inside a sentence: in Arabic or Dari,
    without the isolate its brackets and the full stop land on the wrong side."""
    return text.replace(name, f'<bdi class="nowrap">{name}</bdi>')


async def share_page(request: Request) -> Response:
    if refused := _too_many(request, page=True):
        return refused
    locale = viewer_locale(request)
    _ = i18n.gettext_for(locale)
    token = request.path_params["token"]
    shared = await run_in_threadpool(badges.public_share, token, locale)
    title = _("Passeport de compétences")
    withdrawn = _("Ce partage a été retiré. Les compétences ne sont plus visibles ici.")
    unknown = _("Ce lien ne mène à aucun passeport. Vérifiez l'adresse.")
    if shared == badges.WITHDRAWN:
        body = (f'<h1>{escape(title)}</h1><p class="card" id="share-withdrawn">'
                f'{escape(withdrawn)}</p>')
        return HTMLResponse(_page(locale, title, body), status_code=410, headers=NO_STORE)
    if shared == badges.UNKNOWN:
        body = (f'<h1>{escape(title)}</h1><p class="card" id="share-unknown">'
                f'{escape(unknown)}</p>')
        return HTMLResponse(_page(locale, title, body), status_code=404, headers=NO_STORE)
    return HTMLResponse(_page(locale, title, _shown(locale, shared)), headers=NO_STORE)


def api() -> Starlette:
    return Starlette(routes=[
        Route(badges.PATH + "/issuers/{centre_id:int}", issuer, methods=["GET"]),
        Route(badges.PATH + "/status/{centre_id:int}", status, methods=["GET"]),
        Route(badges.PATH + "/credentials/{public_id:str}", credential, methods=["GET"]),
        Route(badges.PATH + "/share/{token:str}", share_page, methods=["GET"]),
    ])

