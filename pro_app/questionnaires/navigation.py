"""Where a patient goes next: resume point, the page after a save, the page of an item."""
from __future__ import annotations

from flask import url_for

from ..instruments import qlq_c30 as structure
from .answers import saved_answers
from .services import PAGE_COUNT, resume_page


def resume_url(token: str, administration_id: int) -> str:
    """The first page not yet done, or the review screen when every item has an answer or a skip."""
    number = resume_page(saved_answers(administration_id))
    if number is None:
        return url_for("questionnaires.review", token=token)
    return url_for("questionnaires.page", token=token, number=number)


def after_save(token: str, number: int, action: str) -> str:
    if action == "stay":
        return url_for("questionnaires.page", token=token, number=number)
    if action == "back":
        if number == 1:
            return url_for("questionnaires.welcome", token=token)
        return url_for("questionnaires.page", token=token, number=number - 1)
    if number < PAGE_COUNT:
        return url_for("questionnaires.page", token=token, number=number + 1)
    return url_for("questionnaires.review", token=token)


def page_of(item_number: int) -> int:
    return next(index for index, numbers in enumerate(structure.PAGES, 1) if item_number in numbers)
