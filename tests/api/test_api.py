"""The read-only API: authentication, scope, paging, errors, audit, rate limit."""
import dataclasses
import json

import pytest

import pro_app
from pro_app.audit.models import AuditEntry
from pro_app.exports.queries import Scope
from pro_app.exports.tables import build_tables
from pro_app.extensions import db, limiter
from pro_app.staff.models import StaffUser
from tests.exports.study import PHONES


def _all_pages(client, headers, table, limit, **params):
    rows, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"/api/v1/tables/{table}", headers=headers, query_string=query)
        assert response.status_code == 200, response.json
        rows += response.json["rows"]
        cursor, pages = response.json["next_cursor"], pages + 1
        if cursor is None:
            return rows, pages


def _expected(app, table, site_id=None):
    frame = build_tables(app.extensions["pro_app.protocol"], Scope(site_id), (table,))[table].frame
    return frame["study_code"].astype(str).tolist(), len(frame)


@pytest.mark.parametrize("limit,tables", [(1, ("patients", "messages")), (7, ("items", "visits", "patients")),
                                          (1000, ("items", "scores", "visits", "patients", "messages"))])
def test_pages_cover_every_row_once_in_export_order(app, study, client, bearer, limit, tables):
    for table in tables:
        rows, pages = _all_pages(client, bearer, table, limit)
        codes, count = _expected(app, table)
        assert len(rows) == count and [row["study_code"] for row in rows] == codes
        assert pages >= count // limit
    rows, _ = _all_pages(client, bearer, "items", limit)
    keys = [(r["study_code"], r["visit_num"], r["instrument"], r["item_code"]) for r in rows]
    assert len(set(keys)) == len(keys)
    skipped = next(r for r in rows if r["study_code"] == "STEP-01-001" and r["visit_code"] == "m3"
                   and r["item_code"] == "q1")
    assert skipped["state"] == "skipped" and skipped["value"] is None


def test_json_values_are_typed_and_dated(app, study, client, bearer):
    visits = client.get("/api/v1/tables/visits", headers=bearer).json["rows"]
    baseline = next(r for r in visits if r["study_code"] == "STEP-01-001" and r["visit_code"] == "baseline"
                    and r["instrument"] == "qlq_c30")
    assert baseline["target_date"] == "2024-01-08" and baseline["days_from_radiotherapy"] == -7
    message = client.get("/api/v1/tables/messages", headers=bearer).json["rows"][0]
    assert message["sent_at"] == "2024-01-08T08:00:05Z" and "body" not in message
    assert not any(phone in json.dumps(message) for phone in PHONES)


def test_without_a_valid_token_the_answer_is_401_json(app, study, client):
    for headers in ({}, {"Authorization": "Bearer proapi_not-a-token"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/tables/items", headers=headers)
        assert response.status_code == 401 and response.is_json and "error" in response.json
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_account_or_a_role_change_ends_access(app, study, client, token_for):
    user, token = token_for("data_manager")
    headers = {"Authorization": f"Bearer {token}"}
    db.session.get(StaffUser, user.id).role = "admin"
    db.session.commit()
    response = client.get("/api/v1/tables/items", headers=headers)
    assert response.status_code == 403 and response.json["error"] == (
        "role admin: only data managers and investigators may read the API")
    account = db.session.get(StaffUser, user.id)
    account.role, account.is_active_account = "data_manager", False
    db.session.commit()
    assert client.get("/api/v1/tables/items", headers=headers).status_code == 401


def test_an_investigator_reads_only_their_site(app, study, client, token_for):
    _, token = token_for("investigator", "01")
    headers = {"Authorization": f"Bearer {token}"}
    rows, _ = _all_pages(client, headers, "items", 1000)
    assert {row["study_code"] for row in rows} == {"STEP-01-001", "STEP-01-002"}
    assert client.get("/api/v1/tables/items?site=01", headers=headers).status_code == 200
    refused = client.get("/api/v1/tables/items?site=02", headers=headers)
    assert refused.status_code == 403 and refused.json["error"] == "site: this token reads site 01 only"


def test_a_data_manager_may_narrow_to_one_site(app, study, client, bearer):
    rows, _ = _all_pages(client, bearer, "patients", 1000, site="02")
    assert [row["study_code"] for row in rows] == ["STEP-02-001"]


@pytest.mark.parametrize("query,message", [
    ("limit=0", "limit: must be a whole number from 1 to 5000, got '0'"),
    ("limit=5001", "limit: must be a whole number from 1 to 5000, got '5001'"),
    ("limit=ten", "limit: must be a whole number from 1 to 5000, got 'ten'"),
    ("cursor=%25%25%25", "cursor: not a cursor this API returned; start again without one"),
    ("cursor=eyJhZnRlciI6MX0", "cursor: not a cursor this API returned; start again without one"),
    ("site=99", "site: no site with code '99'"),
])
def test_bad_parameters_get_a_precise_400(app, study, client, bearer, query, message):
    response = client.get(f"/api/v1/tables/items?{query}", headers=bearer)
    assert response.status_code == 400 and response.json == {"error": message}


def test_unknown_tables_and_methods_are_json_errors(app, study, client, bearer):
    missing = client.get("/api/v1/tables/names", headers=bearer)
    assert missing.status_code == 404 and "patients" in missing.json["error"]
    posted = client.post("/api/v1/tables/items", headers=bearer)
    assert posted.status_code == 405 and posted.is_json


def test_every_pull_is_audited(app, study, client, token_for):
    user, token = token_for()
    client.get("/api/v1/tables/scores?limit=5&site=01", headers={"Authorization": f"Bearer {token}"})
    db.session.expire_all()
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="api_pull"))
    assert (entry.actor_type, entry.actor_id, entry.entity_id) == ("staff", user.id, "scores")
    assert json.loads(entry.new_value) == {"site": "01", "rows": 5, "after": None, "skip": 0}


def test_the_openapi_document_describes_every_table(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.0")
    assert set(spec["paths"]) == {"/api/v1/tables"} | {f"/api/v1/tables/{t}" for t in
                                                        ("patients", "visits", "messages", "items", "scores")}
    row = spec["components"]["schemas"]["items_row"]
    assert row["properties"]["state"]["enum"] == ["answered", "skipped", "not_administrable", None]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


@pytest.fixture
def rate_limited_client(app, monkeypatch, app_overrides):
    """A second app on the same database with rate limits on (off in tests by default)."""
    real_load = pro_app.load_settings
    saved = dict(vars(limiter))
    monkeypatch.setattr(pro_app, "load_settings",
                        lambda *a, **k: dataclasses.replace(real_load(*a, **k), extra={"rate_limits": True}))
    limited = pro_app.create_app(app_overrides)
    limited.test_client_class = app.test_client_class
    limiter.reset()
    yield limited.test_client()
    limiter.reset()
    vars(limiter).clear()
    vars(limiter).update(saved)
    with limited.app_context():
        db.engine.dispose()


def test_pulls_are_rate_limited_per_token(rate_limited_client, study, token_for):
    _, token = token_for()
    headers = {"Authorization": f"Bearer {token}"}
    codes = [rate_limited_client.get("/api/v1/tables?x=%d" % n, headers=headers).status_code for n in range(121)]
    assert codes[:120] == [200] * 120 and codes[120] == 429
    limited = rate_limited_client.get("/api/v1/tables", headers=headers)
    assert limited.status_code == 429 and limited.is_json
    _, other = token_for()
    assert rate_limited_client.get("/api/v1/tables", headers={"Authorization": f"Bearer {other}"}).status_code == 200
