"""Frozen dataclasses describing a study protocol; no I/O here."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

ANCHORS = ("inclusion", "radiotherapy")
INSTRUMENTS = ("qlq_c30", "mmse")
COMPLETED_BY = ("patient", "nurse")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class InstrumentAtVisit:
    instrument: str
    completed_by: str


@dataclass(frozen=True)
class VisitRule:
    code: str
    anchor: str
    offset_months: int
    opens_days_before: int
    # Either a fixed number of days after the target date, or an anchor date that closes it.
    closes_days_after: int | None
    closes_at: str | None
    instruments: tuple[InstrumentAtVisit, ...]


@dataclass(frozen=True)
class ReminderPolicy:
    invitation: bool
    days_after_opening: tuple[int, ...]
    days_before_closing: tuple[int, ...]
    send_from: time
    send_until: time
    no_send_weekdays: tuple[int, ...]  # Monday = 0
    public_holidays: str
    messages_per_second: float
    validity_period_minutes: int
    lease_seconds: int
    resend_min_interval_minutes: int = 15  # a nurse's resend is refused this soon after the last text


@dataclass(frozen=True)
class RegistrationLimits:
    """Plausible dates at registration, in days (see the `registration` section of the protocol)."""

    inclusion_max_days_ahead: int = 0
    inclusion_max_days_ago: int = 365
    radiotherapy_max_days_after_inclusion: int = 90


@dataclass(frozen=True)
class QlqRules:
    mid_points: float
    thresholds: dict  # scale -> ("below" | "at_or_above", value)
    thresholds_source: str
    thresholds_verified: bool


@dataclass(frozen=True)
class MmseRules:
    variant: str
    attention_rule: str
    decline_points: int
    decline_operator: str
    decline_source: str
    education_cutoffs: dict  # education level -> cutoff (abnormal when total < cutoff)
    norms_source: str


@dataclass(frozen=True)
class Protocol:
    code: str
    title: str
    languages: tuple[str, ...]
    default_language: str
    timezone: str
    study_code_pattern: str
    study_code_example: str
    sites: tuple[tuple[str, str], ...]
    visits: tuple[VisitRule, ...]
    reminders: ReminderPolicy
    qlq_c30: QlqRules
    mmse: MmseRules
    sha256: str
    registration: RegistrationLimits = RegistrationLimits()

    def visit(self, code: str) -> VisitRule:
        return next(v for v in self.visits if v.code == code)

    @property
    def visit_codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.visits)

    def site_of_code(self, study_code: str) -> str | None:
        """The site part of a well-formed study code (the pattern's group named "site"), else None."""
        match = re.fullmatch(self.study_code_pattern, study_code)
        if match is None or "site" not in match.re.groupindex:
            return None
        return match.group("site")

    @property
    def education_levels(self) -> tuple[str, ...]:
        return tuple(self.mmse.education_cutoffs)
