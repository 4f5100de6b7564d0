import copy
import json

import pytest
import yaml

from pro_app.instruments import mmse, qlq_c30
from pro_app.instruments.packs import PackError, demo_pack_path, load_pack, pack_from_data, validate_pack


def demo_data(instrument="qlq_c30"):
    return yaml.safe_load(demo_pack_path(instrument).read_text(encoding="utf-8"))


@pytest.mark.parametrize("instrument", ["qlq_c30", "mmse"])
def test_demo_packs_are_valid_and_marked_as_not_validated(instrument):
    pack = load_pack(demo_pack_path(instrument))
    assert validate_pack(demo_data(instrument)) == []
    assert pack.instrument == instrument
    assert pack.validated is False
    assert "NOT the validated wording" in pack.name
    assert pack.languages == ("en", "fr")


def test_demo_qlq_pack_texts():
    pack = load_pack(demo_pack_path("qlq_c30"))
    assert pack.text("en", "items.q12") == "Demo item 12 — symptom (4-point scale). Not the validated wording."
    assert pack.text("fr", "responses.four_point.4") == "4 (le plus)"
    assert set(pack.texts["en"]) == set(qlq_c30.PACK_TEXT_KEYS)
    assert pack.text("en", "responses.seven_point_anchors.7") == "7 (best)"


def test_demo_mmse_pack_covers_every_item_and_section():
    pack = load_pack(demo_pack_path("mmse"))
    assert set(pack.texts["fr"]) == set(mmse.PACK_TEXT_KEYS)
    assert pack.variant


def test_text_lookup_errors_name_the_problem():
    pack = load_pack(demo_pack_path("qlq_c30"))
    with pytest.raises(KeyError, match="no language 'de'"):
        pack.text("de", "items.q1")
    with pytest.raises(KeyError, match="no text 'items.q31'"):
        pack.text("en", "items.q31")


def test_demo_pack_path_rejects_unknown_instrument():
    with pytest.raises(ValueError, match="unknown instrument 'hads'"):
        demo_pack_path("hads")


def test_bad_pack_reports_every_problem():
    data = demo_data()
    del data["licence"]
    data["version"] = 1.0
    data["validated"] = "no"
    data["colour"] = "blue"
    english = data["languages"]["en"]
    del english["items"]["q3"], english["items"]["q30"]
    english["items"]["q31"] = "Extra item"
    english["items"]["q4"] = "  "
    english["items"]["q5"] = 5
    del english["responses"]["four_point"][2]
    del data["languages"]["fr"]["headings"]["recall_past_week"]
    assert validate_pack(data) == [
        "missing field 'licence'",
        "unknown field 'colour'",
        "version: must be text, not float (quote it)",
        "validated: must be true or false",
        "languages.fr.headings.recall_past_week: missing",
        "languages.en.items.q3: missing",
        "languages.en.items.q30: missing",
        "languages.en.responses.four_point.2: missing",
        "languages.en.items.q31: unknown text key",
        "languages.en.items.q4: empty text",
        "languages.en.items.q5: must be text, not int (quote it)",
    ]


def test_unknown_instrument_and_bad_languages():
    data = demo_data()
    data["instrument"] = "hads"
    data["languages"] = {"french": {}, False: {}}
    assert validate_pack(data) == [
        "unknown instrument 'hads': expected qlq_c30, mmse",
        "languages.french: 'french' is not a language code such as 'fr' or 'fr-CA'",
        "languages.False: False is not a language code such as 'fr' or 'fr-CA'",
    ]


def test_not_a_mapping_and_empty_pack():
    assert validate_pack(["a"]) == ["a pack must be a mapping of fields, not list"]
    assert validate_pack({}) == [f"missing field {name!r}" for name in (
        "pack_id", "version", "name", "source", "licence", "instrument", "validated", "languages")]


@pytest.mark.parametrize("text", [
    "Demo <b>item</b>", "Demo item &amp; more", "Demo &#60; item", "a > b", "<script>",
])
def test_markup_is_rejected(text):
    data = demo_data()
    data["languages"]["fr"]["items"]["q7"] = text
    assert validate_pack(data) == [
        "languages.fr.items.q7: contains markup ('<', '>' or an HTML entity); texts are plain text"]


def test_ampersand_in_plain_text_is_allowed():
    data = demo_data()
    data["languages"]["en"]["items"]["q7"] = "Demo item 7 — work & leisure"
    assert validate_pack(data) == []


def test_sha256_is_stable_across_formats_and_key_order(tmp_path):
    data = demo_data()
    reordered = copy.deepcopy(data)
    reordered["languages"] = dict(reversed(list(data["languages"].items())))
    reordered["languages"]["en"]["items"] = dict(reversed(list(data["languages"]["en"]["items"].items())))
    as_json = tmp_path / "pack.json"
    as_json.write_text(json.dumps(reordered, ensure_ascii=False), encoding="utf-8")
    original = load_pack(demo_pack_path("qlq_c30"))
    assert load_pack(as_json).sha256 == original.sha256
    assert pack_from_data(reordered).sha256 == original.sha256
    assert len(original.sha256) == 64


def test_sha256_follows_the_wording_only():
    data = demo_data()
    original = pack_from_data(data).sha256
    data["name"] = "Another name"
    assert pack_from_data(data).sha256 == original
    data["languages"]["en"]["items"]["q1"] = "Demo item 1, reworded"
    assert pack_from_data(data).sha256 != original


def test_load_pack_raises_with_all_problems(tmp_path):
    data = demo_data("mmse")
    del data["languages"]["en"]["items"]["copying"]
    data["languages"]["fr"]["sections"]["naming"] = "<i>x</i>"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(path)
    assert error.value.problems == [
        "languages.fr.sections.naming: contains markup ('<', '>' or an HTML entity); texts are plain text",
        "languages.en.items.copying: missing",
    ]


def test_unreadable_pack_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_bytes(b"pack_id: [unclosed\n")
    with pytest.raises(PackError, match="cannot read the pack"):
        load_pack(path)


def test_flat_dotted_keys_read_back_into_the_same_pack():
    pack = load_pack(demo_pack_path("mmse"))
    flat = {
        "pack_id": pack.pack_id, "instrument": pack.instrument, "version": pack.version, "name": pack.name,
        "source": pack.source, "licence": pack.licence, "validated": pack.validated, "variant": pack.variant,
        "names": dict(pack.names), "languages": {language: dict(texts) for language, texts in pack.texts.items()},
    }
    assert pack_from_data(flat) == pack


@pytest.mark.parametrize("instrument", ["qlq_c30", "mmse"])
def test_demo_packs_are_named_in_each_page_language(instrument):
    pack = load_pack(demo_pack_path(instrument))
    assert pack.display_name("fr").startswith("Pack de démonstration") and "PAS" in pack.display_name("fr")
    assert pack.display_name("en") == pack.name and pack.display_name("fr-CA") == pack.display_name("fr")
    assert pack.display_name("de") == pack.name  # no name in that language: the pack's own name


def test_names_per_language_are_checked():
    data = demo_data()
    data["names"] = {"fr": "<b>Nom</b>", "xx-yy": "Name", "en": "x" * 201}
    problems = validate_pack(data)
    assert "names.fr: contains markup ('<', '>' or an HTML entity); texts are plain text" in problems
    assert "names: 'xx-yy' is not a language code such as 'fr' or 'fr-CA'" in problems
    assert "names.en: at most 200 characters" in problems
    data["names"] = "Nom"
    assert validate_pack(data) == ["names: must map language codes such as 'fr' to the pack's name in that language"]
