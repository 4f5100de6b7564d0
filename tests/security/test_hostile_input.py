"""Random and malicious bodies on every POST route: never a 500, and a refusal changes nothing.

Routes are discovered from the URL map, so a route added later is covered without editing this
file. Rejections that are recorded on purpose are listed with their reason.
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pro_app.extensions import db
from .hostile import GARBAGE_INTS, XSS, bodies, encode, fingerprint
from .world import World

AUDITED_REJECTIONS = {"staff.login": "a failed sign-in is audited and counts towards the lockout"}
BUDGET = settings(max_examples=120, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.data_too_large])


@pytest.fixture
def world(app, make):
    return World(app, make)


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
