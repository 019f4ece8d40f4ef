"""Open Badges 3.0 from the passport: verifiable credentials an employer can check, shown
through a share link the trainee gives and withdraws.

- What is issued: for each skill she shares whose latest validation says she does it on her own
  (ISSUABLE_FROM), one `OpenBadgeCredential` (W3C Verifiable Credentials 2.0); for a pathway all
  of whose skills she shares that way, one more for the pathway. The trainer's decision is the
  evidence (decision, level, date), never her comment nor the trainer's reason. Labels in French,
  the language of the issuer; alignments (ESCO, SFMQ) where the pathway file gives them.
- How: a JWT (`application/vc+jwt`, VC-JOSE-COSE) signed with the centre's Ed25519 key
  (badge_keys.py); the `kid` names a verification method of the centre's issuer profile.
- Revocation: each credential has a bit in its centre's Bitstring Status List (W3C), random
  among 131,072 (the spec's 16 KiB minimum, so a bit says nothing of when or whose). A bit is
  set when a trainer gives a newer validation of the skill (the credential is then issued again
  from the new one, when it still qualifies), when she withdraws the share that showed it (the
  issue asks it: withdrawn, her credentials stop checking out, not only the link), and when her
  data is erased.
- Sharing: one link at a time; its token is an HMAC of the share's nonce under a key of the data
  folder (the database holds the nonce and the token's hash, never the token): her screen can
  show the link again, a copy of the database alone cannot open it.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from joserfc import jws
from joserfc.errors import JoseError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cisp_pwa import i18n, keys, settings
from cisp_pwa.documents import open_badges
from cisp_pwa.i18n import localised
from cisp_pwa.models import (
    AuditEvent, Centre, CredentialStatus, IssuedCredential, Level, PassportShare, Pathway, Role,
    SelfAssessment, Skill, SkillArea, User, Validation, utcnow,
)

from .. import policy
from ..actor import Actor
from ..errors import AccessDenied, InvalidInput
from ..infra import audit, db, events
from . import badge_keys

PATH = "/badges"
MEDIA_TYPE = "application/vc+jwt"
ALGORITHM = "Ed25519"  # RFC 9864: EdDSA with Ed25519, fully specified
STATUS_BITS = 131072  # 16 KiB: the Bitstring Status List's minimum
ISSUABLE_FROM = Level.on_my_own  # "Sans aide": a skill she shows is one she does on her own
SHARE_KEY_FILE = keys.SHARE.file
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
FRENCH = i18n.DEFAULT_LOCALE


# --- addresses -------------------------------------------------------------------------------

def issuer_url(centre_id: int) -> str:
    return f"{settings.public_url()}{PATH}/issuers/{centre_id}"


def status_url(centre_id: int) -> str:
    return f"{settings.public_url()}{PATH}/status/{centre_id}"


def credential_url(public_id: str) -> str:
    return f"{settings.public_url()}{PATH}/credentials/{public_id}"


def share_url(token: str) -> str:
    return f"{settings.public_url()}{PATH}/share/{token}"


# --- share tokens ----------------------------------------------------------------------------

def _share_key() -> bytes:
    return keys.read(keys.SHARE)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _token(nonce: str) -> str:
    return _b64(hmac.new(_share_key(), nonce.encode(), hashlib.sha256).digest())


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- what may be issued ----------------------------------------------------------------------

def _latest_validations(s: Session, trainee_id: int) -> dict[int, Validation]:
    """Per skill, her latest validation (later rows win)."""
    return {skill_id: v for skill_id, v in s.execute(
        select(SelfAssessment.skill_id, Validation)
        .join(Validation, Validation.self_assessment_id == SelfAssessment.id)
        .where(SelfAssessment.trainee_id == trainee_id)
        .order_by(Validation.created_at, Validation.id))}


def _issuable(s: Session, trainee_id: int) -> dict[int, Validation]:
    return {k: v for k, v in _latest_validations(s, trainee_id).items() if v.level >= ISSUABLE_FROM}


def _pathway_skills(s: Session, pathway_id: int) -> set[int]:
    return set(s.scalars(select(Skill.id).join(SkillArea, SkillArea.id == Skill.area_id)
                         .where(SkillArea.pathway_id == pathway_id, Skill.retired_at.is_(None))))


def _pathway_of(s: Session, skill_id: int) -> int:
    return s.scalar(select(SkillArea.pathway_id).join(Skill, Skill.area_id == SkillArea.id)
                    .where(Skill.id == skill_id))


# --- the credential --------------------------------------------------------------------------

def _document(trainee: User, centre: Centre, pathway: Pathway, skill: Skill | None,
              evidence: list[Validation], public_id: str, status_index: int, now: datetime) -> dict:
    """The credential (documents/open_badges.py), its labels in French, the issuer's language."""
    programme = open_badges.Programme(pathway.code, localised(pathway.name, FRENCH),
                                      localised(pathway.description, FRENCH))
    competency = None if skill is None else open_badges.Competency(
        skill.code, localised(skill.label, FRENCH), skill.esco, skill.sfmq or {})
    addresses = open_badges.Addresses(credential_url(public_id), issuer_url(centre.id), status_url(centre.id))
    return open_badges.credential(
        trainee.display_name, centre.name, programme, competency,
        [open_badges.Evidence(v.decision.value, v.level, v.created_at.date()) for v in evidence],
        addresses, status_index, now)


