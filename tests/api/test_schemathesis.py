"""Property-based test of the API against its own OpenAPI document (schemathesis).

Schemathesis's Python API drives Hypothesis directly: every operation, a bounded number of
generated requests, each checked by schemathesis's default checks (no server error, status
code, content type, headers and body all as documented, authentication enforced).
"""
import schemathesis
from hypothesis import HealthCheck, given, settings

from pro_app.api.tokens import mint_token
from pro_app.extensions import db

EXAMPLES = 15


def test_api_matches_its_openapi_document(app, study, make):
    token = mint_token(make.staff(role="data_manager", site_code=None))
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:
        _check(operation, {"Authorization": f"Bearer {token}"})


def _without_cursor(case):
    """A cursor is opaque: only one returned by a previous page means anything, so a made-up
    (schema-valid) one is rightly refused with 400; cursors are tested in test_api.py."""
    if case.query:
        case.query = {name: value for name, value in case.query.items() if name != "cursor"}
    return case


def _check(operation, headers) -> None:
    @given(case=operation.as_strategy().map(_without_cursor))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def call(case):
        case.call_and_validate(headers=headers)
    call()
