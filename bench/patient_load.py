"""Load benchmark: N virtual patients complete the QLQ-C30 at once against gunicorn + PostgreSQL.

    python bench/patient_load.py [--patients 100] [--workers 5] [--threads 4] [--think-ms 3000]

Creates a throwaway PostgreSQL database (PRO_APP_BENCH_PG_ADMIN, default the local server as
user postgres), fills it with patients and their links, serves the app with gunicorn on
127.0.0.1, and lets N threads each walk a whole questionnaire over HTTP (welcome, start, nine
pages, review, submit, thank-you: 23 requests), twice:

- flat out, with no pause between requests: the throughput. Then, at the same concurrency, three
  times as many requests (these runs are short, and a short run varies a lot) go to the app's own
  /healthz (one SELECT 1 per request through the whole app) and to a bare Flask "hello" app under
  the same gunicorn settings; the ratio of requests/s is the throughput goal. For scale, a bare
  Flask + SQLAlchemy app that only reads one row and inserts one per request (the floor of any
  request that saves an answer on this stack) runs the same load;
- as patients do, reading each screen for --think-ms on average (uniform, ±50%): the latency
  that 100 patients answering at the same time see. With no pause, N clients keep N requests in
  flight, so latency is N / throughput by Little's law (the bare app itself has a p95 near
  100 ms that way); a latency goal only means something with people's pace.

Prints requests/s, p50/p95/p99 latency, errors and CPU time per request (gunicorn, PostgreSQL,
this client) of each run, then checks the database (every questionnaire submitted and scored
once) and the access log (no token), and prints a verdict per goal, then the floor's ratios and
each app's CPU per request as a multiple of hello's, for scale. A first round of
2 x workers x threads patients warms the workers up and is not counted.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pro_app.instruments.qlq_c30 import PAGES

ADMIN_URL = os.environ.get("PRO_APP_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
GOALS = {"p95_ms": 150.0, "ratio": 0.25}
HELLO_APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef hello():\n    return "hello"\n'
# The least that any request saving an answer does on this stack (Flask, SQLAlchemy, psycopg,
# PostgreSQL): read one row, insert one, commit. No page, no audit, no checks: a floor, not an app.
FLOOR_APP = """import os

from flask import Flask
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["FLOOR_DATABASE_URL"], pool_size=5)


@app.get("/")
def save_one_answer():
    with engine.begin() as connection:
        connection.execute(text("SELECT value FROM floor_answer WHERE id = 1")).scalar()
        connection.execute(text("INSERT INTO floor_answer (value) VALUES (2)"))
    return "saved"
