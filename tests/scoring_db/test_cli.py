import csv
import io

import pytest

from pro_app.extensions import db
from pro_app.questionnaires.models import InstrumentPack, ItemAnswer, Score
from pro_app.questionnaires.packs import ensure_demo_packs
from pro_app.questionnaires.scoring import score_and_store
from tests.scoring_db.conftest import WORKED_EXAMPLE, qlq_administration

PF2 = (1 - (12 / 5 - 1) / 3) * 100


def test_install_then_install_again(app, runner, write_pack):
    path = write_pack()
    first = runner.invoke(args=["instruments", "install", str(path)])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("installed qlq_c30_licensed 2.0 (qlq_c30; en, fr; validated; sha256 ")
    second = runner.invoke(args=["instruments", "install", str(path)])
    assert second.exit_code == 0 and "already installed, unchanged" in second.output
    assert db.session.scalar(db.select(db.func.count(InstrumentPack.id))) == 1


def test_install_refuses_a_bad_pack_listing_every_problem(app, runner, write_pack):
    def spoil(data):
        data["languages"]["fr"]["items"]["q7"] = ""
        del data["languages"]["en"]["responses"]["four_point"][3]
        data["licence"] = "Use &amp; share"
    result = runner.invoke(args=["instruments", "install", str(write_pack(spoil))])
    assert result.exit_code == 1
    assert "Error: languages.fr.items.q7: empty text" in result.stderr
    assert "Error: languages.en.responses.four_point.3: missing" in result.stderr
    assert "Error: licence: contains markup" in result.stderr
    assert "3 problem(s); nothing was installed." in result.stderr
    assert db.session.scalar(db.select(db.func.count(InstrumentPack.id))) == 0


def test_install_reports_an_unreadable_file(app, runner, tmp_path):
    result = runner.invoke(args=["instruments", "install", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 1 and "cannot read the pack" in result.stderr


def test_list_shows_packs_and_the_pack_each_study_language_uses(app, runner, write_pack):
    ensure_demo_packs()
    db.session.commit()
    assert runner.invoke(args=["instruments", "install",
                               str(write_pack(lambda data: data["languages"].pop("en")))]).exit_code == 0
    result = runner.invoke(args=["instruments", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("  qlq_c30_demo 1.0 (qlq_c30; en, fr; demo; sha256 ") for line in lines)
    assert any(line.startswith("  qlq_c30_licensed 2.0 (qlq_c30; fr; validated;")
               and line.endswith("UTC (current)") for line in lines)
    assert "  qlq_c30 fr: qlq_c30_licensed 2.0 (validated)" in lines
    assert "  qlq_c30 en: qlq_c30_demo 1.0 (demo, not the validated wording)" in lines
    assert "  mmse fr: mmse_demo 1.0 (demo, not the validated wording)" in lines


def _submitted(make, patient, visit_code="baseline", scored=True):
    administration = make.qlq_answers(qlq_administration(patient, visit_code), WORKED_EXAMPLE)
    if scored:
        score_and_store(administration)
        db.session.commit()
    return administration


def test_recompute_reports_and_repairs_altered_scores(app, runner, make):
    first, second = make.patient(), make.patient()
    altered = _submitted(make, first)
    _submitted(make, second)
    db.session.execute(db.update(Score).where(Score.administration_id == altered.id, Score.scale == "PF2")
                       .values(value=50.0))
    db.session.commit()

    dry = runner.invoke(args=["scores", "recompute", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        f"{first.study_code} baseline PF2: 50.0 -> {PF2!r}",
        "2 administration(s) rescored; 1 score(s) differ in 1 administration(s); dry run, nothing was written."]
    db.session.expire_all()
    assert db.session.scalar(db.select(Score.value).filter_by(administration_id=altered.id, scale="PF2")) == 50.0

    assert runner.invoke(args=["scores", "recompute"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(db.select(Score.value).filter_by(administration_id=altered.id, scale="PF2")) == PF2
    again = runner.invoke(args=["scores", "recompute"])
    assert again.output.endswith("0 score(s) differ in 0 administration(s).\n")


def test_recompute_scores_administrations_that_were_never_scored(app, runner, make):
    patient = make.patient()
    _submitted(make, patient, scored=False)
    make.qlq_answers(qlq_administration(patient, "m3"), WORKED_EXAMPLE, submitted=False)
    result = runner.invoke(args=["scores", "recompute"])
    assert result.exit_code == 0
    assert f"{patient.study_code} baseline QL2: missing -> 50.0" in result.output
    assert "1 administration(s) rescored; 16 score(s) differ in 1 administration(s)." in result.output


def test_recompute_names_an_administration_whose_stored_answers_cannot_be_scored(app, runner, make):
    broken, sound = make.patient(), make.patient()
    administration = _submitted(make, broken, scored=False)
    _submitted(make, sound)
    db.session.execute(db.update(ItemAnswer).where(ItemAnswer.administration_id == administration.id,
                                                   ItemAnswer.item_code == "q1").values(value=9))
    db.session.commit()
    result = runner.invoke(args=["scores", "recompute"])
    assert result.exit_code == 1
    assert f"Error: {broken.study_code} baseline: item q1: 9 is outside 1..4" in result.stderr
    assert "1 administration(s) rescored; 0 score(s) differ" in result.output
    assert db.session.scalar(db.select(db.func.count(Score.id)).filter_by(administration_id=administration.id)) == 0


@pytest.fixture
def answers_csv(tmp_path):
    def write(rows):
        path = tmp_path / "paper.csv"
        header = ["subject"] + [f"Q{n}" for n in range(1, 31)]
        path.write_text("\n".join(",".join(map(str, row)) for row in [header, *rows]) + "\n", encoding="utf-8")
        return path
    return write


def test_flask_score_qlq_c30_scores_a_csv_file(app, runner, answers_csv, tmp_path):
    output = tmp_path / "scored.csv"
    result = runner.invoke(args=["score", "qlq-c30", str(answers_csv([["P1", *WORKED_EXAMPLE]])), "-o", str(output)])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(output.read_text(encoding="utf-8")))
    assert row["subject"] == "P1" and float(row["QL2"]) == 50.0 and float(row["PF2"]) == PF2
    assert float(row["SUMMARY"]) == pytest.approx(57.5214, abs=5e-5)


def test_flask_score_qlq_c30_refuses_bad_answers(app, runner, answers_csv, tmp_path):
    bad = ["P1", *WORKED_EXAMPLE[:28], 8, 5]
    output = tmp_path / "scored.csv"
    result = runner.invoke(args=["score", "qlq-c30", str(answers_csv([bad])), "-o", str(output)])
    assert result.exit_code != 0
    assert "column 'Q29': '8' is outside the range of item 29" in result.stderr
    assert not output.exists()
