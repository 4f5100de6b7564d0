"""Helpers to walk through the patient's questionnaire with the test client (CSRF stays on)."""
from __future__ import annotations

import re

import pytest

from pro_app.instruments.qlq_c30 import PAGES

PAGE_KEY = re.compile(r'name="page_key" value="([0-9a-f]+)"')
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Patient:
    """A patient's browser: opens the link, starts, answers page by page, submits."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def url(self, suffix: str = "") -> str:
        return f"/q/{self.token}{suffix}"

    def start(self):
        return self.client.post(self.url("/start"))

    def page_key(self, number: int) -> str:
        response = self.client.get(self.url(f"/page/{number}"))
        assert response.status_code == 200, response.status_code
        return PAGE_KEY.search(response.get_data(as_text=True)).group(1)

    def answer(self, number: int, answers: dict, action: str = "next", **extra):
        data = {"page_key": self.page_key(number), "action": action, **extra}
        data.update({f"q{item}": str(value) for item, value in answers.items()})
        return self.client.post(self.url(f"/page/{number}"), data=data)

    def answer_all(self, value_for=lambda item: 2 if item < 29 else 5, skip=()):
        for number, items in enumerate(PAGES, start=1):
            answers = {item: value_for(item) for item in items if item not in skip}
            action = "next" if len(answers) == len(items) else "skip"
            assert self.answer(number, answers, action).status_code == 303

    def submit(self):
        return self.client.post(self.url("/submit"))


@pytest.fixture
def patient_link(make):
    """(token, administration) of an open QLQ-C30 with the demo packs installed."""
    return make.questionnaire_link()


@pytest.fixture
def patient(client, patient_link):
    return Patient(client, patient_link[0])


def csrf_token(html: str) -> str:
    return CSRF.search(html).group(1)
