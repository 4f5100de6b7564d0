from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pro_app.protocol
from pro_app.protocol import load_protocol
from pro_app.schedule.calendar import PlannedMessage, VisitWindow, next_allowed_send_time, plan_messages, visit_window

PARIS = "Europe/Paris"
STEP = load_protocol(Path(pro_app.protocol.__file__).parent / "step.yaml")
POLICY = STEP.reminders  # invitation; +3, +7 days; 2 days before closing; 09:00-19:00; no Sunday; FR
FRENCH_HOLIDAYS = holidays.country_holidays("FR")


def utc(*args) -> datetime:
    return datetime(*args)


def kinds_and_times(plan: list[PlannedMessage]) -> list[tuple[str, datetime]]:
    return [(message.kind, message.due_at_utc) for message in plan]


# -- visit windows -----------------------------------------------------------------------

def test_baseline_opens_at_inclusion_and_closes_at_radiotherapy():
    window = visit_window(STEP.visit("baseline"), date(2026, 3, 2), date(2026, 3, 16))
    assert window == VisitWindow(target=date(2026, 3, 2), opens=date(2026, 3, 2), closes=date(2026, 3, 16))


def test_baseline_with_radiotherapy_before_inclusion_is_a_data_error():
    with pytest.raises(ValueError, match="baseline.*before it opens"):
        visit_window(STEP.visit("baseline"), date(2026, 3, 16), date(2026, 3, 2))


def test_follow_up_counts_calendar_months_from_radiotherapy():
    window = visit_window(STEP.visit("m3"), date(2026, 1, 5), date(2026, 1, 20))
    assert window == VisitWindow(target=date(2026, 4, 20), opens=date(2026, 4, 6), closes=date(2026, 5, 18))


@pytest.mark.parametrize("visit, radiotherapy, target", [
    ("m3", date(2025, 11, 30), date(2026, 2, 28)),
    ("m6", date(2025, 8, 31), date(2026, 2, 28)),
    ("m6", date(2023, 8, 31), date(2024, 2, 29)),
    ("m12", date(2024, 2, 29), date(2025, 2, 28)),
    ("m9", date(2025, 5, 31), date(2026, 2, 28)),
])
def test_month_ends_clamp(visit, radiotherapy, target):
    assert visit_window(STEP.visit(visit), radiotherapy - timedelta(days=10), radiotherapy).target == target


# -- plans -------------------------------------------------------------------------------

def test_plan_across_the_spring_dst_change():
    plan = plan_messages(date(2026, 3, 26), date(2026, 4, 20), POLICY, PARIS)
    assert kinds_and_times(plan) == [
        ("invitation", utc(2026, 3, 26, 8, 0)),   # Thursday 09:00 CET
        ("reminder_1", utc(2026, 3, 30, 7, 0)),   # due Sunday 29 March (DST day): Monday 09:00 CEST
        ("reminder_2", utc(2026, 4, 2, 7, 0)),    # Thursday 09:00 CEST
        ("reminder_3", utc(2026, 4, 18, 7, 0)),   # Saturday, 2 days before closing
    ]
    assert {message.not_after_utc for message in plan} == {utc(2026, 4, 20, 17, 0)}


def test_plan_across_the_autumn_dst_change():
    plan = plan_messages(date(2026, 10, 24), date(2026, 11, 20), POLICY, PARIS)
    assert kinds_and_times(plan)[:3] == [
        ("invitation", utc(2026, 10, 24, 7, 0)),  # Saturday 09:00 CEST
        ("reminder_1", utc(2026, 10, 27, 8, 0)),  # Tuesday 09:00 CET
        ("reminder_2", utc(2026, 10, 31, 8, 0)),
    ]


def test_all_datetimes_are_naive_utc():
    plan = plan_messages(date(2026, 3, 26), date(2026, 4, 20), POLICY, PARIS)
    assert all(m.due_at_utc.tzinfo is None and m.not_after_utc.tzinfo is None for m in plan)


@pytest.mark.parametrize("holiday, shifted_to", [
    (date(2026, 5, 1), utc(2026, 5, 2, 7, 0)),     # Friday, Labour Day: Saturday is allowed
    (date(2026, 7, 14), utc(2026, 7, 15, 7, 0)),   # Tuesday, Bastille Day
    (date(2026, 5, 8), utc(2026, 5, 9, 7, 0)),     # Friday, Victory in Europe Day
])
def test_french_public_holidays_shift_to_the_next_day(holiday, shifted_to):
    closes = holiday + timedelta(days=28)
    plan = plan_messages(holiday, closes, POLICY, PARIS)
    assert plan[0] == PlannedMessage("invitation", shifted_to, datetime.combine(closes, time(17, 0)))


def test_holidays_apply_only_when_the_policy_names_a_country():
    plan = plan_messages(date(2026, 7, 14), date(2026, 8, 11), replace(POLICY, public_holidays=""), PARIS)
    assert plan[0].due_at_utc == utc(2026, 7, 14, 7, 0)


def test_reminders_are_numbered_by_due_time_and_never_after_closing():
    plan = plan_messages(date(2026, 6, 1), date(2026, 6, 5), POLICY, PARIS)
    assert kinds_and_times(plan) == [
        ("invitation", utc(2026, 6, 1, 7, 0)),
        ("reminder_1", utc(2026, 6, 3, 7, 0)),  # 2 days before closing comes first
        ("reminder_2", utc(2026, 6, 4, 7, 0)),  # +3 days; +7 days is after closing
    ]


