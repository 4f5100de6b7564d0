"""The database:// rate-limit store is shared by every worker: two apps on one database count together."""
import pytest

from pro_app.extensions import db, limiter
from pro_app.ratelimit.models import RateLimitCounter
from pro_app.ratelimit.storage import DatabaseStorage
from tests.integrity.apps import build_app, dispose, fresh_database_url

KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
LIMIT = 5


@limiter.limit(f"{LIMIT} per minute")
def guarded():
    return "ok"


def _worker(url, tmp_path, **settings):
    # Development turns rate limits on; two apps on one database stand for two workers.
    app = build_app(url, tmp_path, PRO_APP_ENV="development", RATE_LIMIT_STORAGE_URI="database://", **settings)
    app.add_url_rule("/guarded", view_func=guarded)
    return app


@pytest.mark.parametrize("kind", KINDS)
def test_two_workers_share_the_login_limit(kind, tmp_path, limiter_restored):
    with fresh_database_url(kind, tmp_path) as url:
        workers = [_worker(url, tmp_path) for _ in range(2)]
        try:
            statuses = [workers[n % 2].test_client().get("/guarded").status_code for n in range(LIMIT + 2)]
            assert statuses == [200] * LIMIT + [429, 429]
            with workers[0].app_context():
                keys = db.session.scalars(db.select(RateLimitCounter.key)).all()
            assert keys and all("127.0.0.1" not in key for key in keys)  # only digests are stored
        finally:
            for app in workers:
                dispose(app)


def test_counts_restart_when_the_window_has_ended(app, monkeypatch):
    store, now = DatabaseStorage(), [1000.0]
    monkeypatch.setattr("pro_app.ratelimit.storage.time.time", lambda: now[0])
    assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert store.get("k") == 3 and store.get_expiry("k") == 1060.0
    now[0] = 1060.0
    assert store.get("k") == 0
    assert store.incr("k", 60, amount=2) == 2 and store.get_expiry("k") == 1120.0
    store.clear("k")
    assert store.get("k") == 0 and store.check()
    store.incr("a", 60), store.incr("b", 60)
    assert store.reset() == 2


def test_the_429_page_is_kind_and_translated(tmp_path, limiter_restored):
    app = _worker(f"sqlite:///{tmp_path / 'kind.sqlite3'}", tmp_path)
    try:
        client = app.test_client()
        for _ in range(LIMIT):
            client.get("/guarded")
        response = client.get("/guarded?lang=fr")
        body = response.get_data(as_text=True)
        assert response.status_code == 429 and "Retry-After" in response.headers
        assert "Trop de tentatives" in body and "per 1 minute" not in body
    finally:
        dispose(app)



def _statuses(app, forwarded_for: list[str]) -> list[int]:
    client = app.test_client()
    return [client.get("/guarded", headers={"X-Forwarded-For": address}).status_code for address in forwarded_for]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path, limiter_restored):
    app = _worker(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", tmp_path, TRUSTED_PROXY_COUNT="1")
    try:
        one, two = "203.0.113.1", "203.0.113.2"
        assert _statuses(app, [one] * (LIMIT + 1) + [two]) == [200] * LIMIT + [429, 200]
    finally:
        dispose(app)


def test_without_trusted_proxies_a_forged_address_changes_nothing(tmp_path, limiter_restored):
    app = _worker(f"sqlite:///{tmp_path / 'direct.sqlite3'}", tmp_path)
    try:
        forged = [f"198.51.100.{n}" for n in range(LIMIT + 1)]
        assert _statuses(app, forged) == [200] * LIMIT + [429]
    finally:
        dispose(app)
