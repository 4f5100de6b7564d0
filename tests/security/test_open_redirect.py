"""After sign-in, `?next=` is followed only to a page of this site: a corpus of known bypasses."""
from urllib.parse import quote

from tests.integrity.web import session_csrf_token
from tests.support.factories import PASSWORD

EVIL = "evil.example"
BYPASSES = [
    # Protocol-relative and extra slashes.
    f"//{EVIL}", f"///{EVIL}", f"////{EVIL}/", f"//{EVIL}@127.0.0.1/",
    # Backslashes, which browsers read as slashes.
    f"/\\{EVIL}", f"\\\\{EVIL}", f"/\\/{EVIL}", f"\\/{EVIL}",
    # Tabs, newlines, other whitespace and control characters, which browsers drop.
    f"/\t/{EVIL}/", f"/\n/{EVIL}", f"/\r\n/{EVIL}", f" //{EVIL}", f"/ /{EVIL}", f"/\x00/{EVIL}",
    f"/\u00a0/{EVIL}", f"/\u2028/{EVIL}", f"/\u200b/{EVIL}",
    # Percent-encoded slashes and backslashes in the path, once or twice.
    f"/%2f{EVIL}", f"/%2F/{EVIL}", f"%2f%2f{EVIL}", f"/%5c{EVIL}", f"/%5C%5C{EVIL}", f"/%252f%252f{EVIL}",
    f"/%09/{EVIL}", f"/%0a/{EVIL}", f"/%EF%BC%8F{EVIL}",
    # Schemes, in any case.
    f"https://{EVIL}", f"http:{EVIL}", f"https:/{EVIL}", f"https:\\\\{EVIL}", "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "\tjavascript:alert(1)",
    # Full-width and other Unicode slashes and solidus look-alikes.
    f"\uff0f\uff0f{EVIL}", f"/\uff0f{EVIL}", f"/\u2215{EVIL}", f"\u2215\u2215{EVIL}", f"/\u2044{EVIL}",
    f"/\u29f8{EVIL}", f"/\ufe68{EVIL}", f"/\uff3c{EVIL}", f"/\u3002{EVIL}",
    # Not a path at all.
    EVIL, "", f"/{'a' * 3000}",
]
FOLLOWED = ["/patients/?page=2", "/patients/5", "/mmse/3/section/recall", "/staff/resume/7",
            "/patients/?q=%C3%89ric&page=2", "/audit/?entity=staff_user&page=3"]


def _sign_in(client, user, query: str):
    return client.post(f"/staff/login?{query}", data={"email": user.email, "password": PASSWORD,
                                                       "csrf_token": session_csrf_token(client)})


def test_only_pages_of_the_site_are_followed(client, make):
    """One sign-in per target; every bypass lands on the home page, every page of the site on itself."""
    user = make.staff()
    expected = {target: (302, "/") for target in BYPASSES} | {target: (302, target) for target in FOLLOWED}
    landed = {}
    for target in expected:
        response = _sign_in(client, user, "next=" + quote(target, safe=""))
        landed[target] = (response.status_code, response.headers.get("Location"))
    assert {target: place for target, place in landed.items() if place != expected[target]} == {}


def test_the_reported_tab_bypass_goes_to_the_home_page(client, make):
    response = _sign_in(client, make.staff(), f"next=/%09/{EVIL}/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
