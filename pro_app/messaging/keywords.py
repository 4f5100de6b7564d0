"""What a patient's text back means: opt out, opt in, help, or nothing.

The text is normalised first (:func:`words`): compatibility forms folded (NFKC: full-width
letters, no-break spaces), case folded, accents dropped, invisible characters removed (zero-width
space and joiners, BOM, soft hyphen, bidi marks), then split on anything that is not a letter
or digit, so quotes, brackets, dashes and punctuation around a word never hide it: «STOP»,
(STOP), "STOP", STOP-merci and Stop ! all begin with the word STOP.

Which words count, and where:
- the keywords that mean nothing but "stop these texts" count as the first word, however the
  text goes on ("Stop merci");
- ordinary verbs that also begin sentences about the treatment ("Arrêter le traitement ?",
  "Cancel my appointment") count only when they are the whole text, as Twilio matches keywords;
- words are matched whole, never as prefixes: STOPPED, STOPWATCH and "Stopper les SMS" do not
  opt out; the texts' link is the documented way to stop;
- opting in again must be unmistakable: START or UNSTOP alone ("Start please" changes nothing).
"""
from __future__ import annotations

import re
import unicodedata

OPT_OUT, OPT_IN, HELP = "opt_out", "opt_in", "help"
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    decomposed = unicodedata.normalize("NFKD", visible)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def _keywords(text: str) -> frozenset[str]:
    return frozenset(words(text))


# Twilio's standard opt-out words, and the French ones (ARRET as Twilio and AWS list it).
FIRST_WORD_OPT_OUT = _keywords("STOP STOPALL UNSUBSCRIBE REVOKE OPTOUT ARRÊT DÉSABONNER DÉSABONNEMENT "
                               "DÉSINSCRIRE DÉSINSCRIPTION")
WHOLE_TEXT_OPT_OUT = _keywords("CANCEL END QUIT ARRÊTE ARRÊTEZ ARRÊTER STOPPER STOPPEZ")
WHOLE_TEXT_OPT_IN = _keywords("START UNSTOP")
FIRST_WORD_HELP = _keywords("HELP AIDE INFO")


def keyword(body: str | None) -> str | None:
    """opt_out, opt_in or help, from what the patient texted; None for anything else."""
    found = words(body or "")
    if not found:
        return None
    alone = found[0] if len(found) == 1 else None
    # "OPT OUT", "OPT-OUT" and "STOP ALL" are the one-word keywords typed in two.
    if {found[0], "".join(found[:2])} & FIRST_WORD_OPT_OUT or alone in WHOLE_TEXT_OPT_OUT:
        return OPT_OUT
    if alone in WHOLE_TEXT_OPT_IN:
        return OPT_IN
    return HELP if found[0] in FIRST_WORD_HELP else None
