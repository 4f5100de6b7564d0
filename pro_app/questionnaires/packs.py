"""Installed instrument packs: the exact wording each administration was given in.

A pack is installed once and never edited: the same pack id and version with other wording
is refused, so (pack_id, version, sha256) on an administration always names one wording.
The newest installed pack of an instrument becomes its current pack.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..instruments import INSTRUMENTS
from ..instruments.packs import Pack, PackError, demo_pack_path, load_pack, pack_from_data
from .models import Administration, InstrumentPack

# Column widths of InstrumentPack, checked before writing so that no database truncates or refuses.
_WIDTHS = {"pack_id": 80, "version": 40, "name": 200, "languages": 40}


class PackInstallError(ValueError):
    """A pack that cannot be installed; `problems` lists every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class PackNotInstalled(LookupError):
    """No installed pack carries the wording an administration needs."""


def install_pack(path: str | Path) -> InstrumentPack:
    """Validate and install a pack file; an identical pack already installed is returned as is."""
    try:
        pack = load_pack(path)
    except PackError as error:
        raise PackInstallError(error.problems) from None
    _check_widths(pack)
    existing = _find(pack.pack_id, pack.version)
    if existing is not None:
        if existing.sha256 != pack.sha256:
            raise PackInstallError([
                f"{pack.pack_id} {pack.version} is already installed with other wording "
                f"(sha256 {existing.sha256[:12]}, this file {pack.sha256[:12]}); "
                "an installed pack is never changed: give the new wording a new version"])
        return existing
    return _store(pack)


def _check_widths(pack: Pack) -> None:
    values = {"pack_id": pack.pack_id, "version": pack.version, "name": pack.name,
              "languages": ",".join(pack.languages)}
    problems = [f"{field}: at most {width} characters" for field, width in _WIDTHS.items()
                if len(values[field]) > width]
    if problems:
        raise PackInstallError(problems)


def _store(pack: Pack) -> InstrumentPack:
    for previous in db.session.scalars(db.select(InstrumentPack).filter_by(instrument=pack.instrument,
                                                                           is_current=True)):
        previous.is_current = False
        record("update", "instrument_pack", previous.id, field="is_current", old=True, new=False)
    row = InstrumentPack(pack_id=pack.pack_id, version=pack.version, instrument=pack.instrument,
                         name=pack.name, sha256=pack.sha256, validated=pack.validated,
                         languages=",".join(pack.languages), content=_content(pack),
                         is_current=True, installed_at=utcnow())
    db.session.add(row)
    db.session.flush()
    record("install", "instrument_pack", row.id, new={
        "pack_id": row.pack_id, "version": row.version, "instrument": row.instrument,
        "sha256": row.sha256, "languages": row.languages, "validated": row.validated})
    return row


def _content(pack: Pack) -> dict:
    """The pack as data that `pack_from_data` reads back into the same Pack (flat text keys)."""
    content = {"pack_id": pack.pack_id, "instrument": pack.instrument, "version": pack.version,
               "name": pack.name, "source": pack.source, "licence": pack.licence,
               "validated": pack.validated,
               "languages": {language: dict(texts) for language, texts in pack.texts.items()}}
    if pack.variant is not None:
        content["variant"] = pack.variant
    if pack.names:
        content["names"] = dict(pack.names)
    return content


def _find(pack_id: str, version: str) -> InstrumentPack | None:
    return db.session.scalar(db.select(InstrumentPack).filter_by(pack_id=pack_id, version=version))


def ensure_demo_packs() -> list[InstrumentPack]:
    """Install the shipped demo pack of each instrument that has no pack at all (idempotent)."""
    installed = []
    for instrument in INSTRUMENTS:
        if db.session.scalar(db.select(InstrumentPack.id).filter_by(instrument=instrument).limit(1)) is None:
            installed.append(install_pack(demo_pack_path(instrument)))
    return installed


def pack_languages(row: InstrumentPack) -> tuple[str, ...]:
    return tuple(row.languages.split(","))


def current_pack(instrument: str, language: str) -> InstrumentPack:
    """The current pack of the instrument if it carries the language, else the newest that does."""
    rows = db.session.scalars(db.select(InstrumentPack).filter_by(instrument=instrument)
                              .order_by(InstrumentPack.is_current.desc(), InstrumentPack.installed_at.desc(),
                                        InstrumentPack.id.desc()))
    row = next((row for row in rows if language in pack_languages(row)), None)
    if row is None:
        raise PackNotInstalled(f"no installed {instrument} pack carries the language {language!r}")
    return row


def attach_pack(administration: Administration, language: str) -> InstrumentPack:
    """Record the pack and language an administration is given in; never changed once set."""
    if administration.pack_id is not None:
        return _attached_row(administration)
    row = current_pack(administration.instrument, language)
    administration.language = language
    administration.pack_id, administration.pack_version = row.pack_id, row.version
    administration.pack_sha256 = row.sha256
    db.session.flush()
    record("attach_pack", "administration", administration.id, field="pack",
           new={"pack_id": row.pack_id, "version": row.version, "sha256": row.sha256, "language": language},
           patient_id=administration.visit.patient_id)
    return row


def wording_for(administration: Administration) -> Pack:
    """The exact pack version an administration was given in, checked against its sha256."""
    if administration.pack_id is None:
        raise PackNotInstalled(f"administration {administration.id} has no pack attached yet")
    pack = pack_from_data(_attached_row(administration).content)
    if pack.sha256 != administration.pack_sha256:
        raise PackNotInstalled(f"the stored wording of {pack.pack_id} {pack.version} does not match "
                               f"the sha256 recorded on administration {administration.id}")
    return _with_demo_names(pack)


def _with_demo_names(pack: Pack) -> Pack:
    """A demo pack installed before packs named themselves per language takes the shipped names
    (the same wording: same id, version and sha256), so French pages never show its English name."""
    if pack.names or pack.validated:
        return pack
    shipped = load_pack(demo_pack_path(pack.instrument))
    if (shipped.pack_id, shipped.version, shipped.sha256) != (pack.pack_id, pack.version, pack.sha256):
        return pack
    return replace(pack, names=shipped.names)


def _attached_row(administration: Administration) -> InstrumentPack:
    row = _find(administration.pack_id, administration.pack_version)
    if row is None or row.sha256 != administration.pack_sha256:
        raise PackNotInstalled(f"pack {administration.pack_id} {administration.pack_version} with sha256 "
                               f"{administration.pack_sha256} is not installed")
    return row
