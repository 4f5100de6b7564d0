"""SMS texts: generic, GSM-7, one segment with a realistic link, the link whole at the end."""
import pytest

from pro_app.messaging.encoding import analyse_sms, non_gsm_characters
from pro_app.messaging.texts import analyse_stored, preview, sms_text, text_kind

LINK = "https://questionnaires.chu-exemple.fr/q/" + "Ab3_-" * 4 + "xy"  # 22-character token


@pytest.mark.parametrize("kind", ["invitation", "reminder_1", "reminder_3", "manual_1"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_text_is_gsm7_in_one_segment_and_ends_with_the_whole_link(app, kind, language):
    text = sms_text(kind, language, LINK)
    assert non_gsm_characters(text) == []
    assert analyse_sms(text).segments == 1
    assert text.endswith(" " + LINK)


def test_texts_follow_the_patients_language(app):
    assert sms_text("invitation", "fr", LINK).startswith("Bonjour, votre questionnaire de suivi est disponible.")
    assert sms_text("reminder_2", "fr", LINK).startswith("Rappel : votre questionnaire de suivi attend vos réponses.")
    assert sms_text("invitation", "en", LINK).startswith("Hello, your follow-up questionnaire is ready.")
    assert sms_text("reminder_1", "en", LINK).startswith("Reminder: your follow-up questionnaire is still waiting.")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_texts_name_no_trial_condition_or_person(app, language):
    protocol = app.extensions["pro_app.protocol"]
    for kind in ("invitation", "reminder_1"):
        text = sms_text(kind, language, LINK).lower()
        for word in ("step", "radio", "brain", "cerveau", "cancer", "métastase", "metastas", "tumeur", "mmse",
                     "qlq", protocol.code.lower()):
            assert word not in text.replace(LINK.lower(), "")


def test_manual_resends_read_like_an_invitation(app):
    assert text_kind("manual_2") == "invitation" and text_kind("reminder_2") == "reminder"


def test_the_preview_counts_with_a_token_of_real_length(app):
    shown = preview("reminder", "fr", "https://questionnaires.chu-exemple.fr")
    assert shown.text.endswith("/q/" + "x" * 22)
    assert (shown.encoding.encoding, shown.encoding.segments, shown.non_gsm) == ("GSM-7", 1, [])
    stored = shown.text.replace("x" * 22, "<redacted>")
    assert analyse_stored(stored) == shown.encoding
