import csv
from datetime import datetime

import pytest

from pro_app.audit import services
from pro_app.audit.models import AuditEntry
from pro_app.audit.services import Actor, record
from pro_app.extensions import db


def _read(path):
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_export_writes_every_entry_in_chain_order_with_actor_labels(app, runner, make, tmp_path):
    nurse = make.staff(role="nurse", name="Nina Nurse")
    patient = make.patient(study_code="STEP-01-042")
    record("correct", "patient", patient.id, field="language", old="fr", new="en", patient_id=patient.id,
           actor=Actor("staff", nurse.id, "nurse"), reason='=HYPERLINK("x")')
    record("answer", "item_answer", 7, new=3, patient_id=patient.id, actor=Actor("patient_link", 12))
    record("tick", "visit", 1)
    db.session.commit()
    out = tmp_path / "audit.csv"
    result = runner.invoke(args=["audit", "export", "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = _read(out)
    stored = list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))
    assert [int(r["id"]) for r in rows] == [e.id for e in stored[:-1]]
    assert stored[-1].action == "export" and stored[-1].entity == "audit_entry"
    by_action = {r["action"]: r for r in rows}
    assert by_action["correct"]["actor"] == "Nina Nurse (Research nurse / CRA)"
    assert by_action["correct"]["patient"] == "STEP-01-042"
    assert by_action["correct"]["reason"] == "'=HYPERLINK(\"x\")"  # defused for spreadsheets
    assert by_action["answer"]["actor"] == "patient via link (administration 12)"
    assert by_action["tick"]["actor"] == "system"
    assert by_action["tick"]["entry_hash"] == stored[-2].entry_hash


def test_export_keeps_only_the_days_asked_for(app, runner, tmp_path, monkeypatch):
    for day in (1, 2, 3):
        monkeypatch.setattr(services, "utcnow", lambda day=day: datetime(2025, 3, day, 23, 59, 59))
        record("update", "patient", day)
    db.session.commit()
    monkeypatch.undo()
    out = tmp_path / "days.csv"
    result = runner.invoke(args=["audit", "export", "--out", str(out), "--since", "2025-03-02",
                                 "--until", "2025-03-02"])
    assert result.exit_code == 0, result.output
    assert [r["entity_id"] for r in _read(out)] == ["2"]
    runner.invoke(args=["audit", "export", "--out", str(out), "--since", "2025-03-02", "--until", "2025-12-31"])
    assert [r["entity_id"] for r in _read(out)] == ["2", "3"]


@pytest.mark.parametrize("args, named", [
    (["--since", "2025-03-02", "--until", "2025-03-01"], "--until"),
    (["--since", "March"], "--since"),
])
def test_export_refuses_bad_days_and_names_the_option(app, runner, tmp_path, args, named):
    result = runner.invoke(args=["audit", "export", "--out", str(tmp_path / "x.csv"), *args])
    assert result.exit_code == 2 and named in result.output
