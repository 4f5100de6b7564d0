"""`flask patients link STUDY_CODE VISIT`: a fresh link; the older ones stop working."""
from __future__ import annotations

from pro_app.extensions import db
from pro_app.questionnaires.links import lookup


def test_prints_a_fresh_link_and_revokes_the_older_ones(runner, make, client):
    old_token, _ = make.questionnaire_link(study_code="STEP-01-042")
    result = runner.invoke(args=["patients", "link", "STEP-01-042", "baseline"])
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:5000/q/") and len(url.rsplit("/", 1)[1]) >= 22
    db.session.expire_all()
    assert lookup(old_token).state == "revoked"
    assert lookup(url.rsplit("/", 1)[1]).state == "ok"
    assert client.get(f"/q/{old_token}").status_code == 410


def test_refuses_with_a_clear_reason(runner, make):
    make.questionnaire_link(study_code="STEP-01-043")
    for args, message in ((["STEP-01-999", "baseline"], "no patient with study code 'STEP-01-999'"),
                          (["STEP-01-043", "m99"], "has no visit 'm99' (visits: baseline, m3, m6, m9, m12)")):
        result = runner.invoke(args=["patients", "link", *args])
        assert result.exit_code == 1 and message in result.output


def test_refuses_a_submitted_questionnaire(runner, make):
    _, administration = make.questionnaire_link(study_code="STEP-01-044")
    make.qlq_answers(administration, [1] * 30)
    result = runner.invoke(args=["patients", "link", "STEP-01-044", "baseline"])
    assert result.exit_code == 1 and "already submitted" in result.output