def _sign(centre_id: int, document: dict) -> str:
    key = badge_keys.signing_key(centre_id)
    header = {"alg": ALGORITHM, "typ": "vc+jwt", "cty": "vc", "kid": f"{issuer_url(centre_id)}#{key.kid}"}
    return jws.serialize_compact(header, json.dumps(document, ensure_ascii=False, separators=(",", ":")),
                                 key.key, algorithms=[ALGORITHM])


def _status_slot(s: Session, centre_id: int) -> CredentialStatus:
    taken = set(s.scalars(select(CredentialStatus.status_index).where(CredentialStatus.centre_id == centre_id)))
    if len(taken) >= STATUS_BITS:
        raise InvalidInput("status_list_full")
    while True:
        index = secrets.randbelow(STATUS_BITS)
        if index not in taken:
            slot = CredentialStatus(centre_id=centre_id, status_index=index)
            s.add(slot)
            s.flush()
            return slot


def _issue(s: Session, actor: Actor, trainee: User, share: PassportShare, pathway_id: int,
           skill_id: int | None, evidence: list[Validation], now: datetime) -> IssuedCredential:
    centre = s.get(Centre, trainee.centre_id)
    pathway = s.get(Pathway, pathway_id)
    skill = s.get(Skill, skill_id) if skill_id else None
    slot = _status_slot(s, centre.id)
    public_id = secrets.token_urlsafe(32)
    document = _document(trainee, centre, pathway, skill, evidence, public_id, slot.status_index, now)
    credential = IssuedCredential(
        public_id=public_id, trainee_id=trainee.id, share_id=share.id, status_id=slot.id, pathway_id=pathway_id,
        skill_id=skill_id, validation_id=evidence[0].id if skill_id else None,
        jwt=_sign(centre.id, document), issued_at=now)
    s.add(credential)
    s.flush()
    audit.record(s, actor, "badge_issued", "issued_credential", credential.id)
    return credential


def _revoke(s: Session, actor: Actor | None, credential: IssuedCredential, now: datetime) -> None:
    credential.revoked_at = now
    s.get(CredentialStatus, credential.status_id).revoked_at = now
    if actor is not None:
        audit.record(s, actor, "badge_revoked", "issued_credential", credential.id)


def _live(s: Session, share_id: int) -> list[IssuedCredential]:
    return list(s.scalars(select(IssuedCredential).where(IssuedCredential.share_id == share_id,
                                                         IssuedCredential.revoked_at.is_(None))
                          .order_by(IssuedCredential.id)))


