"""Mini-Mental State Examination (Folstein 1975; French GRECO version) as data.

Structure and item codes only. Questions, word lists, sentences and instructions are
licensed (PAR) and come from an installed instrument pack.
"""
from dataclasses import dataclass

INSTRUMENT = "mmse"
MAX_TOTAL = 30
ATTENTION_POINTS = 5


def _codes(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}_{number}" for number in range(1, count + 1))


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    items: tuple[str, ...]


SERIAL7_ITEMS = _codes("serial7", 5)  # the numbers said, not scores
SPELLING_ITEM = "spelling"  # the letters said, not a score
SECTIONS = (
    Section("orientation_time", "Orientation, time", _codes("orient_time", 5)),
    Section("orientation_place", "Orientation, place", _codes("orient_place", 5)),
    Section("registration", "Registration (first trial)", _codes("registration", 3)),
    Section("attention", "Attention and calculation", SERIAL7_ITEMS + (SPELLING_ITEM,)),
    Section("recall", "Recall", _codes("recall", 3)),
    Section("naming", "Naming", _codes("naming", 2)),
    Section("repetition", "Repetition", ("repetition",)),
    Section("command", "Three-stage command", _codes("command", 3)),
    Section("reading", "Reading", ("reading",)),
    Section("writing", "Writing", ("writing",)),
    Section("copying", "Copying", ("copying",)),
)
ITEM_CODES = tuple(code for section in SECTIONS for code in section.items)
ATTENTION_ITEMS = SERIAL7_ITEMS + (SPELLING_ITEM,)
BINARY_ITEMS = tuple(code for code in ITEM_CODES if code not in ATTENTION_ITEMS)  # 0 or 1

# Registration is repeated until learned, up to 6 trials; the count is recorded, not scored.
REGISTRATION_TRIALS = "registration_trials"
REGISTRATION_TRIALS_RANGE = (1, 6)
SERIAL7_START = 100
SERIAL7_STEP = 7
SPELLING_WORDS = {"en": "WORLD", "fr": "MONDE"}  # spelled backwards
NOT_ADMINISTRABLE_REASONS = ("vision", "hearing", "motor", "language", "refusal", "other")
# Attempted without an answer: scores 0 (unlike a missing item, which was not recorded).
NO_ANSWER = "-"


@dataclass(frozen=True)
class NotAdministrable:
    """An item that could not be given; it never counts as 0. reason None: not recorded."""

    reason: str | None = None

    def __post_init__(self) -> None:
        if self.reason is not None and self.reason not in NOT_ADMINISTRABLE_REASONS:
            raise ValueError(
                f"unknown not-administrable reason {self.reason!r}: "
                f"expected one of {', '.join(NOT_ADMINISTRABLE_REASONS)}"
            )


PACK_TEXT_KEYS = tuple(
    [f"sections.{section.code}" for section in SECTIONS] + [f"items.{code}" for code in ITEM_CODES]
)
