"""Hostile query parameters on every staff page: a 400 that names the parameter, never a 500.

The pages come from the URL map, so a page added later is covered without editing this file;
the parameters each page reads come from PARAMETERS below, and the last test fails when a page
reads a parameter that is not listed there (it records every read of `request.args`).
"""
from __future__ import annotations

import pytest
from flask import Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

# endpoint -> parameter -> (kind, text the 400 page shows). Kinds: "value" (a 400 when bad),
# "lookup" (also a 404 for a well-formed code of no record the user can see), "redirect" (a
# well-formed value redirects to the record's page).
PARAMETERS = {
    "audit.index": {"patient": ("value", "Patient"), "user": ("value", "Choose a staff member"),
                    "since": ("value", "From:"), "until": ("value", "To:"), "page": ("value", "The page must be")},
    "audit.export": {"patient": ("value", "Patient"), "user": ("value", "Choose a staff member"),
                     "since": ("value", "From:"), "until": ("value", "To:")},
    "messaging.outbox": {"status": ("value", "status:"), "study_code": ("value", "study_code:"),
                         "page": ("value", "page:")},
    "patients.dashboard": {"site": ("lookup", "site:")},
    "patients.find": {"study_code": ("lookup", "study_code:")},
    "reports.index": {"code": ("redirect", "code:")},
}
# Read on every page: an unknown language is ignored, so that a language link never breaks a page.
EVERY_PAGE = {"lang"}
NOT_STAFF_PAGES = ("/q/", "/webhooks/", "/api/", "/static/")
HOSTILE = ["9" * 40, "-1", "0", "1.5", "1e3", "abc", "\x00", "a\x00b", "\r\n", "x" * 5000, "２", " 7 ", "",
           "2025-02-30", "0000-00-00", "99999-01-01", "2025-1-1", "<script>", "' OR '1'='1", "é" * 41,
           "STEP-01-001", "STEP-02-001", "01", "02", "attention", "2025-03-01", "1", "%00", "\ud7ff"]
BUDGET = settings(max_examples=300, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def staff_pages(world) -> list[tuple[str, str, str]]:
    """(endpoint, path, role) of every GET page that is not a patient's, the API or a file."""
    pages = []
    for rule in world.app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.rule.startswith(NOT_STAFF_PAGES):
            values = {a: world.real_value(rule.endpoint, a) for a in rule.arguments}
            pages.append((rule.endpoint, world.path(rule.endpoint, values), world._role_for(rule)))
    return sorted(pages)


@pytest.fixture(scope="module")
def pages(world) -> list[tuple[str, str, str, int]]:
    """The staff pages with the status each answers without parameters (some redirect)."""
    return [(endpoint, path, role, _get(world, role, path, {"lang": "en"})[0])
            for endpoint, path, role in staff_pages(world)]


def _get(world, role, path, query):
    response = world.clients[role].get(path, query_string=query)
    answer = response.status_code, response.get_data(as_text=True)
    response.close()
    return answer


@BUDGET
@given(data=st.data())
def test_hostile_query_parameters_on_every_staff_page(world, pages, data):
    endpoint, path, role, usual = data.draw(st.sampled_from(pages), label="page")
    parameters = PARAMETERS.get(endpoint, {})
    name = data.draw(st.sampled_from(sorted(parameters) + ["lang", "x"]), label="parameter")
    value = data.draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60), st.integers().map(str)), label="value")
    query = {name: value} if name == "lang" else {"lang": "en", name: value}
    status, body = _get(world, role, path, query)
    kind, message = parameters.get(name, ("ignored", None))
    allowed = {"value": {400}, "lookup": {302, 400, 404}, "redirect": {302, 400}, "ignored": set()}[kind]
    assert status in allowed | {usual}, (endpoint, query, status)
    if status == 400:
        assert message in body, (endpoint, query)
        assert "Something in the request was not right" in body or 'role="alert"' in body


@pytest.mark.parametrize("value", ["9" * 40, "-3", "\x00", "x" * 500, "bogus"])
def test_the_reported_cases_answer_400_with_the_parameter_named(world, value):
    for path, role, message in (("/audit/", "data_manager", "Choose a staff member"),
                                ("/staff/messages/", "nurse", "page:")):
        parameter = "user" if path == "/audit/" else "page"
        status, body = _get(world, role, path, {parameter: value, "lang": "en"})
        assert status == 400 and message in body, (path, value, status)


class _RecordingArgs(ImmutableMultiDict):
    read: set[str] = set()

    def get(self, key, default=None, type=None):  # noqa: A002  MultiDict's own name
        self.read.add(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):  # noqa: A002
        self.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


class _RecordingRequest(Request):
    @property
    def args(self):
        return _RecordingArgs(Request.args.__get__(self, Request))


def test_every_parameter_a_staff_page_reads_is_listed(world):
    world.app.request_class, original = _RecordingRequest, world.app.request_class
    try:
        for endpoint, path, role in staff_pages(world):
            for query in [{}] + [{name: "1"} for name in PARAMETERS.get(endpoint, {})]:
                _RecordingArgs.read = set()
                _get(world, role, path, query)
                unlisted = _RecordingArgs.read - set(PARAMETERS.get(endpoint, {})) - EVERY_PAGE
                assert not unlisted, f"{endpoint} reads {unlisted}: list them in PARAMETERS"
                if query:
                    assert set(query) <= _RecordingArgs.read, (endpoint, query)
    finally:
        world.app.request_class = original
