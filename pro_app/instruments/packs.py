"""Instrument packs: the wording of one instrument, in one or more languages.

A pack is a YAML or JSON file installed by the deployment; the repository ships only demo
packs with neutral wording of its own (`validated: false`). Format::

    pack_id: qlq_c30_demo         # [a-z0-9_.-], recorded with every answer
    instrument: qlq_c30           # qlq_c30 | mmse
    version: "1.0"                # a string: quote it in YAML
    name: ...                     # human-readable, says whether this is validated wording
    names: {fr: ..., en: ...}     # optional: the name in each page language (else `name`)
    source: ...                   # where the wording comes from
    licence: ...                  # the agreement that allows its use
    validated: false              # true only for the licensed, validated wording
    variant: ...                  # optional, e.g. the MMSE word list in this pack
    languages:
      fr:                         # language code: fr, en, fr-CA...
        headings: {recall_past_week: ..., global_instruction: ...}   # qlq_c30
        items: {q1: ..., ..., q30: ...}                              # every item
        responses:                                                   # qlq_c30
          four_point: {1: ..., 2: ..., 3: ..., 4: ...}
          seven_point_anchors: {1: ..., 7: ...}    # items 29-30: only the poles are labelled
        sections: {orientation_time: ..., ...}                       # mmse: examiner guidance

The texts of a language are addressed by dotted keys ("items.q12",
"responses.four_point.1", "headings.recall_past_week"); each instrument module lists its
required keys in PACK_TEXT_KEYS. Texts are plain text: the app escapes them, so markup is
refused.
"""
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from pro_app.instruments import INSTRUMENTS
from pro_app.instruments.pack_validation import flatten_texts, validate_pack

_DEMO_DIR = Path(__file__).parent / "packs"

__all__ = ["Pack", "PackError", "demo_pack_path", "load_pack", "pack_from_data", "validate_pack"]


class PackError(ValueError):
    """A pack that cannot be used; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        super().__init__(f"{source}: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Pack:
    pack_id: str
    instrument: str
    version: str
    name: str
    source: str
    licence: str
    validated: bool
    texts: Mapping[str, Mapping[str, str]]  # {language: {dotted key: text}}
    variant: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", _wording_sha256(self.texts))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.texts))

    def display_name(self, language: str) -> str:
        """The pack's name for a page in `language`: its own name there, else the `name` field."""
        return self.names.get(language) or self.names.get(language.split("-")[0]) or self.name

    def text(self, language: str, key: str) -> str:
        """The text for a dotted key, e.g. pack.text("fr", "items.q12")."""
        if language not in self.texts:
            raise KeyError(f"pack {self.pack_id} has no language {language!r}")
        if key not in self.texts[language]:
            raise KeyError(f"pack {self.pack_id} has no text {key!r}")
        return self.texts[language][key]


def _wording_sha256(texts: Mapping[str, Mapping[str, str]]) -> str:
    """Identifies the wording itself: the same texts give the same hash in any file format."""
    plain = {language: dict(entries) for language, entries in texts.items()}
    canonical = json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_pack(path: str | Path) -> Pack:
    """Read and validate a .yaml/.yml/.json pack; raises PackError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise PackError(str(path), [f"cannot read the pack: {error}"]) from error
    return pack_from_data(data, source=str(path))


def pack_from_data(data: object, source: str = "pack") -> Pack:
    problems = validate_pack(data)
    if problems:
        raise PackError(source, problems)
    texts = {
        str(language): MappingProxyType(flatten_texts(entries))
        for language, entries in data["languages"].items()
    }
    return Pack(
        pack_id=data["pack_id"], instrument=data["instrument"], version=data["version"],
        name=data["name"], source=data["source"], licence=data["licence"],
        validated=data["validated"], texts=MappingProxyType(texts), variant=data.get("variant"),
        names=MappingProxyType(dict(data.get("names") or {})),
    )


def demo_pack_path(instrument: str) -> Path:
    """The demo pack shipped for an instrument (neutral wording, not validated)."""
    if instrument not in INSTRUMENTS:
        raise ValueError(f"unknown instrument {instrument!r}: expected {', '.join(INSTRUMENTS)}")
    return _DEMO_DIR / f"{instrument}_demo.yaml"
