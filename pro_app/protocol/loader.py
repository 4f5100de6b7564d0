"""Parse and validate a protocol YAML file into a :class:`Protocol`."""
from __future__ import annotations

import hashlib
import re
from datetime import time
from pathlib import Path

import yaml

from ..scoring.mmse_attention import ATTENTION_RULES
from .model import (ANCHORS, COMPLETED_BY, INSTRUMENTS, WEEKDAYS, InstrumentAtVisit, MmseRules,
                    Protocol, QlqRules, RegistrationLimits, ReminderPolicy, VisitRule)


class ProtocolError(ValueError):
    """The protocol file is wrong; the message names the field."""


def load_protocol(path: str | Path) -> Protocol:
    raw_bytes = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw_bytes)
    except yaml.YAMLError as exc:
        raise ProtocolError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"{path}: expected a mapping at the top level")
    try:
        return _build(data, hashlib.sha256(raw_bytes).hexdigest())
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"{path}: {exc}") from None


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProtocolError(message)


def _build(data: dict, sha256: str) -> Protocol:
    study = data["study"]
    re.compile(study["study_code_pattern"])
    visits = tuple(_visit(v) for v in data["visits"])
    _require(len({v.code for v in visits}) == len(visits), "visits: codes must be unique")
    return Protocol(
        code=study["code"], title=study["title"], languages=tuple(study["languages"]),
        default_language=study["default_language"], timezone=study["timezone"],
        study_code_pattern=study["study_code_pattern"],
        study_code_example=study.get("study_code_example", ""),
        sites=tuple((str(s["code"]), s["name"]) for s in data["sites"]),
        visits=visits, reminders=_reminders(data["reminders"]),
        qlq_c30=_qlq(data["scoring"]["qlq_c30"]), mmse=_mmse(data["scoring"]["mmse"]), sha256=sha256,
        registration=_registration(data.get("registration") or {}),
    )


def _registration(r: dict) -> RegistrationLimits:
    _require(isinstance(r, dict), "registration: expected a mapping")
    unknown = set(r) - set(RegistrationLimits.__dataclass_fields__)
    _require(not unknown, f"registration: unknown setting(s) {', '.join(sorted(unknown))}")
    values = {}
    for name, value in r.items():
        _require(isinstance(value, int) and not isinstance(value, bool) and value >= 0,
                 f"registration.{name}: a whole number of days, 0 or more (got {value!r})")
        values[name] = value
    return RegistrationLimits(**values)


def _visit(v: dict) -> VisitRule:
    _require(v["anchor"] in ANCHORS, f"visit {v.get('code')}: anchor must be one of {ANCHORS}")
    window = v["window"]
    closes_at = window.get("closes_at")
    _require(closes_at is None or closes_at in ANCHORS, f"visit {v['code']}: closes_at must be one of {ANCHORS}")
    _require((closes_at is None) != ("closes_days_after" not in window),
             f"visit {v['code']}: window needs exactly one of closes_days_after and closes_at")
    instruments = tuple(InstrumentAtVisit(i["instrument"], i["completed_by"]) for i in v["instruments"])
    for item in instruments:
        _require(item.instrument in INSTRUMENTS, f"visit {v['code']}: unknown instrument {item.instrument!r}")
        _require(item.completed_by in COMPLETED_BY, f"visit {v['code']}: completed_by must be one of {COMPLETED_BY}")
    return VisitRule(code=str(v["code"]), anchor=v["anchor"], offset_months=int(v["offset_months"]),
                     opens_days_before=int(window.get("opens_days_before", 0)),
                     closes_days_after=window.get("closes_days_after"), closes_at=closes_at,
                     instruments=instruments)


def _clock(text: str) -> time:
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def _reminders(r: dict) -> ReminderPolicy:
    weekdays = tuple(WEEKDAYS.index(day.lower()) for day in r.get("no_send_weekdays", []))
    start, end = (_clock(t) for t in r["send_between"])
    _require(start < end, "reminders.send_between: the start must be before the end")
    return ReminderPolicy(
        invitation=bool(r.get("invitation", True)),
        days_after_opening=tuple(int(d) for d in r.get("days_after_opening", [])),
        days_before_closing=tuple(int(d) for d in r.get("days_before_closing", [])),
        send_from=start, send_until=end, no_send_weekdays=weekdays,
        public_holidays=str(r.get("public_holidays") or ""),
        messages_per_second=float(r.get("messages_per_second", 5)),
        validity_period_minutes=int(r.get("validity_period_minutes", 240)),
        lease_seconds=int(r.get("lease_seconds", 120)),
        resend_min_interval_minutes=_minutes(r.get("resend_min_interval_minutes", 15)),
    )


def _minutes(value) -> int:
    _require(isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 60,
             f"reminders.resend_min_interval_minutes: a whole number of minutes from 0 to 1440 (got {value!r})")
    return value


def _qlq(q: dict) -> QlqRules:
    thresholds = {}
    for scale, rule in q.get("thresholds", {}).items():
        (direction, value), = rule.items()
        _require(direction in ("below", "at_or_above"), f"scoring.qlq_c30.thresholds.{scale}: below or at_or_above")
        thresholds[scale] = (direction, float(value))
    return QlqRules(mid_points=float(q.get("mid_points", 10)), thresholds=thresholds,
                    thresholds_source=q.get("thresholds_source", ""),
                    thresholds_verified=bool(q.get("thresholds_verified", False)))


def _mmse(m: dict) -> MmseRules:
    _require(m["attention_rule"] in ATTENTION_RULES, f"scoring.mmse.attention_rule: one of {ATTENTION_RULES}")
    _require(m.get("decline_operator", ">=") in (">=", ">"), "scoring.mmse.decline_operator: >= or >")
    return MmseRules(variant=m.get("variant", ""), attention_rule=m["attention_rule"],
                     decline_points=int(m.get("decline_points", 3)),
                     decline_operator=m.get("decline_operator", ">="),
                     decline_source=m.get("decline_source", ""),
                     education_cutoffs={str(k): int(v) for k, v in m.get("education_cutoffs", {}).items()},
                     norms_source=m.get("norms_source", ""))
