"""The sending rate (reminders.messages_per_second) holds, across dispatcher processes too."""
import time
from dataclasses import replace

from pro_app.extensions import db
from pro_app.messaging.dispatcher import Dispatcher
from pro_app.messaging.models import OutboundMessage
from pro_app.messaging.throttle import Throttle
from tests.messaging.outbox_seed import seed_due_messages


class FakeTime:
    def __init__(self, start: float):
        self.now = start
        self.slept = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_two_dispatchers_share_one_sequence_of_slots(app):
    shared = FakeTime(1_000.0)
    first = Throttle(4, clock=shared.clock, sleep=shared.sleep)
    second = Throttle(4, clock=shared.clock, sleep=shared.sleep)
    for throttle in (first, second, first, second, first):
        throttle.wait_for_slot()
    # Slots are 0.25 s apart whoever takes them: 1000.0 (at once), then 1000.25, 1000.5, 1000.75, 1001.0.
    assert shared.slept == [0.25, 0.25, 0.25, 0.25] and shared.now == 1_001.0


def test_a_late_waker_gives_its_slot_up(app):
    shared = FakeTime(2_000.0)
    Throttle(10, clock=shared.clock, sleep=shared.sleep).wait_for_slot()  # another process takes 2000.0
    oversleeping = Throttle(10, clock=shared.clock, sleep=lambda s: setattr(shared, "now", shared.now + s + 0.3))
    oversleeping.wait_for_slot()  # its slot was 2000.1; it woke at 2000.4, and takes the slot free then
    second = Throttle(10, clock=shared.clock, sleep=shared.sleep)
    second.wait_for_slot()
    assert (round(shared.now, 6), shared.slept) == (2_000.5, [0.1])


def test_no_limit_means_no_database_round_trip(app):
    throttle = Throttle(0, clock=lambda: 0.0, sleep=lambda s: (_ for _ in ()).throw(AssertionError("slept")))
    throttle.wait_for_slot()
    assert not throttle.limited


class Timed:
    """A backend that notes when each send starts."""

    def __init__(self, backend):
        self.backend, self.starts = backend, []

    def send(self, sms):
        self.starts.append(time.monotonic())
        return self.backend.send(sms)

    def find_sent_matching(self, *args):
        return self.backend.find_sent_matching(*args)


def test_a_dispatcher_holds_the_configured_rate(app, monkeypatch, always_open, twilio, fake):
    rate, count = 20, 30
    monkeypatch.setitem(app.extensions, "pro_app.protocol",
                        replace(always_open, reminders=replace(always_open.reminders, messages_per_second=rate)))
    seed_due_messages(count, always_open)
    timed = Timed(twilio)
    report = Dispatcher(timed).run_pass()
    assert report["sent"] == count and len(fake.messages) == count
    starts = timed.starts
    assert starts[-1] - starts[0] >= (count - 1.5) / rate
    assert max(sum(1 for t in starts if s <= t < s + 1) for s in starts) <= rate + 1
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboundMessage).filter_by(status="sent")) == count
