"""Benchmark of the SMS dispatcher: due messages sent to the fake Twilio API on 127.0.0.1.

Run with `python bench/dispatch.py [MESSAGES]` (PostgreSQL on 127.0.0.1:5432, user postgres).
Each run seeds a throwaway database with due messages, starts N real `flask reminders dispatch
--once` processes (claims with FOR UPDATE SKIP LOCKED, the real twilio library), then checks
every outbox row against what the fake API accepted: duplicates and losses must both be 0.
"Send rate" runs from the first to the last message the API accepted (process start-up
excluded); "wall" includes starting the processes. On a shared host the rate depends on what
else runs, so the CPU time per message is printed too: dispatchers (their start-up, measured on
an empty outbox, subtracted) and the fake API, which together bound the rate on an idle host.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from pro_app import create_app  # noqa: E402
from pro_app.extensions import db  # noqa: E402
from pro_app.messaging.models import OutboundMessage  # noqa: E402
from pro_app.questionnaires.links import token_hash  # noqa: E402
from tests.fake_twilio import FakeTwilio  # noqa: E402
from tests.messaging.outbox_seed import always_open_protocol, seed_due_messages  # noqa: E402
from tests.support.databases import throwaway_postgres_url  # noqa: E402

MESSAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
RATE_LIMIT, RATE_MESSAGES = 20, 400


class TimedFake(FakeTwilio):
    """The fake API, also noting when (time.monotonic) it accepted each message."""

    def __init__(self):
        super().__init__()
        self.accepted_at: list[float] = []
        self._times_lock = threading.Lock()

    def _accept(self, form):
        message = super()._accept(form)
        with self._times_lock:
            self.accepted_at.append(time.monotonic())
        return message


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def dispatch(env: dict, fake: FakeTwilio, processes: int) -> float:
    full = {**os.environ, **env, "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": fake.account_sid,
            "TWILIO_AUTH_TOKEN": fake.auth_token, "TWILIO_FROM": "CHU-INFO", "TWILIO_API_BASE_URL": fake.base_url}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "dispatch", "--once"]
    started = time.monotonic()
    running = [subprocess.Popen(command, cwd=REPO, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for _ in range(processes)]
    for process in running:
        _, err = process.communicate(timeout=1800)
        if process.returncode:
            raise SystemExit(f"dispatcher failed:\n{err.decode()[-3000:]}")
    return time.monotonic() - started


def check(fake: TimedFake) -> tuple[int, int]:
    """(duplicates, losses): extra sends of a row, and rows never accepted by the API."""
    rows = {row.link_hash: row for row in db.session.scalars(db.select(OutboundMessage))}
    sends = Counter(token_hash(m.body.rsplit("/q/", 1)[1]) for m in fake.messages)
    duplicates = sum(count - 1 for count in sends.values()) + sum(n for h, n in sends.items() if h not in rows)
    losses = sum(1 for row in rows.values() if row.status != "sent" or sends.get(row.link_hash) != 1)
    return duplicates, losses + (len(db.session.scalars(db.select(OutboundMessage.id)).all()) - len(rows))


def max_in_one_second(times: list[float]) -> int:
    times, best, start = sorted(times), 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def run(label: str, url: str, tmp: Path, messages: int, processes: int, rate: float = 0) -> None:
    env = {"PRO_APP_ENV": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp / "instance"),
           "PUBLIC_BASE_URL": "https://pro.example.org",
           "STUDY_PROTOCOL_FILE": str(always_open_protocol(tmp / f"protocol-{rate}.yaml", rate))}
    app = create_app(env)
    with app.app_context():
        db.create_all()
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()
        with TimedFake() as fake:
            before = children_cpu()
            dispatch(env, fake, 1)
            start_up = children_cpu() - before
            seed_due_messages(messages, app.extensions["pro_app.protocol"])
            before, fake_before = children_cpu(), time.process_time()
            wall = dispatch(env, fake, processes)
            dispatcher_cpu = (children_cpu() - before - processes * start_up) / messages * 1000
            fake_cpu = (time.process_time() - fake_before) / messages * 1000
            times = list(fake.accepted_at)
            duplicates, losses = check(fake)
        db.session.remove()
        db.engine.dispose()
    span = max(times) - min(times) if len(times) > 1 else float("nan")
    line = (f"{label:<34} {messages:>6} msgs  {processes} proc  send rate {(len(times) - 1) / span:8.1f} msg/s  "
            f"wall {wall:6.1f} s  duplicates {duplicates}  losses {losses}  "
            f"CPU/msg: dispatchers {dispatcher_cpu:.2f} ms, fake API {fake_cpu:.2f} ms")
    if rate:
        line += f"  limit {rate:g}/s, max in any 1 s window {max_in_one_second(times)}"
    print(line, flush=True)


def main() -> None:
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp, throwaway_postgres_url(on_unavailable=SystemExit) as url:
        run("1 dispatcher, no rate limit", url, Path(tmp), MESSAGES, 1)
        run("4 dispatchers, no rate limit", url, Path(tmp), MESSAGES, 4)
        run("4 dispatchers, rate limit", url, Path(tmp), RATE_MESSAGES, 4, rate=RATE_LIMIT)


if __name__ == "__main__":
    main()
