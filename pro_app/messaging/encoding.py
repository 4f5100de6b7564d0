"""How an SMS text will be encoded and how many segments it will be billed as.

One character outside the GSM 03.38 alphabet switches the whole message to UCS-2, which
more than halves the room per segment; templates should stay in GSM-7.
"""
from __future__ import annotations

from dataclasses import dataclass

# GSM 03.38 default alphabet, without the escape code 0x1B. Position 0x09 is "Ç" in the
# standard, but many implementations (and handsets) treat it as "ç". Implementations
# disagree, so "ç" may still travel as UCS-2 on some routes; we count it as GSM-7 so
# French templates keep it, and budget for the risk by keeping them short.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇç\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Each costs two septets: the escape code, then the character.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PER_SEGMENT = 160, 153
UCS2_SINGLE, UCS2_PER_SEGMENT = 70, 67


@dataclass(frozen=True)
class SmsEncoding:
    encoding: str  # "GSM-7" | "UCS-2"
    characters: int
    segments: int
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2


def non_gsm_characters(text: str) -> list[str]:
    """The distinct characters that force UCS-2, in order of first appearance."""
    return list(dict.fromkeys(c for c in text if c not in GSM7_BASIC and c not in GSM7_EXTENSION))


def analyse_sms(text: str) -> SmsEncoding:
    if non_gsm_characters(text):
        costs = [len(c.encode("utf-16-le")) // 2 for c in text]
        single, per_segment, encoding = UCS2_SINGLE, UCS2_PER_SEGMENT, "UCS-2"
    else:
        costs = [2 if c in GSM7_EXTENSION else 1 for c in text]
        single, per_segment, encoding = GSM7_SINGLE, GSM7_PER_SEGMENT, "GSM-7"
    units = sum(costs)
    segments = (1 if units <= single else _count_segments(costs, per_segment)) if units else 0
    return SmsEncoding(encoding=encoding, characters=len(text), segments=segments, units=units)


def _count_segments(costs: list[int], per_segment: int) -> int:
    """Split greedily; an escape pair or a surrogate pair is never cut across two segments."""
    segments, used = 1, 0
    for cost in costs:
        if used + cost > per_segment:
            segments, used = segments + 1, 0
        used += cost
    return segments
