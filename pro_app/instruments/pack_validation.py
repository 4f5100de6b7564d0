"""Validation of instrument pack data: reports every problem, not just the first."""
import re
from collections.abc import Mapping

from pro_app.instruments import INSTRUMENTS

_TEXT_FIELDS = ("pack_id", "version", "name", "source", "licence")
REQUIRED_FIELDS = _TEXT_FIELDS + ("instrument", "validated", "languages")
OPTIONAL_FIELDS = ("variant", "names")
_PACK_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")
_MARKUP = re.compile(r"[<>]|&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def validate_pack(data: object) -> list[str]:
    """Every problem in pack data, as readable messages; an empty list means a valid pack."""
    if not isinstance(data, Mapping):
        return [f"a pack must be a mapping of fields, not {type(data).__name__}"]
    problems = [f"missing field {name!r}" for name in REQUIRED_FIELDS if name not in data]
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    problems += [f"unknown field {name!r}" for name in data if name not in known]
    for name in _TEXT_FIELDS + ("variant",):
        if name in data:
            problems += _text_problems(name, data[name])
    if "names" in data:
        problems += _names_problems(data["names"])
    if "pack_id" in data and isinstance(data["pack_id"], str) and not _PACK_ID.fullmatch(data["pack_id"]):
        problems.append("pack_id: use lower-case letters, digits, '_', '.' or '-'")
    if "validated" in data and not isinstance(data["validated"], bool):
        problems.append("validated: must be true or false")
    name = data.get("instrument")
    instrument = INSTRUMENTS.get(name) if isinstance(name, str) else None
    if "instrument" in data and instrument is None:
        problems.append(f"unknown instrument {name!r}: expected {', '.join(INSTRUMENTS)}")
    required_keys = instrument.PACK_TEXT_KEYS if instrument else None
    if "languages" in data:
        problems += _languages_problems(data["languages"], required_keys)
    return problems


def _languages_problems(languages: object, required_keys: tuple[str, ...] | None) -> list[str]:
    if not isinstance(languages, Mapping) or not languages:
        return ["languages: must map at least one language code to its texts"]
    problems = []
    for language, entries in languages.items():
        where = f"languages.{language}"
        if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
            problems.append(f"{where}: {language!r} is not a language code such as 'fr' or 'fr-CA'")
        elif not isinstance(entries, Mapping):
            problems.append(f"{where}: must be a mapping of texts")
        else:
            problems += _texts_problems(where, entries, required_keys)
    return problems


def _names_problems(names: object) -> list[str]:
    """`names` gives the pack's name per language, for pages in that language."""
    if not isinstance(names, Mapping) or not names:
        return ["names: must map language codes such as 'fr' to the pack's name in that language"]
    problems = []
    for language, text in names.items():
        if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
            problems.append(f"names: {language!r} is not a language code such as 'fr' or 'fr-CA'")
        else:
            problems += _text_problems(f"names.{language}", text)
            if isinstance(text, str) and len(text) > 200:
                problems.append(f"names.{language}: at most 200 characters")
    return problems


def _texts_problems(where: str, entries: Mapping, required_keys: tuple[str, ...] | None) -> list[str]:
    problems: list[str] = []
    texts = flatten_texts(entries, problems, where)
    if required_keys is not None:
        problems += [f"{where}.{key}: missing" for key in required_keys if key not in texts]
        problems += [f"{where}.{key}: unknown text key" for key in texts if key not in required_keys]
    for key, text in texts.items():
        problems += _text_problems(f"{where}.{key}", text)
    return problems


def _text_problems(where: str, text: object) -> list[str]:
    if not isinstance(text, str):
        return [f"{where}: must be text, not {type(text).__name__} (quote it)"]
    if not text.strip():
        return [f"{where}: empty text"]
    if _MARKUP.search(text):
        return [f"{where}: contains markup ('<', '>' or an HTML entity); texts are plain text"]
    return []


def flatten_texts(entries: Mapping, problems: list[str] | None = None, where: str = "") -> dict[str, object]:
    """{"items": {"q1": "..."}} -> {"items.q1": "..."}; integer keys (response points) as text."""
    flat: dict[str, object] = {}
    for key, value in entries.items():
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            if problems is not None:
                problems.append(f"{where}: key {key!r} must be text or a whole number")
            continue
        if isinstance(value, Mapping):
            nested = flatten_texts(value, problems, f"{where}.{key}")
            flat.update({f"{key}.{inner}": text for inner, text in nested.items()})
        else:
            flat[str(key)] = value
    return flat