"""
PAGE_KEY = re.compile(r'name="page_key" value="([0-9a-f]+)"')
SHORT_RUN_FACTOR = 3


# ---- the servers -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(target: str, port: int, chdir: Path, environment: dict, logs: Path, workers: int, threads: int,
             probe: str = "/"):
    """The same gunicorn settings for both apps; stopped (by its own process id) on exit."""
    command = [sys.executable, "-m", "gunicorn", target, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", "gthread", "--threads", str(threads), "--chdir", str(chdir),
               "--access-logfile", str(logs / f"access-{port}.log")]
    with open(logs / f"gunicorn-{port}.err", "w") as errors:
        process = subprocess.Popen(command, env={**os.environ, **environment}, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        try:
            _wait_until_serving(port, process, probe)
            yield logs / f"access-{port}.log"
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_serving(port: int, process: subprocess.Popen, probe: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", probe)
            connection.getresponse().read()
            connection.close()
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start within 60 s")


# ---- the virtual patients ----------------------------------------------------------------------

@dataclass
class Result:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_kind: dict = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def cpu_per_request(self) -> float:
        return sum(self.cpu_seconds.values()) / self.requests

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentiles_ms(self) -> tuple[float, float, float]:
        ordered = sorted(self.latencies)
        pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000
        return pick(0.50), pick(0.95), pick(0.99)


class Browser:
    """One patient's phone: one keep-alive connection, every request timed."""

    def __init__(self, port: int, result: Result, lock: threading.Lock, think_ms: float):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.result, self.lock, self.think = result, lock, think_ms / 1000

    def send(self, method: str, path: str, expected: int, body: str | None = None) -> str:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        started = time.perf_counter()
        try:
            text, status, location = self._exchange(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            text, status, location = "", repr(error), None
        with self.lock:
            elapsed = time.perf_counter() - started
            self.result.latencies.append(elapsed)
            kind = f"{method} {'page' if '/page/' in path else path.rsplit('/', 1)[-1] if path.count('/') > 2 else 'link'}"
            self.result.by_kind.setdefault(kind, []).append(elapsed)
            if status != expected:
                self.result.errors += 1
                self.result.error_samples.append(f"{method} {re.sub('/q/[^/]+', '/q/<token>', path)}: {status}")
        if self.think:
            time.sleep(self.think * random.uniform(0.5, 1.5))
        return urlsplit(location).path if location else text


    def _exchange(self, method: str, path: str, body: str | None, headers: dict):
        # Like a browser: a kept-alive connection the server closed while idle is reopened once.
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.read().decode(), response.status, response.getheader("Location")
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise


def patient_flow(token: str):
    def walk(browser: Browser) -> None:
        base = f"/q/{token}"
        browser.send("GET", base, 200)
        page_path = browser.send("POST", f"{base}/start", 303, "")
        for number, items in enumerate(PAGES, start=1):
            match = PAGE_KEY.search(browser.send("GET", page_path, 200))
            answers = "&".join(f"q{item}={2 if item < 29 else 5}" for item in items)
            body = f"page_key={match.group(1) if match else ''}&action=next&{answers}"
            page_path = browser.send("POST", f"{base}/page/{number}", 303, body)
        browser.send("GET", page_path, 200)
        browser.send("GET", browser.send("POST", f"{base}/submit", 303, ""), 200)
    return walk


def repeat_flow(requests: int, path: str = "/"):
    def walk(browser: Browser) -> None:
        for _ in range(requests):
            browser.send("GET", path, 200)
    return walk


def run_load(port: int, flows: list, think_ms: float) -> Result:
    """Every flow in its own thread, all released at once; wall time from release to the last."""
    result, lock = Result(), threading.Lock()
    barrier = threading.Barrier(len(flows) + 1)

    def user(flow):
        browser = Browser(port, result, lock, think_ms)
        barrier.wait()
        time.sleep(random.uniform(0, think_ms / 1000))  # with pauses, patients do not arrive in lockstep
        flow(browser)
        browser.connection.close()

    threads = [threading.Thread(target=user, args=(flow,)) for flow in flows]
    for thread in threads:
        thread.start()
    barrier.wait()
    started, cpu_before = time.perf_counter(), cpu_seconds()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = {name: spent - cpu_before.get(name, 0.0) for name, spent in cpu_seconds().items()}
    return result


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by the gunicorn processes, PostgreSQL's processes and this client
    (Linux /proc; empty elsewhere). Where a request's CPU goes tells what to make cheaper."""
    spent = {"client": sum(os.times()[:2])}
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            name, fields = stat.read_text().rsplit(")", 1)
            kind = "PostgreSQL" if name.endswith("(postgres") else "gunicorn" if _is_gunicorn(stat.parent) else None
            if kind:
                utime, stime = fields.split()[11:13]
                spent[kind] = spent.get(kind, 0.0) + (int(utime) + int(stime)) / ticks
    return spent


def _is_gunicorn(process: Path) -> bool:
    with contextlib.suppress(OSError):
        return b"gunicorn" in (process / "cmdline").read_bytes()
    return False


# ---- the run -----------------------------------------------------------------------------------


def app_environment(database_url: str, port: int, instance: Path) -> dict:
    from cryptography.fernet import Fernet
    return {"PRO_APP_ENV": "production", "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(32),
            # Production requires https for the links; the benchmark's clients speak plain HTTP to
            # gunicorn directly and send no cookie, so the scheme changes nothing they measure.
            "PHONE_ENCRYPTION_KEY": Fernet.generate_key().decode(), "PUBLIC_BASE_URL": f"https://127.0.0.1:{port}",
            "INSTANCE_PATH": str(instance), "SMS_BACKEND": "console", "RATE_LIMIT_STORAGE_URI": "database://",
            "AUDIT_KEY": "bench:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}


def seed(environment: dict, count: int) -> list[str]:
    """Create the tables, N patients spread over the sites, and one fresh link each."""
    from datetime import date, timedelta

    from pro_app import create_app
    from pro_app.extensions import db
    from pro_app.patients.services import Registration, register_patient
    from pro_app.questionnaires.links import issue_link
    from pro_app.questionnaires.packs import ensure_demo_packs
    from pro_app.study.models import Site
    from pro_app.study.services import sync_study

    app = create_app(environment)
    with app.app_context():
        db.create_all()
        protocol = app.extensions["pro_app.protocol"]
        sync_study(protocol)
        ensure_demo_packs()
        sites = list(db.session.scalars(db.select(Site).order_by(Site.code)))
        tokens, today = [], date.today()
        for index in range(count):
            site = sites[index % len(sites)]
            code = f"STEP-{site.code}-{index // len(sites) + 1:03d}"
            patient = register_patient(Registration(code, site, "fr", None, today - timedelta(days=1),
                                                    today + timedelta(days=10)), protocol)
            tokens.append(issue_link(patient.visits[0].administration("qlq_c30")))
        db.session.commit()
        db.engine.dispose()
    return tokens


def verify(database_url: str, warmup: int) -> tuple[int, int]:
    with psycopg.connect(database_url) as conn:
        submitted = conn.execute("SELECT count(*) FROM administration WHERE instrument = 'qlq_c30' "
                                 "AND status = 'submitted'").fetchone()[0]
        scorings = conn.execute("SELECT count(*) FROM audit_entry WHERE action = 'score'").fetchone()[0]
    return submitted - warmup, scorings - warmup


def report(name: str, result: Result) -> None:
    p50, p95, p99 = result.percentiles_ms()
    print(f"{name:<16} {result.requests:>6} requests in {result.seconds:6.2f} s  {result.rate:8.1f} req/s  "
          f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  errors {result.errors}")
    if len(result.by_kind) > 1:
        print(" " * 17 + "median by request: " + ", ".join(
            f"{kind} {sorted(values)[len(values) // 2] * 1000:.0f} ms" for kind, values in result.by_kind.items()))
    if result.cpu_seconds:
        print(" " * 17 + "CPU per request: " + ", ".join(
            f"{name} {seconds * 1000 / result.requests:.2f} ms" for name, seconds in result.cpu_seconds.items()))
    for sample in result.error_samples[:3]:
        print(f"{'':<16} error: {sample}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think-ms", type=float, default=3000.0,
                        help="mean pause of a patient between two requests in the paced run (uniform ±50%%; "
                             "first request within one pause of the start)")
    args = parser.parse_args()
    name = f"pro_app_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    database_url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        return run(args, database_url)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, database_url: str) -> int:
    settings = {"workers": args.workers, "threads": args.threads}
    print(f"{args.patients} patients at once, gunicorn gthread {args.workers} workers x {args.threads} threads, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        port = free_port()
        environment = app_environment(database_url, port, scratch / "instance")
        warmup = 2 * args.workers * args.threads  # first requests of a worker compile templates, load catalogs
        tokens = seed(environment, 2 * args.patients + warmup)
        flat_tokens, paced_tokens = tokens[:args.patients], tokens[args.patients:2 * args.patients]
        with gunicorn("wsgi:app", port, ROOT, environment, scratch, probe="/healthz", **settings) as access_log:
            run_load(port, [patient_flow(token) for token in tokens[2 * args.patients:]], 0)
            flat = run_load(port, [patient_flow(token) for token in flat_tokens], 0)
            # The cheap runs take three times the requests: a run of a second or two varies too much.
            per_patient = SHORT_RUN_FACTOR * flat.requests // len(flat_tokens)
            healthz = run_load(port, [repeat_flow(per_patient, "/healthz")] * args.patients, 0)
            paced = run_load(port, [patient_flow(token) for token in paced_tokens], args.think_ms)
        load = dict(scratch=scratch, settings=settings, per_patient=per_patient, patients=args.patients,
                    warmup=warmup)
        hello = run_bare_app("bench_hello", HELLO_APP, {}, **load)
        create_floor_table(database_url)
        floor_url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        floor = run_bare_app("bench_floor", FLOOR_APP, {"FLOOR_DATABASE_URL": floor_url}, **load)
        leaks = sum(access_log.read_text().count(token) for token in tokens)
    print("flat out (no pause between requests):")
    report("pro_app patients", flat)
    report("pro_app /healthz", healthz)
    report("bare Flask hello", hello)
    report("bare save floor", floor)
    print(f"as patients do (a {args.think_ms / 1000:g} s pause on average between requests):")
    report("pro_app patients", paced)
    return judge(args, database_url, flat, hello, floor, paced, leaks)


def run_bare_app(module: str, source: str, environment: dict, scratch: Path, settings: dict, per_patient: int,
                 patients: int, warmup: int) -> Result:
    """One of the comparison apps under the same gunicorn settings, warmed up, then the same load."""
    (scratch / f"{module}.py").write_text(source)
    port = free_port()
    with gunicorn(f"{module}:app", port, scratch, environment, scratch, **settings):
        run_load(port, [repeat_flow(per_patient)] * warmup, 0)
        return run_load(port, [repeat_flow(per_patient)] * patients, 0)


def create_floor_table(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_answer (id serial PRIMARY KEY, value integer NOT NULL)")
        conn.execute("INSERT INTO floor_answer (value) VALUES (1)")


def judge(args, database_url: str, flat: Result, hello: Result, floor: Result, paced: Result, leaks: int) -> int:
    ratio, p95, errors = flat.rate / hello.rate, paced.percentiles_ms()[1], flat.errors + paced.errors
    submitted, scorings = verify(database_url, 2 * args.workers * args.threads)
    goals = {
        f"errors {errors} (goal 0)": errors == 0,
        f"p95 of patients at their pace {p95:.1f} ms (goal < {GOALS['p95_ms']:g} ms)": p95 < GOALS["p95_ms"],
        f"submitted {submitted}/{2 * args.patients}, scored {scorings} time(s) (warm-up patients excluded)":
            submitted == scorings == 2 * args.patients,
        f"tokens in the access log: {leaks} (goal 0)": leaks == 0,
        f"throughput pro_app / hello {ratio:.2f} (goal >= {GOALS['ratio']})": ratio >= GOALS["ratio"],
    }
    for goal, met in goals.items():
        print(f"{'met    ' if met else 'NOT met'}  {goal}")
    print(f"for scale: bare save floor / hello {floor.rate / hello.rate:.2f}, "
          f"pro_app / bare save floor {flat.rate / floor.rate:.2f}")
    if hello.cpu_seconds:
        # The two cores are the limit, so throughput follows CPU per request, which varies less.
        times_hello = lambda result: result.cpu_per_request / hello.cpu_per_request
        print(f"CPU per request (all processes) as a multiple of hello's: bare save floor {times_hello(floor):.1f}x, "
              f"pro_app {times_hello(flat):.1f}x (a quarter of hello's throughput allows about {1 / GOALS['ratio']:g}x)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other processes on this machine skew the figures)")
    ok = all(goals.values())
    print("all goals met" if ok else "some goals NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
