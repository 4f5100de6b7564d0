"""The codebook documents every exported variable in English and French."""
import csv
import json

import pandas as pd
from flask_babel import force_locale, gettext

from pro_app.instruments import mmse as mmse_instrument

from pro_app.scoring import mmse as mmse_scoring
from pro_app.scoring import qlq_c30 as qlq_scoring


def test_every_exported_column_is_in_the_codebook(exported):
    book = json.loads((exported / "codebook.json").read_text())
    documented = {(t["name"], v["name"]) for t in book["tables"] for v in t["variables"]}
    for path in (exported / "csv").glob("*.csv"):
        for column in pd.read_csv(path, nrows=0).columns:
            assert (path.stem, column) in documented
    for path in (exported / "sdtm").glob("*.csv"):
        for column in pd.read_csv(path, nrows=0).columns:
            assert (path.stem, column) in documented


def test_labels_in_both_languages_types_values_and_algorithms(exported):
    book = json.loads((exported / "codebook.json").read_text())
    variables = {(t["name"], v["name"]): v for t in book["tables"] for v in t["variables"]}
    state = variables[("items", "state")]
    assert state["label"] == {"en": "Answer state", "fr": "État de la réponse"}
    assert [(v["code"], v["stat_code"], v["label"]["fr"]) for v in state["values"]][:2] == [
        ("answered", 1, "Répondu"), ("skipped", 2, "Passé (manquant déclaré)")]
    item = variables[("wide", "c30_q29")]
    assert item["type"] == "integer" and [v["code"] for v in item["values"]] == list(range(1, 8))
    assert item["values"][0]["label"]["en"] == "1 (worst pole)" and item["values"][1]["label"]["en"] == "2"
    assert variables[("wide", "c30_pf2")]["algorithm"] == qlq_scoring.ALGORITHM_VERSION
    assert variables[("wide", "mmse_total")]["algorithm"] == mmse_scoring.ALGORITHM_VERSION
    assert variables[("wide", "c30_pf2")]["label"]["fr"] == "QLQ-C30 fonctionnement physique (0-100)"
    assert book["conventions"]["missing_values"]["fr"].startswith("Une valeur manquante")


def test_codebook_csv_lists_the_same_variables_with_their_sas_names(exported):
    with open(exported / "codebook.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    book = json.loads((exported / "codebook.json").read_text())
    assert len(rows) == sum(len(t["variables"]) for t in book["tables"])
    pf2 = next(r for r in rows if r["table"] == "wide" and r["name"] == "c30_pf2")
    assert pf2["xpt_name"] == "C30PF2" and pf2["label_fr"].startswith("QLQ-C30")
    state = next(r for r in rows if r["table"] == "items" and r["name"] == "state")
    assert state["values_en"].startswith("answered (1)=Answered;")


def test_mmse_item_values_are_answers_and_share_no_word_with_the_edit_action(exported):
    book = json.loads((exported / "codebook.json").read_text())
    items = [v for t in book["tables"] for v in t["variables"]
             if t["name"] == "wide" and v["name"].startswith("mmse_") and [x["code"] for x in v["values"]] == [0, 1]]
    assert len(items) == len(mmse_instrument.BINARY_ITEMS)
    answers = {"en": ("Wrong answer", "Right answer"), "fr": ("Réponse fausse", "Réponse juste")}
    for language, edit in (("en", "Edit"), ("fr", "Modifier")):
        with force_locale(language):
            assert gettext("Edit") == edit  # the MMSE page's button that opens a signed section for a correction
        labels = {tuple(value["label"][language] for value in item["values"]) for item in items}
        assert labels == {answers[language]}
        assert not {edit.lower()} & {word.lower() for text in answers[language] for word in text.split()}
