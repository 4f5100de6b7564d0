"""MMSE attention tasks: serial 7s and backwards spelling, scored from what was said."""
from collections.abc import Sequence

from pro_app.instruments.mmse import (
    ATTENTION_POINTS, SERIAL7_START, SERIAL7_STEP, SPELLING_WORDS,
)

# Which task counts towards the total is a study setting, fixed before the first patient.
GRECO = "greco"  # serial 7s count; spelling is given to everyone, recorded, never added
BEST = "best"  # the higher of the two tasks
SERIAL7 = "serial7"
SPELLING = "spelling"
ATTENTION_RULES = (GRECO, BEST, SERIAL7, SPELLING)
COUNTED_TASKS = {GRECO: (SERIAL7,), BEST: (SERIAL7, SPELLING), SERIAL7: (SERIAL7,), SPELLING: (SPELLING,)}
_IGNORED_IN_SPELLING = " -"


def score_serial7(numbers: Sequence[int | None]) -> int:
    """One point per answer equal to the subject's previous answer minus 7.

    None is "no answer" (0 points); the next answer is then checked against the last number
    said minus 7 per step since it, so 93, None, 79 scores 2. 93, 85, 78, 71, 64 scores 4.
    """
    if len(numbers) != ATTENTION_POINTS:
        raise ValueError(f"serial 7s need {ATTENTION_POINTS} answers, not {len(numbers)}")
    score, reference, steps = 0, SERIAL7_START, 0
    for said in numbers:
        steps += 1
        if said is None:
            continue
        if said == reference - SERIAL7_STEP * steps:
            score += 1
        reference, steps = said, 0
    return score


def score_spelling(letters: str, language: str) -> int:
    """Letters said against the reversed word (WORLD -> DLROW, MONDE -> EDNOM).

    The score is the longest common subsequence (SMMSE: the most non-crossing lines joining
    equal letters) between the last five letters said and the reversed word, so one
    swapped adjacent pair scores 4. Case, spaces and hyphens are ignored.
    """
    if language not in SPELLING_WORDS:
        raise ValueError(f"no spelling word for language {language!r}: expected {', '.join(SPELLING_WORDS)}")
    said = [letter for letter in letters.upper() if letter not in _IGNORED_IN_SPELLING]
    return _common_subsequence_length(said[-ATTENTION_POINTS:], SPELLING_WORDS[language][::-1])


def _common_subsequence_length(first: Sequence[str], second: Sequence[str]) -> int:
    previous = [0] * (len(second) + 1)
    for letter in first:
        current = [0]
        for index, other in enumerate(second):
            best = previous[index] + 1 if letter == other else max(previous[index + 1], current[index])
            current.append(best)
        previous = current
    return previous[-1]
