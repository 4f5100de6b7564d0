import json

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.demo.seed import seed_demo
from pro_app.extensions import db
from pro_app.instruments.packs import load_pack
from pro_app.questionnaires.models import InstrumentPack
from pro_app.questionnaires.packs import (PackInstallError, PackNotInstalled, attach_pack, current_pack,
                                          ensure_demo_packs, install_pack, wording_for)
from tests.scoring_db.conftest import demo_data, qlq_administration


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_demo_packs_are_installed_once_as_demo_wording(app):
    installed = ensure_demo_packs()
    db.session.commit()
    assert {row.instrument for row in installed} == {"qlq_c30", "mmse"}
    assert ensure_demo_packs() == []
    qlq = current_pack("qlq_c30", "fr")
    assert (qlq.pack_id, qlq.version, qlq.validated, qlq.is_current) == ("qlq_c30_demo", "1.0", False, True)
    assert qlq.languages == "en,fr"
    assert _count(InstrumentPack) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "install")) == 2


def test_a_custom_pack_is_stored_with_its_wording_hash_and_becomes_current(app, write_pack):
    ensure_demo_packs()
    path = write_pack()
    row = install_pack(path)
    db.session.commit()
    assert row.sha256 == load_pack(path).sha256 and len(row.sha256) == 64
    assert (row.pack_id, row.version, row.instrument, row.validated) == ("qlq_c30_licensed", "2.0", "qlq_c30", True)
    assert current_pack("qlq_c30", "en").id == row.id
    demo = db.session.scalar(db.select(InstrumentPack).filter_by(pack_id="qlq_c30_demo"))
    assert demo.is_current is False
    assert install_pack(path).id == row.id  # the same wording again changes nothing
    assert _count(InstrumentPack) == 3


def test_a_bad_pack_is_refused_with_every_problem_and_nothing_written(app, write_pack):
    def spoil(data):
        french, english = data["languages"]["fr"]["items"], data["languages"]["en"]["items"]
        del french["q29"], french["q30"]
        french["q4"] = "   "
        english["q3"] = "Item <b>three</b>"
        english["q31"] = "An item the instrument does not have"
    with pytest.raises(PackInstallError) as refused:
        install_pack(write_pack(spoil))
    assert sorted(refused.value.problems) == sorted([
        "languages.fr.items.q29: missing", "languages.fr.items.q30: missing",
        "languages.fr.items.q4: empty text",
        "languages.en.items.q3: contains markup ('<', '>' or an HTML entity); texts are plain text",
        "languages.en.items.q31: unknown text key"])
    assert _count(InstrumentPack) == 0 and _count(AuditEntry) == 0


def test_the_same_id_and_version_with_other_wording_is_refused(app, write_pack):
    original = install_pack(write_pack())
    db.session.commit()

    def reword(data):
        data["languages"]["en"]["items"]["q1"] = "Reworded item 1"
    with pytest.raises(PackInstallError, match="already installed with other wording"):
        install_pack(write_pack(reword, name="reworded.yaml"))
    db.session.refresh(original)
    assert original.sha256 == load_pack(write_pack()).sha256
    assert _count(InstrumentPack) == 1


def test_overlong_fields_are_refused_before_the_database_sees_them(app, write_pack):
    with pytest.raises(PackInstallError) as refused:
        install_pack(write_pack(version="9" * 41))
    assert refused.value.problems == ["version: at most 40 characters"]


def test_a_language_missing_from_the_current_pack_falls_back_to_the_newest_pack_that_has_it(app, write_pack):
    ensure_demo_packs()
    french_only = install_pack(write_pack(lambda data: data["languages"].pop("en")))
    assert current_pack("qlq_c30", "fr").id == french_only.id
    assert current_pack("qlq_c30", "en").pack_id == "qlq_c30_demo"
    with pytest.raises(PackNotInstalled):
        current_pack("qlq_c30", "de")


def test_attach_pack_records_the_exact_wording_and_never_changes_it(app, make, write_pack):
    ensure_demo_packs()
    administration = qlq_administration(make.patient(language="en"), "baseline")
    demo = attach_pack(administration, "en")
    db.session.commit()
    assert (administration.pack_id, administration.pack_version, administration.pack_sha256,
            administration.language) == ("qlq_c30_demo", "1.0", demo.sha256, "en")
    install_pack(write_pack())
    assert attach_pack(administration, "fr").id == demo.id
    db.session.commit()
    db.session.expire_all()
    assert (administration.pack_id, administration.pack_sha256, administration.language) == (
        "qlq_c30_demo", demo.sha256, "en")
    wording = wording_for(administration)
    assert (wording.pack_id, wording.version, wording.sha256) == ("qlq_c30_demo", "1.0", demo.sha256)
    assert "Not the validated wording" in wording.text("en", "items.q12")
    attached = db.session.scalars(db.select(AuditEntry).filter_by(action="attach_pack")).all()
    assert len(attached) == 1 and attached[0].patient_id == administration.visit.patient_id


def test_wording_for_refuses_an_administration_without_a_pack(app, make):
    administration = qlq_administration(make.patient(), "baseline")
    with pytest.raises(PackNotInstalled):
        wording_for(administration)


def test_a_json_pack_with_the_demo_wording_has_the_demo_hash(app, tmp_path):
    demo = next(row for row in ensure_demo_packs() if row.instrument == "qlq_c30")
    path = tmp_path / "pack.json"
    path.write_text(json.dumps({**demo_data(), "pack_id": "qlq_c30_json"}, ensure_ascii=False), encoding="utf-8")
    row = install_pack(path)
    assert (row.pack_id, row.sha256) == ("qlq_c30_json", demo.sha256)


def test_the_demo_seed_installs_the_demo_packs(app):
    seed_demo(app.extensions["pro_app.protocol"])
    assert current_pack("mmse", "fr").pack_id == "mmse_demo"
    assert current_pack("qlq_c30", "en").pack_id == "qlq_c30_demo"


def test_a_demo_pack_installed_before_it_had_names_per_language_takes_the_shipped_names(app, make):
    _, administration = make.questionnaire_link()
    row = attach_pack(administration, "fr")
    row.content = {key: value for key, value in row.content.items() if key != "names"}  # as installed before
    db.session.commit()
    pack = wording_for(administration)
    assert pack.display_name("fr").startswith("Pack de démonstration QLQ-C30")
    assert pack.sha256 == administration.pack_sha256
