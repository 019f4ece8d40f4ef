"""The page an employer opens from her share link or its QR code (endpoints/badges.py serves it):
plain HTML in the viewer's language, no script, showing only her name, the centre, the pathways,
the skills and their dates, and whether each credential's signature and status check out; it
links each credential and the issuer profile, so any Open Badges 3.0 verifier can check them
itself. When there is nothing to show, the same page says why, in a sentence.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from cisp_pwa import i18n

if TYPE_CHECKING:
    from cisp_pwa.services.credentials.badges import PublicShare

# Why the page shows no passport: its reason -> the id of the sentence that says so.
NOTICES = {"too_many": "share-too-many", "withdrawn": "share-withdrawn", "unknown": "share-unknown"}

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


def _isolated(text: str, name: str) -> str:
    """A Latin name kept whole and in its own direction inside a sentence: in Arabic or Dari,
    without the isolate its brackets and the full stop land on the wrong side."""
    return text.replace(name, f'<bdi class="nowrap">{name}</bdi>')


def build(locale: str, shared: PublicShare) -> str:
    """The page of a share that stands."""
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
    body = (f'<h1>{words["title"]}</h1>'
            f'<div class="card"><p class="label" dir="auto" id="share-name">{escape(shared.trainee_name)}</p><dl>'
            f'<dt>{words["centre"]}</dt><dd dir="auto" id="share-centre">{escape(shared.centre_name)}</dd>'
            f'<dt>{words["pathways"]}</dt>{pathways}</dl></div>'
            f'<h2>{words["skills"]}</h2><ul id="share-skills">{"".join(items)}</ul>'
            f'<h2>{words["elsewhere"]}</h2><div class="card" id="share-verify">'
            f'<p>{_isolated(words["verifiers"], "Open Badges 3.0")}</p>'
            f'<a class="check" id="share-issuer" href="{escape(shared.issuer_url)}">{words["issuer"]}</a></div>'
            f'<p class="foot">{_isolated(words["foot"], "Open Badges 3.0")}</p>')
    return _page(locale, _("Passeport de compétences"), body)


def notice(locale: str, reason: str) -> str:
    """The page when there is no passport to show: `reason` one of NOTICES (too many views from
    this address, the share withdrawn, a link that leads nowhere)."""
    _ = i18n.gettext_for(locale)
    title = _("Passeport de compétences")
    said = {
        "too_many": _("Trop de visites d'un coup. Attendez une minute, puis réessayez."),
        "withdrawn": _("Ce partage a été retiré. Les compétences ne sont plus visibles ici."),
        "unknown": _("Ce lien ne mène à aucun passeport. Vérifiez l'adresse."),
    }[reason]
    body = f'<h1>{escape(title)}</h1><p class="card" id="{NOTICES[reason]}">{escape(said)}</p>'
    return _page(locale, title, body)
