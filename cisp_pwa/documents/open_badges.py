"""The Open Badges 3.0 documents of a centre (services/credentials/badges.py fills them in and signs them;
endpoints/badges.py serves them): a skill's or a whole pathway's `OpenBadgeCredential` (W3C
Verifiable Credentials 2.0), the centre's issuer profile with its keys, and its revocation list
(`BitstringStatusListCredential`). One family, one module: they share their contexts and speak
the issuer's language, French. The trainer's decision is the evidence (decision, level, date),
never her comment nor the trainer's reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from cisp_pwa import i18n, words

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
FRENCH = i18n.DEFAULT_LOCALE
LEVEL_FR = words.levels(FRENCH)  # a badge speaks its issuer's language
DECISION_FR = {"confirmed": "confirmée", "adjusted": "ajustée"}  # of "Auto-évaluation", feminine


@dataclass(frozen=True)
class Programme:
    """The pathway, in French."""
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class Competency:
    """The skill, in French, with its alignments where the pathway file gives them."""
    code: str
    label: str
    esco: str | None = None
    sfmq: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    """A trainer's validation: `decision` confirmed | adjusted, the level, the day."""
    decision: str
    level: int
    on: date


@dataclass(frozen=True)
class Addresses:
    """Where the credential, its issuer and its status list are fetched."""
    credential: str
    issuer: str
    status_list: str


def _moment(now: datetime) -> str:
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _alignments(skill: Competency) -> list[dict]:
    out = []
    if skill.esco:
        out.append({"type": ["Alignment"], "targetType": "ceasn:Competency", "targetFramework": "ESCO",
                    "targetUrl": skill.esco, "targetName": skill.label})
    sfmq = skill.sfmq or {}
    for uaa in sfmq.get("uaa", []):
        out.append({"type": ["Alignment"], "targetType": "ext:SFMQ", "targetFramework": "SFMQ",
                    "targetCode": uaa, "targetName": f"SFMQ {sfmq.get('profile', '')} — {uaa}",
                    "targetUrl": f"urn:sfmq:{sfmq.get('profile', '')}:{uaa}"})
    return out


def _evidence(v: Evidence) -> dict:
    when = v.on.isoformat()
    return {"type": ["Evidence"], "name": "Décision du formateur ou de la formatrice",
            "genre": "Validation",
            "description": f"Auto-évaluation {DECISION_FR[v.decision]} par l'équipe de formation du centre "
                           f"le {when} : niveau « {LEVEL_FR[v.level]} »."}


def credential(trainee_name: str, centre_name: str, pathway: Programme, skill: Competency | None,
               evidence: list[Evidence], addresses: Addresses, status_index: int, now: datetime) -> dict:
    """One skill's credential (`skill`, its latest validation as evidence), or, without a skill,
    the whole pathway's (the validations of all its skills as evidence)."""
    if skill is not None:
        achievement = {
            "id": f"urn:cisp-parcours:skill:{pathway.code}:{skill.code}",
            "type": ["Achievement"], "achievementType": "Competency",
            "name": skill.label,
            "description": f"{skill.label} (parcours « {pathway.name} »)",
            "criteria": {"narrative": "Un formateur ou une formatrice du centre a observé la compétence et "
                                      "validé que la stagiaire la réalise sans aide."},
        }
        alignment = _alignments(skill)
        if alignment:
            achievement["alignment"] = alignment
        result = [{"type": ["Result"], "value": LEVEL_FR[evidence[0].level]}]
    else:
        achievement = {
            "id": f"urn:cisp-parcours:pathway:{pathway.code}",
            "type": ["Achievement"], "achievementType": "LearningProgram",
            "name": pathway.name,
            "description": pathway.description,
            "criteria": {"narrative": "Toutes les compétences du parcours validées par l'équipe de formation "
                                      "du centre, chacune au niveau « Sans aide » au moins."},
        }
        result = []
    subject = {"type": ["AchievementSubject"], "achievement": achievement,
               "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                               "identityHash": trainee_name}]}
    if result:
        subject["result"] = result
    return {
        "@context": CONTEXTS,
        "id": addresses.credential,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": addresses.issuer, "type": ["Profile"], "name": centre_name},
        "validFrom": _moment(now),
        "name": achievement["name"],
        "credentialSubject": subject,
        "evidence": [_evidence(v) for v in evidence],
        "credentialStatus": {
            "id": f"{addresses.status_list}#{status_index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(status_index),
            "statusListCredential": addresses.status_list,
        },
    }


def issuer_profile(issuer_url: str, centre_name: str, public_keys: list[tuple[str, dict]]) -> dict:
    """The centre as an issuer, with every key that ever signed for it: (kid, public JWK) each."""
    methods = [{"id": f"{issuer_url}#{kid}", "type": "JsonWebKey", "controller": issuer_url,
                "publicKeyJwk": {**jwk, "kid": kid}}
               for kid, jwk in public_keys]
    return {"@context": CONTEXTS, "id": issuer_url, "type": ["Profile"], "name": centre_name,
            "verificationMethod": methods, "assertionMethod": [m["id"] for m in methods]}


def status_list(url: str, issuer_url: str, centre_name: str, encoded_list: str, now: datetime) -> dict:
    """The centre's revocation list (`encoded_list`: the spec's encodedList of its bits)."""
    return {
        "@context": CONTEXTS[:1], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_url, "name": centre_name},
        "validFrom": _moment(now),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list},
    }
