"""EORTC QLQ-C30 version 3.0 as data: items, scales, headings and pages.

Structure only. The wording of items, headings and responses is licensed by the EORTC and
comes from an installed instrument pack (see `pro_app.instruments.packs`).
"""
from dataclasses import dataclass
from math import ceil

INSTRUMENT = "qlq_c30"
VERSION = "3.0"
ITEM_COUNT = 30


@dataclass(frozen=True)
class ResponseScale:
    key: str
    low: int
    high: int
    labelled_points: tuple[int, ...]

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(range(self.low, self.high + 1))

    @property
    def range(self) -> int:
        return self.high - self.low


# Items 29-30 carry a verbal anchor only at the two poles; 2-6 are bare numbers.
FOUR_POINT = ResponseScale("four_point", 1, 4, (1, 2, 3, 4))
SEVEN_POINT = ResponseScale("seven_point", 1, 7, (1, 7))


@dataclass(frozen=True)
class Scale:
    code: str
    name: str
    kind: str  # "global" | "functional" | "symptom" | "single"
    items: tuple[int, ...]
    sdtm_code: str

    @property
    def higher_is_better(self) -> bool:
        return self.kind in ("global", "functional")

    @property
    def response_scale(self) -> ResponseScale:
        return SEVEN_POINT if self.kind == "global" else FOUR_POINT

    @property
    def min_answered(self) -> int:
        """The half rule: a scale is scored when at least half of its items are answered."""
        return ceil(len(self.items) / 2)


SCALES = (
    Scale("QL2", "Global health status / QoL", "global", (29, 30), "EOR0131"),
    Scale("PF2", "Physical functioning", "functional", (1, 2, 3, 4, 5), "EOR0132"),
    Scale("RF2", "Role functioning", "functional", (6, 7), "EOR0133"),
    Scale("EF", "Emotional functioning", "functional", (21, 22, 23, 24), "EOR0134"),
    Scale("CF", "Cognitive functioning", "functional", (20, 25), "EOR0135"),
    Scale("SF", "Social functioning", "functional", (26, 27), "EOR0136"),
    Scale("FA", "Fatigue", "symptom", (10, 12, 18), "EOR0137"),
    Scale("NV", "Nausea and vomiting", "symptom", (14, 15), "EOR0138"),
    Scale("PA", "Pain", "symptom", (9, 19), "EOR0139"),
    Scale("DY", "Dyspnoea", "single", (8,), "EOR0140"),
    Scale("SL", "Insomnia", "single", (11,), "EOR0141"),
    Scale("AP", "Appetite loss", "single", (13,), "EOR0142"),
    Scale("CO", "Constipation", "single", (16,), "EOR0143"),
    Scale("DI", "Diarrhoea", "single", (17,), "EOR0144"),
    Scale("FI", "Financial difficulties", "single", (28,), "EOR0145"),
)
SCALES_BY_CODE = {scale.code: scale for scale in SCALES}

# Giesinger et al., J Clin Epidemiol 2016;69:79-88: QL2 and FI are left out.
SUMMARY_CODE = "SUMMARY"
SUMMARY_SCALES = ("PF2", "RF2", "EF", "CF", "SF", "FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI")
SCORE_CODES = tuple(scale.code for scale in SCALES) + (SUMMARY_CODE,)

RECALL_HEADING = "recall_past_week"
GLOBAL_HEADING = "global_instruction"
HEADINGS_BEFORE = {6: RECALL_HEADING, 29: GLOBAL_HEADING}


@dataclass(frozen=True)
class Item:
    number: int
    scale: str
    response_scale: ResponseScale
    heading: str | None  # key of the heading shown right before this item, if any

    @property
    def id(self) -> str:
        return f"q{self.number}"

    @property
    def sdtm_test_code(self) -> str:
        return f"EOR01{self.number:02d}"


def _scale_of(number: int) -> Scale:
    return next(scale for scale in SCALES if number in scale.items)


ITEMS = tuple(
    Item(n, _scale_of(n).code, _scale_of(n).response_scale, HEADINGS_BEFORE.get(n))
    for n in range(1, ITEM_COUNT + 1)
)
ITEM_IDS = tuple(item.id for item in ITEMS)

# Small groups for a phone screen; no page crosses a heading.
PAGES = (
    (1, 2, 3, 4, 5), (6, 7), (8, 9, 10, 11, 12), (13, 14, 15, 16), (17, 18, 19, 20),
    (21, 22, 23, 24), (25, 26, 27, 28), (29,), (30,),
)


def heading_in_force(number: int) -> str | None:
    """The heading that covers an item (the recall heading covers items 6-28)."""
    starts = [start for start in HEADINGS_BEFORE if start <= number]
    return HEADINGS_BEFORE[max(starts)] if starts else None


PACK_TEXT_KEYS = tuple(
    [f"headings.{key}" for key in HEADINGS_BEFORE.values()]
    + [f"items.{item_id}" for item_id in ITEM_IDS]
    + [f"responses.four_point.{point}" for point in FOUR_POINT.labelled_points]
    + [f"responses.seven_point_anchors.{point}" for point in SEVEN_POINT.labelled_points]
)
