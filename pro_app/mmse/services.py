"""The MMSE's lifecycle: start (created → in progress), save sections, sign (→ locked), correct.

No request here; views parse, call one of these, and commit once. Every save first writes the
administration row (its version counter is the optimistic lock), then the items, so of two
nurses saving the same MMSE the second always gets a conflict instead of overwriting.
"""
from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..instruments.mmse import SPELLING_WORDS
from ..instruments.packs import demo_pack_path
from ..questionnaires.models import Administration, InstrumentPack
from ..questionnaires.packs import PackNotInstalled, attach_pack, install_pack
from ..schedule.calendar import local_time
from ..schedule.transitions import on_administration_submitted
from ..staff.editing import check_version
from ..staff.errors import N_, FieldError
from ..staff.services import ACCEPTED, LOCKED, check_attempt
from .labels import SIGNATURE_MEANING
from .record import apply_items, load_items, section_items, shown, still_missing
from .scoring import attention_rule, store_mmse_scores

CLOSED_VISITS = ("cancelled", "not_done")


class MmseError(FieldError):
    """The MMSE cannot take this action now; ``field`` names the form field concerned."""


class SignatureRefused(MmseError):
    """Wrong password or locked account: nothing is signed; the refusal and the failure counted
    toward the account's lockout are kept (the view commits them)."""


# Word for word the sign-in page's answer: whether the password was right stays unsaid.
SIGNATURE_REFUSED = N_("E-mail or password not recognised, or the account is temporarily locked.")


def start_problem(administration: Administration, now=None) -> str | None:
    """Why this MMSE cannot be started now (an English msgid), or None.

    The one rule: the start view refuses with it, and the patient pages offer "Start the MMSE"
    only when it returns None. An MMSE is started within its visit's window (the patient's
    local dates), for a patient still followed, once.
    """
    visit = administration.visit
    if administration.status != "created":
        return N_("This MMSE has already been started.")
    if visit.patient.status != "active":
        return N_("This patient is no longer followed.")
    if visit.status in CLOSED_VISITS:
        return N_("This visit was closed by the site.")
    today = local_time(now or utcnow(), visit.patient.timezone).date()
    if today < visit.window_opens:
        return N_("This visit's window is not open yet.")
    if today > visit.window_closes:  # the visit is (or is about to be marked) missed or partial
        return N_("This visit's window has closed.")
    return None


def start_mmse(administration: Administration, examiner, language: str, *, glasses: bool, hearing_aid: bool,
               protocol, now=None) -> None:
    """Start the MMSE at ``now`` (default: this moment), if `start_problem` allows it then."""
    now = now or utcnow()
    problem = start_problem(administration, now)
    if problem:
        raise MmseError("language", problem)
    pack = _attach_pack(administration, language)
    administration.status, administration.started_at, administration.last_saved_at = "in_progress", now, now
    administration.administered_by_id = examiner.id
    administration.details = {
        "attention_rule": protocol.mmse.attention_rule, "variant": protocol.mmse.variant,
        "word_list": pack.content.get("variant"), "spelling_word": SPELLING_WORDS[language],
        "glasses": glasses, "hearing_aid": hearing_aid, "examiner_id": examiner.id,
        "examiner_name": examiner.display_name}
    db.session.flush()
    record("start", "administration", administration.id, field="status", old="created", new="in_progress",
           reason=f"attention rule {protocol.mmse.attention_rule}, language {language}",
           patient_id=administration.visit.patient_id)


def _attach_pack(administration: Administration, language: str) -> InstrumentPack:
    """The installed MMSE pack; the neutral demo pack is installed when no MMSE pack exists at all."""
    if db.session.scalar(db.select(InstrumentPack.id).filter_by(instrument="mmse").limit(1)) is None:
        install_pack(demo_pack_path("mmse"))
    try:
        return attach_pack(administration, language)
    except PackNotInstalled:
        raise MmseError("language", N_("No MMSE wording is installed in this language; ask the administrator.")) \
            from None


def save_section(administration: Administration, section: str, items: dict, posted_version, *,
                 reason: str | None = None) -> dict:
    """Save a section (a correction, with its reason, once the MMSE is locked); returns the changes."""
    check_version(posted_version, administration.version)
    correcting = administration.status == "locked"
    if correcting and not (reason or "").strip():
        raise MmseError("reason", N_("Give the reason for this correction; it is kept in the audit trail."))
    if administration.status not in ("in_progress", "locked"):
        raise MmseError("section", N_("This MMSE has not been started."))
    administration.last_saved_at = utcnow()
    db.session.flush()  # the version check happens here, before any item is touched
    changes = apply_items(administration, section_items(section), items)
    if changes:
        record("correct_items" if correcting else "save_items", "administration", administration.id,
               field=section, old={code: shown(old) for code, (old, _) in changes.items()},
               new={code: shown(new) for code, (_, new) in changes.items()},
               reason=reason.strip() if correcting else None, patient_id=administration.visit.patient_id)
    db.session.flush()
    if correcting and changes:
        store_mmse_scores(administration)
    return changes


def _signing_language() -> str | None:
    """The language of the page the signer read the statement on; none when signed outside a request."""
    locale = get_locale() if has_request_context() else None
    return locale.language if locale else None


def sign(administration: Administration, signer, password: str, posted_version) -> None:
    """Finalise: the signer re-enters their password; the record is then locked and scored."""
    check_version(posted_version, administration.version)
    if administration.status != "in_progress":
        raise MmseError("password", N_("Only an MMSE in progress can be signed."))
    outcome = check_attempt(signer, password, utcnow())
    if outcome != ACCEPTED:
        record("signature_refused", "administration", administration.id, patient_id=administration.visit.patient_id,
               reason="account locked" if outcome == LOCKED else "wrong password")
        raise SignatureRefused("password", SIGNATURE_REFUSED)
    missing = still_missing(load_items(administration), attention_rule(administration))
    if missing:
        raise MmseError("password", N_("Record every item (a score, or not administrable with a reason) before "
                                       "signing. Still missing: %(items)s."), items=", ".join(missing))
    now, language = utcnow(), _signing_language()
    administration.status, administration.submitted_at, administration.locked_at = "locked", now, now
    administration.signed_by_id, administration.signature_meaning = signer.id, SIGNATURE_MEANING
    administration.details = {**administration.details, "signature": {
        "signer_id": signer.id, "signer_name": signer.display_name, "signed_at_utc": now.isoformat(timespec="seconds"),
        "meaning": SIGNATURE_MEANING, "language": language}}
    db.session.flush()
    store_mmse_scores(administration)
    # The signer read the statement in the page's language: the entry says which one.
    record("sign", "administration", administration.id, old={"status": "in_progress"},
           new={"status": "locked", "signature_language": language}, reason=SIGNATURE_MEANING,
           patient_id=administration.visit.patient_id)
    on_administration_submitted(administration, now=now)  # the visit completes once every instrument is in
