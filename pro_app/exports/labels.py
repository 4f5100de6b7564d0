"""Value sets and neutral labels shared by the tables and the codebook.

Neutral wording written by the project: no licensed QLQ-C30 or MMSE text (response labels
name only the poles of the scale).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..instruments.qlq_c30 import FOUR_POINT, SEVEN_POINT
from ..messaging.models import MESSAGE_STATUSES
from ..patients.models import STATUSES
from ..questionnaires.models import ADMIN_STATUSES, ANSWER_STATES, MODES, NA_REASONS
from ..schedule.models import VISIT_STATUSES
from .variables import Value

INSTRUMENT_LABELS = {"qlq_c30": _l("EORTC QLQ-C30 version 3.0"), "mmse": _l("Mini-Mental State Examination")}
LANGUAGE_LABELS = {"fr": _l("French"), "en": _l("English")}
STATE_LABELS = {"answered": _l("Answered"), "skipped": _l("Skipped (explicit missing)"),
                "not_administrable": _l("Not administrable")}
NA_REASON_LABELS = {"vision": _l("Vision"), "hearing": _l("Hearing"), "motor": _l("Motor"),
                    "language": _l("Language"), "refusal": _l("Refusal"), "other": _l("Other reason")}
PATIENT_STATUS_LABELS = {"active": _l("Active"), "withdrawn": _l("Withdrawn"), "deceased": _l("Deceased"),
                         "lost": _l("Lost to follow-up")}
VISIT_STATUS_LABELS = {"upcoming": _l("Upcoming"), "open": _l("Window open"), "completed": _l("Completed"),
                       "partial": _l("Partially completed"), "missed": _l("Missed"), "not_done": _l("Not done"),
                       "cancelled": _l("Cancelled")}
ADMIN_STATUS_LABELS = {"created": _l("Not started"), "in_progress": _l("In progress"),
                       "submitted": _l("Submitted"), "locked": _l("Locked (signed)")}
MODE_LABELS = {"phone": _l("Patient, by text-message link"), "tablet": _l("Patient, on a tablet"),
               "nurse": _l("Nurse-administered")}
MESSAGE_STATUS_LABELS = {"pending": _l("Pending"), "claimed": _l("Being sent"), "sent": _l("Sent"),
                         "delivered": _l("Delivered"), "undelivered": _l("Undelivered"), "failed": _l("Failed"),
                         "cancelled": _l("Cancelled"), "expired": _l("Expired"), "unknown": _l("Unknown")}
TIMING_LABELS = {"in_window": _l("Completed in window"), "late": _l("Completed late"),
                 "early": _l("Completed before the window"), "missed": _l("Missed"),
                 "pending": _l("Not yet due or window open"), "not_done": _l("Visit not done"),
                 "cancelled": _l("Visit cancelled")}
TIMINGS = tuple(TIMING_LABELS)
YES_NO = (Value(0, _l("No")), Value(1, _l("Yes")))
# "Right/Wrong answer": never "Correct", which also names the action that edits a record.
MMSE_BINARY = (Value(0, _l("Wrong answer")), Value(1, _l("Right answer")))


def coded(labels: dict, order=None) -> tuple[Value, ...]:
    return tuple(Value(code, labels[code]) for code in (order or labels))


def plain(codes) -> tuple[Value, ...]:
    """Values whose label is the code itself (protocol data such as visit codes)."""
    return tuple(Value(code, str(code).replace("_", " ")) for code in codes)


def response_values(scale) -> tuple[Value, ...]:
    """A QLQ-C30 response scale: the poles are named, the inner points are bare numbers."""
    poles = {FOUR_POINT.key: (_l("1 (lowest point)"), _l("4 (highest point)")),
             SEVEN_POINT.key: (_l("1 (worst pole)"), _l("7 (best pole)"))}[scale.key]
    labels = {scale.low: poles[0], scale.high: poles[1]}
    return tuple(Value(point, labels.get(point, str(point))) for point in scale.points)


STATES = coded(STATE_LABELS, ANSWER_STATES)
NA_REASONS_VALUES = coded(NA_REASON_LABELS, NA_REASONS)
PATIENT_STATUSES = coded(PATIENT_STATUS_LABELS, STATUSES)
VISIT_STATUS_VALUES = coded(VISIT_STATUS_LABELS, VISIT_STATUSES)
ADMIN_STATUS_VALUES = coded(ADMIN_STATUS_LABELS, ADMIN_STATUSES)
MODE_VALUES = coded(MODE_LABELS, MODES)
MESSAGE_STATUS_VALUES = coded(MESSAGE_STATUS_LABELS, MESSAGE_STATUSES)
TIMING_VALUES = coded(TIMING_LABELS)
LANGUAGE_VALUES = coded(LANGUAGE_LABELS)
INSTRUMENT_VALUES = coded(INSTRUMENT_LABELS)
