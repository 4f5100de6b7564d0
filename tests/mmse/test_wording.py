"""The MMSE pages in French and in English: answer labels and the edit action never share a word,
the pack's name and the norm citation are in the page's language."""
import re
from html import unescape

import pytest

from tests.mmse.helpers import fill, sign, start
from tests.support.factories import PASSWORD
from tests.staff.web import html

CHOICE = re.compile(r'<label class="mmse-choice"><input type="radio" name="recall_1" value="[01]"[^>]*>'
                    r'\s*([^<]+)</label>')
EDIT = re.compile(r'/section/recall/correct">([^<]+)<span class="visually-hidden">')
WORD = re.compile(r"\w+")


def _words(texts) -> set[str]:
    return {word.lower() for text in texts for word in WORD.findall(unescape(text)) if not word.isdigit()}


@pytest.mark.parametrize("lang, answer_words, pack_name", [
    ("fr", {"réponse", "juste", "fausse"}, "Pack de démonstration MMSE"),
    ("en", {"right", "wrong", "answer"}, "MMSE demo pack"),
])
def test_answer_labels_and_the_edit_action_share_no_word(client, nurse, mmse, lang, answer_words, pack_name):
    start(client, mmse)
    fill(client, mmse)
    assert sign(client, mmse, PASSWORD).status_code == 303
    overview = html(client.get(f"/mmse/{mmse.id}?lang={lang}"))
    edit = EDIT.findall(overview)
    correcting = html(client.get(f"/mmse/{mmse.id}/section/recall/correct?lang={lang}"))
    choices = CHOICE.findall(correcting)
    assert len(edit) == 1 and len(choices) == 2
    assert _words(choices) == answer_words
    assert not _words(edit) & _words(choices)
    assert pack_name in unescape(overview)
    signed = re.search(r"<p>([^<]*Nadia Nurse[^<]*)</p>", overview).group(1)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", signed)  # a date the page's language writes, not ISO
    assert re.search(r"\b(CET|CEST)\b", signed)  # in the study's time zone, named
    norm = re.search(r'<p class="reading">.*?<span class="muted">([^<]+)</span>', overview, re.S).group(1)
    assert "Kalafat" in norm and not {"simplified", "unverified", "simplifié"} & _words([norm])
