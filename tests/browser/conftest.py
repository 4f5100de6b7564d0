"""A live server on 127.0.0.1 and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import unavailable
from tests.support.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
TABLET = {"width": 1024, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _body_read_before_sending(app):
    """Werkzeug's development server closes a response only after draining the socket, and a
    browser that drops the connection (a navigation cancelling a script's download) makes that
    drain raise first: the static file is left to the garbage collector, whose ResourceWarning
    then fails whichever test runs. Reading the body and closing the response here, before
    anything is sent, leaves nothing open."""
    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()
    return wsgi


class LiveServer:
    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, _body_read_before_sending(app), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="session")
def live_server(_app):
    server = LiveServer(_app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page_in_new_context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser, app, live_server):
    yield from _page_in_new_context(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def tablet_page(browser, app, live_server):
    yield from _page_in_new_context(browser, live_server, viewport=TABLET, has_touch=True)


@pytest.fixture
def no_js_phone_page(browser, app, live_server):
    yield from _page_in_new_context(browser, live_server, viewport=PHONE, java_script_enabled=False)


def axe_violations(page) -> list:
    """Run axe-core (bundled by axe-playwright-python) on the page; return WCAG A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                              "wcag21aa"]}})
    return results.response["violations"]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in_staff(page, user, lang: str) -> None:
    """Sign a staff member in through the login page, in the given language."""
    page.goto(f"/staff/login?lang={lang}")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")
