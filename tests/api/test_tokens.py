"""`flask api token`: who may hold a token; only its hash is stored; replacing and revoking."""
from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.staff.models import StaffUser


def _user(email):
    db.session.expire_all()
    return db.session.scalar(db.select(StaffUser).filter_by(email=email))


def test_a_data_manager_gets_a_token_shown_once_and_stored_hashed(app, make, runner, client):
    user = make.staff(role="data_manager", site_code=None)
    result = runner.invoke(args=["api", "token", user.email])
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith("proapi_") and len(token) > 40
    stored = _user(user.email).api_token_hash
    assert stored and token not in stored and len(stored) == 64
    assert client.get("/api/v1/tables", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="api_token"))
    assert entry.entity_id == str(user.id) and token not in (entry.new_value or "")


def test_a_new_token_replaces_the_old_one_and_revoke_ends_access(app, make, runner, client):
    user = make.staff(role="investigator", site_code="01")
    first = runner.invoke(args=["api", "token", user.email]).output.strip()
    second = runner.invoke(args=["api", "token", user.email]).output.strip()
    assert first != second
    assert client.get("/api/v1/tables", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/api/v1/tables", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    assert runner.invoke(args=["api", "revoke", user.email]).output.strip() == "token revoked"
    assert client.get("/api/v1/tables", headers={"Authorization": f"Bearer {second}"}).status_code == 401


def test_nurses_and_administrators_get_no_token(app, make, runner):
    for role, site in (("nurse", "01"), ("admin", None)):
        user = make.staff(role=role, site_code=site)
        result = runner.invoke(args=["api", "token", user.email])
        assert result.exit_code == 1 and "data managers and investigators" in result.output
        assert _user(user.email).api_token_hash is None


def test_unknown_email_is_a_usage_error(app, runner):
    result = runner.invoke(args=["api", "token", "nobody@example.org"])
    assert result.exit_code == 2 and "no staff account" in result.output
