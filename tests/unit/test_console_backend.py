import logging
from datetime import datetime

from pro_app.messaging.backends import ConsoleBackend, OutgoingSms, redact_link_tokens, scrub_phone_numbers

TOKEN = "Zk3-q9_xLmN0pQrStUvWx"


def test_console_logs_the_text_without_number_or_token(caplog):
    caplog.set_level(logging.INFO, logger="pro_app.sms")
    sms = OutgoingSms(message_id=42, to="+33612345678", body=f"Questionnaire : https://pro.example.org/q/{TOKEN}",
                      status_callback=None)
    outcome = ConsoleBackend().send(sms)
    assert outcome.status == "sent" and outcome.provider_sid.startswith("console-42-")
    assert "console SMS message_id=42 body=Questionnaire : https://pro.example.org/q/<redacted>" in caplog.text
    assert TOKEN not in caplog.text and "612345678" not in caplog.text


def test_console_sids_are_unique_and_nothing_is_found_again():
    backend = ConsoleBackend()
    sms = OutgoingSms(message_id=1, to="+33612345678", body="hello", status_callback=None)
    assert backend.send(sms).provider_sid != backend.send(sms).provider_sid
    assert backend.find_sent("+33612345678", datetime(2026, 1, 1), "hello") is None


def test_tokens_are_redacted_up_to_the_end_of_the_path():
    assert redact_link_tokens("a /q/abc?x=1 b /q/def/start c") == "a /q/<redacted>?x=1 b /q/<redacted>/start c"


def test_phone_numbers_are_scrubbed_in_any_common_writing():
    text = "To +33612345678, +33 6 12 34 56 78, 06.12.34.56.78 and (612) 345-678; error 21211"
    assert scrub_phone_numbers(text) == "To <number>, <number>, <number> and <number>; error 21211"
    assert scrub_phone_numbers(None) is None
