"""Visit windows and SMS send times.

Dates of a visit window are the patient's local calendar days. Every datetime returned
is naive UTC, ready for the outbox; local times are computed with ``zoneinfo``, so a
09:00 send is 08:00 UTC in Paris winter and 07:00 UTC in summer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from threading import Lock
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

from pro_app.protocol import ReminderPolicy, VisitRule

# More than a year of consecutive no-send days means the policy itself is wrong.
_MAX_DAYS_SEARCHED = 400
_holidays_lock = Lock()


@dataclass(frozen=True)
class VisitWindow:
    target: date
    opens: date
    closes: date


@dataclass(frozen=True)
class PlannedMessage:
    kind: str  # "invitation" | "reminder_1" | "reminder_2" | ...
    due_at_utc: datetime
    not_after_utc: datetime


def visit_window(rule: VisitRule, inclusion: date, radiotherapy: date) -> VisitWindow:
    """Months are calendar months; relativedelta clamps month ends (30 Nov + 3 months = 28 Feb)."""
    anchors = {"inclusion": inclusion, "radiotherapy": radiotherapy}
    target = anchors[rule.anchor] + relativedelta(months=rule.offset_months)
    opens = target - timedelta(days=rule.opens_days_before)
    if rule.closes_at:
        closes = anchors[rule.closes_at]
    else:
        closes = target + timedelta(days=rule.closes_days_after)
    if closes < opens:
        raise ValueError(f"visit {rule.code}: the window would close on {closes} before it opens on "
                         f"{opens} (check the inclusion date {inclusion} and radiotherapy date {radiotherapy})")
    return VisitWindow(target=target, opens=opens, closes=closes)


def plan_messages(window_opens: date, window_closes: date, policy: ReminderPolicy, tz: str,
                  now_utc: datetime | None = None) -> list[PlannedMessage]:
    """The invitation and reminders for one visit window, in due order.

    Reminders are numbered on the full plan, so a kind names the same slot whenever the plan
    is recomputed. With ``now_utc``, messages already overdue collapse into the earliest of
    them, sent at the next allowed moment; the others (and any that would then come no
    later than it) are dropped, so a late enrolment gets one message, not a burst.
    """
    not_after = local_to_utc(window_closes, policy.send_until, tz)

    def due(day: date) -> datetime | None:
        return next_allowed_send_time(local_to_utc(day, policy.send_from, tz), policy, tz, not_after)

    invitation = due(window_opens) if policy.invitation else None
    reminder_days = _reminder_days(window_opens, window_closes, policy)
    reminders = sorted({due(day) for day in reminder_days} - {None, invitation})
    kinds = [("invitation", invitation)] if invitation else []
    kinds += [(f"reminder_{n}", moment) for n, moment in enumerate(reminders, start=1)]
    plan = [PlannedMessage(kind, moment, not_after) for kind, moment in kinds]
    return plan if now_utc is None else catch_up(plan, now_utc, policy, tz)


def next_allowed_send_time(after_utc: datetime, policy: ReminderPolicy, tz: str,
                           not_after_utc: datetime | None = None) -> datetime | None:
    """The first moment >= ``after_utc`` inside the send hours of an allowed day, or None past ``not_after_utc``."""
    local_day = _utc_to_local(after_utc, tz).date()
    for offset in range(_MAX_DAYS_SEARCHED):
        day = local_day + timedelta(days=offset)
        if not _is_send_day(day, policy):
            continue
        if after_utc < local_to_utc(day, policy.send_until, tz):
            found = max(after_utc, local_to_utc(day, policy.send_from, tz))
            return None if not_after_utc is not None and found > not_after_utc else found
    return None


def local_to_utc(day: date, clock: time, tz: str) -> datetime:
    """Naive UTC for a local wall-clock time; a time skipped by DST maps forward (02:30 -> 03:30)."""
    aware = datetime.combine(day, clock, tzinfo=ZoneInfo(tz))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def _utc_to_local(moment_utc: datetime, tz: str) -> datetime:
    return moment_utc.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz))


def _is_send_day(day: date, policy: ReminderPolicy) -> bool:
    if day.weekday() in policy.no_send_weekdays:
        return False
    return not policy.public_holidays or not _is_public_holiday(day, policy.public_holidays)


def _is_public_holiday(day: date, country: str) -> bool:
    # The calendar fills a year on first lookup; unlocked, another thread could see it half filled.
    with _holidays_lock:
        return day in _public_holidays(country)


@lru_cache(maxsize=8)
def _public_holidays(country: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country)


def _reminder_days(opens: date, closes: date, policy: ReminderPolicy) -> set[date]:
    days = {opens + timedelta(days=n) for n in policy.days_after_opening}
    days |= {closes - timedelta(days=n) for n in policy.days_before_closing}
    return {day for day in days if opens <= day <= closes}


def catch_up(plan: list[PlannedMessage], now_utc: datetime, policy: ReminderPolicy,
             tz: str) -> list[PlannedMessage]:
    """Collapse the overdue messages of a plan into one, sent at the next allowed moment."""
    overdue = [message for message in plan if message.due_at_utc < now_utc]
    upcoming = [message for message in plan if message.due_at_utc >= now_utc]
    if not overdue:
        return upcoming
    first = overdue[0]
    moment = next_allowed_send_time(now_utc, policy, tz, first.not_after_utc)
    if moment is None:
        return []
    later = [message for message in upcoming if message.due_at_utc > moment]
    return [PlannedMessage(first.kind, moment, first.not_after_utc)] + later


def local_time(moment_utc: datetime, tz: str) -> datetime:
    """The patient's wall-clock time (aware) for a stored naive-UTC moment."""
    return _utc_to_local(moment_utc, tz)
