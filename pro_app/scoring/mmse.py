"""MMSE scoring (Folstein et al. 1975; GRECO French version) from item-level records.

Each item is scored (0/1), not administrable (`NotAdministrable(reason)`), or missing
(None or absent). Not administrable never counts as 0: a total exists only when every item
that counts is scored, and the prorated total is a separate, labelled figure.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pro_app.instruments.mmse import (
    ATTENTION_POINTS, BINARY_ITEMS, ITEM_CODES, MAX_TOTAL, NO_ANSWER, REGISTRATION_TRIALS,
    REGISTRATION_TRIALS_RANGE, SERIAL7_ITEMS, SPELLING_ITEM, SPELLING_WORDS, NotAdministrable,
)
from pro_app.scoring.mmse_attention import (
    ATTENTION_RULES, COUNTED_TASKS, GRECO, SERIAL7, SPELLING, score_serial7, score_spelling,
)

ALGORITHM_VERSION = "mmse-folstein-1975/serial7-previous-answer+spelling-lcs-last5/1"

__all__ = ["ALGORITHM_VERSION", "ATTENTION_RULES", "MmseResult", "score_mmse", "score_serial7", "score_spelling"]


@dataclass(frozen=True)
class _Part:
    """An item, or an attention task, with its state."""

    max_points: int
    score: int | None
    not_administrable: Mapping[str, str | None] = field(default_factory=dict)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class MmseResult:
    """The items lists cover only the items that count towards the total under the rule."""

    attention_rule: str
    language: str
    serial7_score: int | None
    spelling_score: int | None
    attention_score: int | None
    total: int | None
    total_prorated: float | None  # scored points x 30 / their maximum; not a total
    points_administered: int  # maximum points of the scored items that count
    items_not_administrable: Mapping[str, str | None]  # item code -> reason (None: unrecorded)
    items_missing: tuple[str, ...]
    algorithm_version: str = ALGORITHM_VERSION


def score_mmse(items: Mapping[str, object], attention_rule: str = GRECO, language: str = "fr") -> MmseResult:
    """Score one MMSE from {item code: value}; raises ValueError naming any invalid item."""
    _check_arguments(items, attention_rule, language)
    tasks = {SERIAL7: _serial7_task(items), SPELLING: _spelling_task(items, language)}
    attention = _combined([tasks[task] for task in COUNTED_TASKS[attention_rule]])
    parts = [_binary_item(code, items.get(code)) for code in BINARY_ITEMS] + [attention]
    scored = [part for part in parts if part.score is not None]
    administered = sum(part.max_points for part in scored)
    points = sum(part.score for part in scored)
    return MmseResult(
        attention_rule=attention_rule,
        language=language,
        serial7_score=tasks[SERIAL7].score,
        spelling_score=tasks[SPELLING].score,
        attention_score=attention.score,
        total=points if len(scored) == len(parts) else None,
        total_prorated=points * MAX_TOTAL / administered if administered else None,
        points_administered=administered,
        items_not_administrable=MappingProxyType(
            {code: reason for part in parts for code, reason in part.not_administrable.items()}
        ),
        items_missing=tuple(code for part in parts for code in part.missing),
    )


def _check_arguments(items: Mapping[str, object], attention_rule: str, language: str) -> None:
    if attention_rule not in ATTENTION_RULES:
        raise ValueError(f"unknown attention rule {attention_rule!r}: expected {', '.join(ATTENTION_RULES)}")
    if language not in SPELLING_WORDS:
        raise ValueError(f"unknown language {language!r}: expected {', '.join(SPELLING_WORDS)}")
    unknown = [code for code in items if code not in ITEM_CODES and code != REGISTRATION_TRIALS]
    if unknown:
        raise ValueError(f"unknown MMSE item(s): {', '.join(map(repr, unknown))}")
    trials = items.get(REGISTRATION_TRIALS)
    low, high = REGISTRATION_TRIALS_RANGE
    if trials is not None and (not _is_int(trials) or not low <= trials <= high):
        raise ValueError(f"{REGISTRATION_TRIALS}: {trials!r} is not a whole number in {low}..{high}")


def _binary_item(code: str, value: object) -> _Part:
    if isinstance(value, NotAdministrable):
        return _Part(1, None, not_administrable={code: value.reason})
    if value is None:
        return _Part(1, None, missing=(code,))
    if not _is_int(value) or value not in (0, 1):
        raise ValueError(f"{code}: {value!r} is not a score of 0 or 1")
    return _Part(1, value)


def _serial7_task(items: Mapping[str, object]) -> _Part:
    values = [items.get(code) for code in SERIAL7_ITEMS]
    unable = [code for code, value in zip(SERIAL7_ITEMS, values) if isinstance(value, NotAdministrable)]
    if unable and len(unable) < len(SERIAL7_ITEMS):
        raise ValueError(f"serial 7s: {', '.join(unable)} not administrable but not the other answers; mark all or none")
    if unable:
        return _Part(ATTENTION_POINTS, None, not_administrable={code: items[code].reason for code in unable})
    for code, value in zip(SERIAL7_ITEMS, values):
        if value not in (None, NO_ANSWER) and not _is_int(value):
            raise ValueError(f"{code}: {value!r} is not a number said, {NO_ANSWER!r} (no answer) or missing")
    missing = tuple(code for code, value in zip(SERIAL7_ITEMS, values) if value is None)
    if missing:
        return _Part(ATTENTION_POINTS, None, missing=missing)
    return _Part(ATTENTION_POINTS, score_serial7([None if value == NO_ANSWER else value for value in values]))


def _spelling_task(items: Mapping[str, object], language: str) -> _Part:
    value = items.get(SPELLING_ITEM)
    if isinstance(value, NotAdministrable):
        return _Part(ATTENTION_POINTS, None, not_administrable={SPELLING_ITEM: value.reason})
    if value is None:
        return _Part(ATTENTION_POINTS, None, missing=(SPELLING_ITEM,))
    if not isinstance(value, str) or not all(char.isalpha() or char in " -" for char in value):
        raise ValueError(f"{SPELLING_ITEM}: {value!r} must hold only the letters said (spaces and hyphens allowed)")
    return _Part(ATTENTION_POINTS, score_spelling(value, language))


def _combined(tasks: list[_Part]) -> _Part:
    """The best of the counted tasks, scored only when every one of them is."""
    scores = [task.score for task in tasks]
    return _Part(
        ATTENTION_POINTS,
        max(scores) if None not in scores else None,
        not_administrable={code: reason for task in tasks for code, reason in task.not_administrable.items()},
        missing=tuple(code for task in tasks for code in task.missing),
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