def test_reminders_falling_on_the_same_day_are_sent_once():
    plan = plan_messages(date(2026, 6, 1), date(2026, 6, 10), POLICY, PARIS)
    assert [m.kind for m in plan] == ["invitation", "reminder_1", "reminder_2"]
    assert plan[2].due_at_utc == utc(2026, 6, 8, 7, 0)


def test_a_reminder_shifted_onto_another_is_sent_once():
    # +3 days is Sunday 7 June, shifted onto Monday 8 June, which is also 2 days before closing.
    plan = plan_messages(date(2026, 6, 4), date(2026, 6, 10), POLICY, PARIS)
    assert kinds_and_times(plan) == [("invitation", utc(2026, 6, 4, 7, 0)), ("reminder_1", utc(2026, 6, 8, 7, 0))]


def test_nothing_is_planned_when_the_window_has_no_sending_day():
    assert plan_messages(date(2026, 5, 3), date(2026, 5, 3), POLICY, PARIS) == []  # a Sunday


def test_a_message_shifted_past_the_close_is_dropped():
    plan = plan_messages(date(2026, 4, 30), date(2026, 5, 3), POLICY, PARIS)  # Thursday to Sunday
    assert all(m.due_at_utc <= m.not_after_utc for m in plan)
    assert kinds_and_times(plan) == [("invitation", utc(2026, 4, 30, 7, 0)), ("reminder_1", utc(2026, 5, 2, 7, 0))]


def test_without_invitation_the_first_reminder_is_reminder_1():
    plan = plan_messages(date(2026, 6, 1), date(2026, 6, 29), replace(POLICY, invitation=False), PARIS)
    assert plan[0] == PlannedMessage("reminder_1", utc(2026, 6, 4, 7, 0), utc(2026, 6, 29, 17, 0))


def test_a_late_plan_sends_one_catch_up_message_and_keeps_the_kinds():
    plan = plan_messages(date(2026, 6, 1), date(2026, 6, 29), POLICY, PARIS, now_utc=utc(2026, 6, 10, 12, 0))
    assert kinds_and_times(plan) == [("invitation", utc(2026, 6, 10, 12, 0)), ("reminder_3", utc(2026, 6, 27, 7, 0))]


def test_a_late_plan_computed_in_quiet_hours_waits_for_the_morning():
    plan = plan_messages(date(2026, 6, 1), date(2026, 6, 29), POLICY, PARIS, now_utc=utc(2026, 6, 10, 18, 0))
    assert plan[0] == PlannedMessage("invitation", utc(2026, 6, 11, 7, 0), utc(2026, 6, 29, 17, 0))


def test_a_plan_after_the_window_closed_is_empty():
    assert plan_messages(date(2026, 6, 1), date(2026, 6, 29), POLICY, PARIS, now_utc=utc(2026, 6, 29, 17, 1)) == []


# -- quiet hours -------------------------------------------------------------------------

def test_inside_the_send_hours_a_message_goes_at_once():
    assert next_allowed_send_time(utc(2026, 6, 10, 12, 34, 56), POLICY, PARIS) == utc(2026, 6, 10, 12, 34, 56)


def test_before_the_send_hours_it_waits_until_they_open():
    assert next_allowed_send_time(utc(2026, 6, 10, 5, 0), POLICY, PARIS) == utc(2026, 6, 10, 7, 0)


def test_after_the_send_hours_it_waits_for_the_next_allowed_day():
    # Saturday 24 October 19:30 CEST; Sunday is the DST change and a no-send day.
    assert next_allowed_send_time(utc(2026, 10, 24, 17, 30), POLICY, PARIS) == utc(2026, 10, 26, 8, 0)


def test_send_until_is_exclusive():
    assert next_allowed_send_time(utc(2026, 6, 10, 17, 0), POLICY, PARIS) == utc(2026, 6, 11, 7, 0)


@pytest.mark.parametrize("sunday, expected", [
    (date(2026, 3, 29), utc(2026, 3, 29, 7, 0)),    # already CEST at 09:00
    (date(2026, 10, 25), utc(2026, 10, 25, 8, 0)),  # already CET at 09:00
])
def test_send_hours_on_the_dst_change_days(sunday, expected):
    every_day = replace(POLICY, no_send_weekdays=())
    assert next_allowed_send_time(datetime.combine(sunday, time(0, 0)), every_day, PARIS) == expected


def test_no_time_past_not_after():
    not_after = utc(2026, 5, 3, 17, 0)  # Sunday evening
    assert next_allowed_send_time(utc(2026, 5, 2, 17, 30), POLICY, PARIS, not_after) is None
    assert next_allowed_send_time(utc(2026, 5, 2, 16, 0), POLICY, PARIS, not_after) == utc(2026, 5, 2, 16, 0)


def test_a_policy_that_never_sends_finds_no_time():
    never = replace(POLICY, no_send_weekdays=tuple(range(7)))
    assert next_allowed_send_time(utc(2026, 6, 10, 12, 0), never, PARIS) is None


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)),
       st.sampled_from([PARIS, "America/Cayenne", "Indian/Reunion", "Pacific/Noumea"]))
def test_next_allowed_time_is_always_inside_the_local_send_hours(after, tz):
    found = next_allowed_send_time(after, POLICY, tz)
    local = found.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz))
    assert found >= after and found.tzinfo is None
    assert POLICY.send_from <= local.time() < POLICY.send_until
    assert local.weekday() != 6 and local.date() not in FRENCH_HOLIDAYS
    assert found == after or local.time() == POLICY.send_from
