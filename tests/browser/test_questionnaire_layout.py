"""Reflow at 320 px, 200 % text, 44 px touch targets and a visible focus on the item pages."""
from __future__ import annotations

import pytest

from tests.browser.questionnaire_helpers import assert_accessible

pytestmark = pytest.mark.browser


def _open_page(page, make, suffix):
    token, _ = make.questionnaire_link()
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Commencer").click()
    page.goto(f"/q/{token}{suffix}")
    return token


def _overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("suffix", ["", "/page/1", "/page/2", "/page/8", "/review"])
def test_reflows_at_320_px_and_at_200_percent_text(phone_page, make, suffix):
    _open_page(phone_page, make, suffix)
    phone_page.set_viewport_size({"width": 320, "height": 640})
    assert not _overflows(phone_page)
    phone_page.evaluate("document.documentElement.style.fontSize = '225%'")  # 200 % of the page's 112.5 %
    assert not _overflows(phone_page)
    assert_accessible(phone_page)


def test_touch_targets_are_at_least_44_px(phone_page, make):
    _open_page(phone_page, make, "/page/1")
    targets = phone_page.locator("label.choice:visible, main button:visible, .lang-switch a:visible")
    assert targets.count() >= 22
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (index, box)


def test_keyboard_focus_is_visible(phone_page, make):
    _open_page(phone_page, make, "/page/1")
    phone_page.locator("#q1-1").focus()
    outline = phone_page.evaluate(
        "getComputedStyle(document.querySelector(\"label[for='q1-1']\")).outlineStyle")
    assert outline == "solid"
