"""Shared steps for the questionnaire browser tests: a patient's thumb on a phone."""
from __future__ import annotations

from pro_app.instruments.qlq_c30 import PAGES
from tests.browser.conftest import axe_violations

TEXTS = {
    "fr": {"start": "Commencer", "continue": "Continuer", "next": "Suivant", "review": "Vérifier mes réponses",
           "send": "Envoyer mes réponses", "skip": "Continuer sans répondre", "thanks": "Merci"},
    "en": {"start": "Start", "continue": "Continue", "next": "Next", "review": "Review my answers",
           "send": "Send my answers", "skip": "Continue without answering", "thanks": "Thank you"},
}


def choose(page, item: int, value: int) -> None:
    page.locator(f"label[for='q{item}-{value}']").click()


def value_for(item: int) -> int:
    return 3 if item < 29 else 6


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def answer_page(page, number: int, lang: str, skip=(), check=True) -> None:
    """Answer one page (leaving `skip` items out) and move on, confirming skips if asked."""
    texts = TEXTS[lang]
    for item in PAGES[number - 1]:
        if item not in skip:
            choose(page, item, value_for(item))
    if check:
        assert_accessible(page)
    label = texts["review"] if number == len(PAGES) else texts["next"]
    page.get_by_role("button", name=label, exact=True).click()
    if any(item in skip for item in PAGES[number - 1]):
        page.get_by_role("button", name=texts["skip"]).click()


def expect_page(page, number: int) -> None:
    page.wait_for_url(f"**/page/{number}")
