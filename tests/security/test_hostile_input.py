"""Random and malicious bodies on every POST route: never a 500, and a refusal changes nothing.

Routes are discovered from the URL map, so a route added later is covered without editing this
file. Rejections that are recorded on purpose are listed with their reason.
"""
import dataclasses
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pro_app.extensions import db
from tests.security.conftest import PUBLIC_BASE_URL

from twilio.request_validator import RequestValidator

from .hostile import GARBAGE_INTS, XSS, bodies, encode, fingerprint, values

AUDITED_REJECTIONS = {"staff.login": "a failed sign-in is audited and counts towards the lockout"}
# Bounded so that the whole module stays well under a minute.
BUDGET = settings(max_examples=100, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.data_too_large])
SMALL_BUDGET = settings(BUDGET, max_examples=40)


def _post(world, target, values, encoding, pairs, csrf_mode):
    role = target.role
    csrf = {"valid": world.csrf(role),
            "forged": "IjAwMDAi.forged.signature", "missing": None}[csrf_mode]
    path = world.path(target.endpoint, values)
    before = fingerprint(db.engine, db.metadata)
    response = world.clients[role].post(path, **encode(encoding, pairs, csrf))
    body = response.get_data(as_text=True)
    response.close()
    where = f"{target.endpoint} {path} as {role}, {encoding}, csrf {csrf_mode}: {pairs[:4]}"
    assert response.status_code < 500, where
    if response.mimetype == "text/html":
        assert XSS not in body, f"reflected markup on {where}"
    if response.status_code >= 400 and target.endpoint not in AUDITED_REJECTIONS:
        assert fingerprint(db.engine, db.metadata) == before, f"a refused request changed data: {where}"
    return response.status_code


@BUDGET
@given(data=st.data())
def test_random_bodies_on_every_post_route(world, data):
    target = data.draw(st.sampled_from(world.targets), label="route")
    values = {a: data.draw(st.sampled_from([world.real_value(target.endpoint, a)] * 3 + GARBAGE_INTS))
              if a not in ("token", "section", "change") else world.real_value(target.endpoint, a)
              for a in target.arguments}
    encoding, pairs = data.draw(bodies(target.fields), label="body")
    csrf_mode = data.draw(st.sampled_from(["valid", "valid", "valid", "forged", "missing"]), label="csrf")
    _post(world, target, values, encoding, pairs, csrf_mode)


def test_script_in_every_field_of_every_form_is_never_run(world):
    for target in world.targets:
        values = {a: world.real_value(target.endpoint, a) for a in target.arguments}
        pairs = [(name, XSS) for name in target.fields] or [("comment", XSS)]
        _post(world, target, values, "form", pairs, "valid")
    for role, client in world.clients.items():
        for path in world.pages_to_read():
            response = client.get(path)
            assert response.status_code < 500, (role, path)
            assert XSS not in response.get_data(as_text=True), f"stored markup shown raw on {path} to {role}"
            response.close()


def test_a_missing_or_forged_csrf_token_is_a_400_that_changes_nothing(world):
    staff_forms = [t for t in world.targets if t.role != "anonymous" or t.endpoint == "staff.login"]
    for target in staff_forms:
        values = {a: world.real_value(target.endpoint, a) for a in target.arguments}
        for mode in ("missing", "forged"):
            status = _post(world, target, values, "form", [(f, "1") for f in target.fields], mode)
            assert status == 400, (target.endpoint, mode, status)


@pytest.fixture
def twilio_token(world):
    """Webhooks verify signatures only when a Twilio token is configured: configure one."""
    settings = world.app.extensions["pro_app.settings"]
    world.app.extensions["pro_app.settings"] = dataclasses.replace(settings, twilio_auth_token="test-token")
    yield "test-token"
    world.app.extensions["pro_app.settings"] = settings


WEBHOOK_FIELDS = ["MessageSid", "MessageStatus", "ErrorCode", "From", "To", "Body", "AccountSid"]


@SMALL_BUDGET
@given(data=st.data())
def test_signed_webhooks_survive_hostile_fields_and_forged_ones_change_nothing(world, twilio_token, data):
    path = data.draw(st.sampled_from(["/webhooks/twilio/status", "/webhooks/twilio/inbound"]))
    names = data.draw(st.lists(st.sampled_from(WEBHOOK_FIELDS + ["x" * 80]), max_size=8, unique=True))
    form = {name: data.draw(st.one_of(values(), st.sampled_from(["+33612345671", "STOP", "delivered"])))
            for name in names}
    signature = RequestValidator(twilio_token).compute_signature(PUBLIC_BASE_URL + path, form)
    forged = data.draw(st.sampled_from([None, "", "forged", signature[:-2] + "AA", signature]))
    headers = {} if forged is None else {"X-Twilio-Signature": forged}
    before = fingerprint(db.engine, db.metadata)
    response = world.clients["anonymous"].post(path, data=form, headers=headers)
    response.close()
    assert response.status_code < 500, (path, form)
    if forged != signature:
        # A body over MAX_CONTENT_LENGTH is refused (413) before its signature is even read.
        too_large = len(urlencode(form)) > world.app.config["MAX_CONTENT_LENGTH"]
        assert response.status_code == (413 if too_large else 403), (too_large, response.status_code)
        assert fingerprint(db.engine, db.metadata) == before


def test_forged_credentials_are_refused_without_a_trace(world):
    before = fingerprint(db.engine, db.metadata)
    forged_session = world.app.test_client()
    forged_session.set_cookie("session", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    response = forged_session.get("/patients/")
    assert response.status_code == 302 and "/staff/login" in response.location
    for token in ("A" * 22, "../../etc/passwd", "%00", "x" * 2000, XSS):
        response = world.clients["anonymous"].get(f"/q/{token}")
        assert response.status_code == 404, token
        assert XSS not in response.get_data(as_text=True)
    for header in ("Bearer proapi_forged", "Bearer " + "x" * 5000, "Basic YWRtaW46YWRtaW4=", "Bearer", XSS):
        response = world.clients["anonymous"].get("/api/v1/tables", headers={"Authorization": header})
        assert response.status_code == 401 and response.is_json, header
    assert fingerprint(db.engine, db.metadata) == before


@SMALL_BUDGET
@given(data=st.data())
def test_api_query_strings_never_break_the_api(world, data):
    token = world.api_token()
    name = data.draw(st.sampled_from(["patients", "visits", "messages", "items", "scores", "nope", XSS]))
    query = {key: data.draw(values()) for key in data.draw(
        st.lists(st.sampled_from(["cursor", "limit", "site", "since", "x"]), max_size=4, unique=True))}
    before = fingerprint(db.engine, db.metadata)
    response = world.clients["anonymous"].get(f"/api/v1/tables/{name}", query_string=query,
                                              headers={"Authorization": f"Bearer {token}"})
    response.close()
    assert response.status_code < 500, (name, query)
    assert response.is_json
    if response.status_code >= 400:
        assert fingerprint(db.engine, db.metadata) == before
