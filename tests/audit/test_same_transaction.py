"""Audit entries are written by the commit of the change they describe, and vanish with its rollback."""
from pro_app.audit.models import AuditEntry
from pro_app.audit.services import record, verify_chain
from pro_app.extensions import db
from pro_app.study.models import Site


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_entries_wait_for_the_commit_and_are_chained_in_the_order_recorded(app):
    record("first", "site", 1)
    record("second", "site", 1)
    assert _actions() == []  # nothing is written (and no chain lock taken) before the commit
    db.session.commit()
    record("third", "site", 1)
    db.session.commit()
    assert _actions() == ["first", "second", "third"]
    assert verify_chain() is None


def test_a_rollback_discards_the_entries_of_its_transaction(app):
    db.session.add(Site(code="99", name="Rolled back"))
    record("create", "site", "99")
    db.session.rollback()
    record("kept", "site", 1)
    db.session.commit()
    assert _actions() == ["kept"]
    assert db.session.scalar(db.select(Site).filter_by(code="99")) is None


def test_a_rolled_back_savepoint_discards_only_the_entries_recorded_inside_it(app):
    record("before", "site", 1)
    savepoint = db.session.begin_nested()
    record("inside", "site", 1)
    savepoint.rollback()
    with db.session.begin_nested():
        record("released", "site", 1)
    record("after", "site", 1)
    db.session.commit()
    assert _actions() == ["before", "released", "after"]
    assert verify_chain() is None


def test_a_closed_session_leaves_nothing_waiting_for_the_next_transaction(app):
    record("abandoned", "site", 1)
    db.session.close()
    record("next", "site", 1)
    db.session.commit()
    assert _actions() == ["next"]
