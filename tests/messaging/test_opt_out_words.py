"""What a patient texts back, through the signed inbound webhook: French and English variants of
the keywords, written as handsets and people write them, and texts that must change nothing."""
import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.patients.models import Patient
from tests.messaging.twilio_webhooks import inbound_form

OPT_OUT, OPT_IN, HELP, NOTHING = "sms_opt_out", "sms_opt_in", "sms_help_request", None

TABLE = [
    # Quotes, brackets and punctuation around the keyword, French and English.
    ("«STOP»", OPT_OUT), ("« Stop »", OPT_OUT), ('"STOP"', OPT_OUT), ("“Stop”", OPT_OUT), ("‘stop’", OPT_OUT),
    ("'STOP'", OPT_OUT), ("(STOP)", OPT_OUT), ("[stop]", OPT_OUT), ("STOP-merci", OPT_OUT),
    ("Stop !", OPT_OUT), ("Stop\u202f!", OPT_OUT), ("STOP!!!", OPT_OUT), ("-STOP-", OPT_OUT),
    # Invisible characters a keyboard or a copy-paste leaves: zero-width space, BOM, soft hyphen, joiners.
    ("\u200bSTOP", OPT_OUT), ("\ufeffStop", OPT_OUT), ("stop\u200b", OPT_OUT), ("S\u00adTOP", OPT_OUT),
    ("\u2060STOP\u200d", OPT_OUT), ("\u200eSTOP", OPT_OUT),
    # Compatibility forms (NFKC), case and accents.
    ("ＳＴＯＰ", OPT_OUT), ("ſtop", OPT_OUT), ("«ARRÊT»", OPT_OUT), ("arrêt, merci", OPT_OUT),
    # The other keywords: French, and Twilio's English ones, including two typed as two words.
    ("Désinscrire", OPT_OUT), ("DESABONNEMENT", OPT_OUT), ("Arrêtez !", OPT_OUT), ("arrête", OPT_OUT),
    ("Stopper", OPT_OUT), ("revoke", OPT_OUT), ("OptOut", OPT_OUT), ("Opt-out", OPT_OUT), ("OPT OUT", OPT_OUT),
    ("Cancel", OPT_OUT), ("END.", OPT_OUT),
    # Opting in again: the keyword alone, however decorated.
    ("«START»", OPT_IN), ("Start !", OPT_IN), ("\u200bstart", OPT_IN), ("(unstop)", OPT_IN),
    ("Aide-moi", HELP), ("«Info»", HELP),
    # Never a prefix; the ordinary verbs count only alone, since they begin sentences about the treatment.
    ("STOPPED?", NOTHING), ("stopwatch", NOTHING), ("Stoppage", NOTHING), ("Unstoppable", NOTHING),
    ("Non, ne stoppez pas", NOTHING), ("Ne pas arrêter", NOTHING), ("Arrêté le traitement hier", NOTHING),
    ("Arrêter le traitement ?", NOTHING), ("Stopper les SMS", NOTHING), ("Cancel my appointment", NOTHING),
    ("End of treatment today", NOTHING), ("Quit smoking last year", NOTHING), ("STOP123", NOTHING),
    ("Start please", NOTHING), ("START-please", NOTHING), ("Startup", NOTHING), ("Informations", NOTHING),
    ("\u200b", NOTHING), ("«»", NOTHING),
]


def actions_after(signed, body: str, patient_id: int) -> list[str]:
    """The consent and help entries a text adds to the audit trail of the patient."""
    last = db.session.scalar(db.select(db.func.max(AuditEntry.id))) or 0
    assert signed("/webhooks/twilio/inbound", inbound_form(body)).status_code == 200
    return list(db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.id > last, AuditEntry.patient_id == patient_id, AuditEntry.action.like("sms_%"))))


@pytest.mark.parametrize("body, meaning", TABLE, ids=[repr(body) for body, _ in TABLE])
def test_what_a_text_means(signed, sent, body, meaning):
    patient_id = sent.patient_id
    if meaning == OPT_IN:
        actions_after(signed, "STOP", patient_id)
    assert actions_after(signed, body, patient_id) == ([meaning] if meaning else [])
    opted_out = db.session.get(Patient, patient_id).sms_opted_out_at is not None
    assert opted_out == (meaning == OPT_OUT)
    if meaning is NOTHING:  # nor does it opt a patient back in
        actions_after(signed, "STOP", patient_id)
        assert actions_after(signed, body, patient_id) == []
        assert db.session.get(Patient, patient_id).sms_opted_out_at is not None


@pytest.mark.parametrize("opt_out_type, body, meaning", [
    ("STOP", "Désolée, plus de SMS", OPT_OUT),  # a keyword the operator added at Twilio
    ("HELP", "Renseignements", HELP),
])
def test_the_keyword_twilio_matched_decides_first(signed, sent, opt_out_type, body, meaning):
    """With Advanced Opt-Out, Twilio has already blocked (or helped) the number: the app agrees."""
    last = db.session.scalar(db.select(db.func.max(AuditEntry.id)))
    form = inbound_form(body, OptOutType=opt_out_type)
    assert signed("/webhooks/twilio/inbound", form).status_code == 200
    assert db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.id > last, AuditEntry.action.like("sms_%"))).all() == [meaning]


def test_twilio_unblocking_a_number_opts_the_patient_back_in(signed, sent):
    signed("/webhooks/twilio/inbound", inbound_form("STOP"))
    signed("/webhooks/twilio/inbound", inbound_form("Oui", OptOutType="START"))
    assert db.session.get(Patient, sent.patient_id).sms_opted_out_at is None
