import pytest

from pro_app.messaging.encoding import GSM7_BASIC, SmsEncoding, analyse_sms, non_gsm_characters


def test_the_basic_alphabet_has_127_characters_plus_lowercase_c_cedilla():
    assert len(GSM7_BASIC) == 128 and "\x1b" not in GSM7_BASIC


def test_french_text_with_gsm_accents_stays_gsm7():
    text = "Bonjour, votre questionnaire est à remplir : é è ù à É ç"
    assert analyse_sms(text).encoding == "GSM-7"


@pytest.mark.parametrize("character", ["â", "ê", "î", "ô", "û", "ë", "ï", "œ", "À", "È", "Ê", "Ô", "’", "«", "»", "…"])
def test_characters_missing_from_gsm7_force_ucs2(character):
    result = analyse_sms(f"Votre lien {character} ici")
    assert result.encoding == "UCS-2"
    assert non_gsm_characters(f"Votre lien {character} ici") == [character]


def test_offenders_are_listed_once_in_order():
    assert non_gsm_characters("« Âge » l’été… «") == ["«", "Â", "»", "’", "…"]
    assert non_gsm_characters("plain text") == []


@pytest.mark.parametrize("length, segments", [(0, 0), (1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3)])
def test_gsm7_segments_are_160_then_153(length, segments):
    assert analyse_sms("a" * length) == SmsEncoding("GSM-7", length, segments, length)


@pytest.mark.parametrize("length, segments", [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_segments_are_70_then_67(length, segments):
    assert analyse_sms("ê" * length) == SmsEncoding("UCS-2", length, segments, length)


@pytest.mark.parametrize("character", list("€[]{}^~|\\\f"))
def test_extension_characters_cost_two_septets(character):
    result = analyse_sms(character * 80)
    assert (result.encoding, result.characters, result.units, result.segments) == ("GSM-7", 80, 160, 1)
    assert analyse_sms(character * 81).segments == 2


def test_an_escape_pair_is_not_split_across_segments():
    # 152 septets, then a two-septet character: it cannot straddle the 153 boundary.
    result = analyse_sms("a" * 152 + "€" + "a" * 10)
    assert result.units == 164 and result.segments == 2
    assert analyse_sms("a" * 152 + "€" + "a" * 152).segments == 3


def test_ucs2_counts_utf16_code_units():
    result = analyse_sms("😀" * 35)  # outside the BMP: a surrogate pair each
    assert (result.characters, result.units, result.segments) == (35, 70, 1)
    assert analyse_sms("a" * 66 + "😀" + "a" * 66).segments == 3  # 134 units, but the pair moves on