def _active_share(s: Session, trainee_id: int) -> PassportShare | None:
    return s.scalar(select(PassportShare).where(PassportShare.trainee_id == trainee_id,
                                                PassportShare.withdrawn_at.is_(None)))


# --- the trainee: share, see, withdraw, download -----------------------------------------------

@dataclass(frozen=True)
class MyBadge:
    id: int
    label: str       # in her language
    pathway: bool    # the whole pathway, not one skill
    filename: str


@dataclass(frozen=True)
class MyShare:
    url: str
    created_at: datetime
    badges: list[MyBadge]


def my_share(actor: Actor) -> MyShare | None:
    """Her share link if she has one, with the badges it shows."""
    policy.require_role(actor, Role.trainee)
    with db.reading() as s:
        share = _active_share(s, actor.id)
        return _my_share(s, actor, share) if share else None


def _my_share(s: Session, actor: Actor, share: PassportShare) -> MyShare:
    badges = []
    for c in _live(s, share.id):
        if c.skill_id:
            skill = s.get(Skill, c.skill_id)
            label, name = localised(skill.label, actor.locale), skill.code
        else:
            pathway = s.get(Pathway, c.pathway_id)
            label, name = localised(pathway.name, actor.locale), pathway.code
        badges.append(MyBadge(c.id, label, c.skill_id is None, f"badge-{name}.jwt"))
    badges.sort(key=lambda b: (not b.pathway, b.id))
    return MyShare(share_url(_token(share.nonce)), share.created_at, badges)


def share(actor: Actor, skill_ids: list[int]) -> MyShare:
    """Make her share link for these validated skills (those she does on her own; the others
    are left out) and sign their credentials. One link at a time."""
    policy.require_role(actor, Role.trainee)
    if not isinstance(skill_ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in skill_ids):
        raise InvalidInput("bad_request")
    now = utcnow()
    with db.unit_of_work() as s:
        trainee = s.get(User, actor.id)
        if _active_share(s, actor.id) is not None:
            raise InvalidInput("already_shared")
        issuable = _issuable(s, actor.id)
        chosen = [i for i in dict.fromkeys(skill_ids) if i in issuable]
        if not chosen:
            raise InvalidInput("nothing_to_share")
        nonce = secrets.token_hex(16)
        record = PassportShare(trainee_id=actor.id, nonce=nonce, token_hash=_token_hash(_token(nonce)),
                               created_at=now)
        s.add(record)
        s.flush()
        by_pathway: dict[int, set[int]] = {}
        for skill_id in chosen:
            pathway_id = _pathway_of(s, skill_id)
            by_pathway.setdefault(pathway_id, set()).add(skill_id)
            _issue(s, actor, trainee, record, pathway_id, skill_id, [issuable[skill_id]], now)
        for pathway_id, shared in sorted(by_pathway.items()):
            _issue_pathway_if_complete(s, actor, trainee, record, pathway_id, shared, issuable, now)
        audit.record(s, actor, "passport_shared", "passport_share", record.id)
        policy.tell(s, events.SHARE, actor.id, actor_id=actor.id, id=record.id)
        return _my_share(s, actor, record)


def _issue_pathway_if_complete(s: Session, actor: Actor, trainee: User, share: PassportShare, pathway_id: int,
                               shared: set[int], issuable: dict[int, Validation], now: datetime) -> None:
    skills = _pathway_skills(s, pathway_id)
    if skills and skills <= shared and skills <= set(issuable):
        _issue(s, actor, trainee, share, pathway_id, None, [issuable[k] for k in sorted(skills)], now)


