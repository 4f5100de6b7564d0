"""What a questionnaire screen shows: the instrument's structure dressed in the pack's wording.

The structure (items, response scales, where headings go, page groups) comes from
`pro_app.instruments.qlq_c30`; every text comes from the exact pack version the
administration was started with. Nothing is pre-selected: an item shows a checked choice
only when this patient saved that answer in this administration.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from markupsafe import Markup

from ..instruments import qlq_c30 as structure
from ..instruments.packs import Pack
from ..templating import page_locale
from .answers import SKIPPED, Saved
from .packs import wording_for
from .services import PAGE_COUNT, PAGES, page_items

if TYPE_CHECKING:
    from .access import PatientAccess

# Installed packs are never changed, so each is read and checked once per process.
_PACKS: dict[tuple[str, str, str], Pack] = {}


@dataclass(frozen=True)
class Choice:
    value: int
    text: str
    number: int | None  # shown before the text when the pack's text does not already start with it


@dataclass(frozen=True)
class ItemView:
    number: int
    code: str
    text: str
    heading: str | None
    choices: tuple[Choice, ...]
    saved: int | None
    skipped: bool


@dataclass(frozen=True)
class PageView:
    number: int
    total: int
    items: tuple[ItemView, ...]
    first_item: int
    last_item: int
    wording_language: str
    item_count: int = structure.ITEM_COUNT

    @property
    def is_last(self) -> bool:
        return self.number == self.total


def wording(access: PatientAccess, wanted: str) -> tuple[Pack, str]:
    """The administration's pack and the language to show it in."""
    link = access.link
    pack = _PACKS.get(link.pack_key)
    if pack is None:
        pack = _PACKS[link.pack_key] = wording_for(access.administration)
    return pack, wording_language(pack, wanted, link.language)


def wording_language(pack: Pack, wanted: str, started_in: str | None) -> str:
    """The patient's language when the pack has it, else the language the administration started in."""
    for language in (wanted, started_in):
        if language in pack.languages:
            return language
    return pack.languages[0]


def page_view(pack: Pack, language: str, number: int, saved: dict[str, Saved]) -> PageView:
    items = tuple(_item_view(pack, language, item, saved.get(item.id), first=index == 0)
                  for index, item in enumerate(page_items(number)))
    return PageView(number, PAGE_COUNT, items, PAGES[number - 1][0], PAGES[number - 1][-1], language)


def _item_view(pack: Pack, language: str, item: structure.Item, saved: Saved | None, first: bool) -> ItemView:
    # A screen shows one page, so its first item repeats the heading in force (the recall
    # period of items 6-28); items 1-5 have none. Within a page, a heading goes where the
    # instrument places it.
    heading_key = structure.HEADINGS_BEFORE.get(item.number) or (
        structure.heading_in_force(item.number) if first else None)
    return ItemView(
        number=item.number, code=item.id, text=pack.text(language, f"items.{item.id}"),
        heading=pack.text(language, f"headings.{heading_key}") if heading_key else None,
        choices=choices(pack, language, item.response_scale),
        saved=saved.value if saved else None, skipped=bool(saved and saved.state == SKIPPED))


def choices(pack: Pack, language: str, scale: structure.ResponseScale) -> tuple[Choice, ...]:
    """Four labelled points, or seven numbers of which only 1 and 7 carry the pack's anchors."""
    result = []
    for point in scale.points:
        if point not in scale.labelled_points:
            result.append(Choice(point, str(point), None))
            continue
        group = "four_point" if scale is structure.FOUR_POINT else "seven_point_anchors"
        text = pack.text(language, f"responses.{group}.{point}")
        shows_number = scale is structure.SEVEN_POINT and not text.startswith(str(point))
        result.append(Choice(point, text, point if shows_number else None))
    return tuple(result)


def item_html(item: ItemView, wording_language: str, unanswered: bool) -> Markup:
    """One question's markup. A page shows few distinct questions (a handful of answers each, in two
    languages), so each is rendered once per process and page language: escaping the same choices on
    every page view was most of a page's rendering time."""
    return _item_html(item, wording_language, unanswered, page_locale())


@functools.lru_cache(maxsize=8192)
def _item_html(item: ItemView, wording_language: str, unanswered: bool, _page_locale: str) -> Markup:
    template = current_app.jinja_env.get_template("questionnaires/_item.html")
    html = template.render(item=item, wording_language=wording_language, unanswered=unanswered)
    return Markup(html)  # nosec B704  # rendered by an autoescaping (.html) template


def item_text(pack: Pack, language: str, item: structure.Item) -> str:
    return pack.text(language, f"items.{item.id}")