def withdraw(actor: Actor) -> None:
    """Withdraw her share link: the link then says so, and every credential it showed is revoked."""
    policy.require_role(actor, Role.trainee)
    now = utcnow()
    with db.unit_of_work() as s:
        record = _active_share(s, actor.id)
        if record is None:
            raise InvalidInput("not_shared")
        record.withdrawn_at = now
        for credential in _live(s, record.id):
            _revoke(s, actor, credential, now)
        audit.record(s, actor, "passport_share_withdrawn", "passport_share", record.id)
        policy.tell(s, events.SHARE, actor.id, actor_id=actor.id, id=record.id)


def badge_file(actor: Actor, credential_id: int) -> tuple[str, str]:
    """(file name, signed credential) of one of her live badges."""
    policy.require_role(actor, Role.trainee)
    if not isinstance(credential_id, int) or isinstance(credential_id, bool):
        raise InvalidInput("bad_request")
    with db.reading() as s:
        share = _active_share(s, actor.id)
        mine = {b.id: b for b in _my_share(s, actor, share).badges} if share else {}
        if credential_id not in mine:
            raise AccessDenied()
        return mine[credential_id].filename, s.get(IssuedCredential, credential_id).jwt


# --- when a trainer answers again, when her data is erased -----------------------------------

def after_validation(s: Session, actor: Actor, trainee_id: int, skill_id: int) -> None:
    """Within the validation's unit of work: her live credentials built on an older validation of
    this skill (the skill's own, and its pathway's) are revoked, then issued again from the new
    one when they still qualify."""
    share = _active_share(s, trainee_id)
    if share is None:
        return
    pathway_id = _pathway_of(s, skill_id)
    stale = [c for c in _live(s, share.id)
             if c.skill_id == skill_id or (c.skill_id is None and c.pathway_id == pathway_id)]
    if not stale:
        return
    now = utcnow()
    trainee = s.get(User, trainee_id)
    issuable = _issuable(s, trainee_id)
    shared = {c.skill_id for c in _live(s, share.id) if c.skill_id and c.pathway_id == pathway_id}
    for credential in stale:
        _revoke(s, actor, credential, now)
    if any(c.skill_id == skill_id for c in stale) and skill_id in issuable:
        _issue(s, actor, trainee, share, pathway_id, skill_id, [issuable[skill_id]], now)
    elif skill_id not in issuable:
        shared.discard(skill_id)
    if any(c.skill_id is None for c in stale):
        _issue_pathway_if_complete(s, actor, trainee, share, pathway_id, shared, issuable, now)


def revoke_everything(s: Session, trainee_id: int, now: datetime) -> None:
    """Her data is being erased: every credential she was given reads as revoked from now on (the
    status bits stay; the rows naming her go with the rest)."""
    for credential in s.scalars(select(IssuedCredential).where(IssuedCredential.trainee_id == trainee_id,
                                                               IssuedCredential.revoked_at.is_(None))):
        _revoke(s, None, credential, now)


# --- what the backend serves publicly --------------------------------------------------------

def _centre(s: Session, centre_id: int) -> Centre | None:
    return s.get(Centre, centre_id) if isinstance(centre_id, int) else None


def issuer_profile(centre_id: int) -> dict | None:
    """The centre as an Open Badges issuer, with every key that ever signed for it."""
    with db.reading() as s:
        centre = _centre(s, centre_id)
        if centre is None:
            return None
        name = centre.name
    issuer = issuer_url(centre_id)
    badge_keys.signing_key(centre_id)  # made on first use: the profile always has one
    return open_badges.issuer_profile(issuer, name, [(k.kid, k.key.as_dict(private=False))
                                                    for k in badge_keys.all_keys(centre_id)])


def _revoked_indexes(s: Session, centre_id: int) -> set[int]:
    return set(s.scalars(select(CredentialStatus.status_index).where(
        CredentialStatus.centre_id == centre_id, CredentialStatus.revoked_at.is_not(None))))


def encode_bitstring(revoked: set[int]) -> str:
    """The spec's encodedList: the bits (index 0 = the first byte's highest bit), gzipped,
    base64url without padding, as multibase ("u")."""
    bits = bytearray(STATUS_BITS // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64(gzip.compress(bytes(bits), mtime=0))


def status_list(centre_id: int) -> str | None:
    """The centre's BitstringStatusListCredential, signed (application/vc+jwt)."""
    with db.reading() as s:
        centre = _centre(s, centre_id)
        if centre is None:
            return None
        revoked, name = _revoked_indexes(s, centre_id), centre.name
    document = open_badges.status_list(status_url(centre_id), issuer_url(centre_id), name,
                                       encode_bitstring(revoked), utcnow())
    return _sign(centre_id, document)


def public_credential(public_id: str) -> str | None:
    """A credential by its opaque id, while the share that shows it stands."""
    if not isinstance(public_id, str) or not TOKEN_PATTERN.match(public_id):
        return None
    with db.reading() as s:
        credential = s.scalar(select(IssuedCredential).where(IssuedCredential.public_id == public_id,
                                                             IssuedCredential.revoked_at.is_(None)))
        return credential.jwt if credential else None


def verify(token: str, centre_id: int) -> dict | None:
    """The credential's document if its signature checks out with one of the centre's keys."""
    try:
        header = jws.extract_compact(token.encode()).protected
        kid = str(header.get("kid", "")).rpartition("#")[2]
        key = next((k.key for k in badge_keys.all_keys(centre_id) if k.kid == kid), None)
        if key is None or header.get("alg") != ALGORITHM:
            return None
        return json.loads(jws.deserialize_compact(token, key, algorithms=[ALGORITHM]).payload)
    except (JoseError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class PublicSkill:
    label: str
    on: date
    pathway: bool
    signature_ok: bool
    revoked: bool
    credential_url: str  # where any Open Badges 3.0 verifier fetches it (while the share stands)


@dataclass(frozen=True)
class PublicShare:
    trainee_name: str
    centre_name: str
    pathways: list[str]
    skills: list[PublicSkill]
    issuer_url: str  # the centre's issuer profile: its name and every key it signed with


UNKNOWN, WITHDRAWN = "unknown", "withdrawn"


def public_share(token: str, locale: str) -> PublicShare | str:
    """What the share link shows, and nothing more: her name, the centre, the pathways, the
    skills and their dates, whether each credential checks out. Each view is audited (the share,
    never who looked). UNKNOWN or WITHDRAWN when there is nothing to show."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return UNKNOWN
    locale = i18n.normalise(locale)
    with db.unit_of_work() as s:
        record = s.scalar(select(PassportShare).where(PassportShare.token_hash == _token_hash(token)))
        if record is None:
            events.nobody(s)
            return UNKNOWN
        trainee = s.get(User, record.trainee_id)
        if record.withdrawn_at is not None or not trainee.is_active:
            events.nobody(s)
            return WITHDRAWN
        s.add(AuditEvent(actor_id=None, centre_id=trainee.centre_id, action="passport_share_viewed",
                         target_type="passport_share", target_id=record.id))
        events.nobody(s)
        centre = s.get(Centre, trainee.centre_id)
        revoked = _revoked_indexes(s, centre.id)
        pathway_names: dict[int, str] = {}
        skills = []
        for c in _live(s, record.id):
            pathway = s.get(Pathway, c.pathway_id)
            pathway_names.setdefault(pathway.id, localised(pathway.name, locale))
            document = verify(c.jwt, centre.id)
            index = int(document["credentialStatus"]["statusListIndex"]) if document else -1
            if c.skill_id:
                label = localised(s.get(Skill, c.skill_id).label, locale)
                on = s.get(Validation, c.validation_id).created_at.date()
            else:
                label, on = pathway_names[pathway.id], c.issued_at.date()
            skills.append(PublicSkill(label, on, c.skill_id is None, document is not None, index in revoked,
                                      credential_url(c.public_id)))
        skills.sort(key=lambda k: (not k.pathway, k.on))
        return PublicShare(trainee.display_name, centre.name, list(pathway_names.values()), skills,
                           issuer_url(centre.id))
