"""No export carries a phone number, a name, a message body or a link token."""
import io
import zipfile

import phonenumbers

from tests.exports.study import LINK_TOKEN, PHONES
from tests.integrity.web import session_csrf_token, sign_in


def forms_of(number: str) -> set[bytes]:
    """The number as E.164, national and international text, with and without separators."""
    parsed = phonenumbers.parse(number)
    texts = {phonenumbers.format_number(parsed, fmt) for fmt in (
        phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.NATIONAL,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL)}
    national = str(parsed.national_number)
    texts |= {text.replace(" ", "") for text in texts} | {text.replace(" ", ".") for text in texts}
    texts |= {number.lstrip("+"), "0" + national, national}
    return {text.encode("utf-8") for text in texts} | {text.encode("utf-16-le") for text in texts}


def test_no_exported_byte_contains_a_demo_phone_number(exported, app):
    files = [path for path in exported.rglob("*") if path.is_file()]
    assert len(files) > 40
    needles = set().union(*(forms_of(number) for number in PHONES))
    assert b"0612345671" in needles and b"06 12 34 56 71" in needles
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path.name}"


def test_no_name_body_or_link_token_is_exported(exported, app):
    from pro_app.extensions import db
    from pro_app.staff.models import StaffUser
    staff_names = [user.display_name.encode() for user in db.session.scalars(db.select(StaffUser))]
    for path in (p for p in exported.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert LINK_TOKEN.encode() not in data and b"https://" not in data
        assert not any(name in data for name in staff_names)


def test_the_zip_download_carries_no_phone_number_either(client, make, study):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    response = client.post("/exports/", data={"formats": ["csv", "sdtm"], "site": "",
                                              "csrf_token": session_csrf_token(client)})
    assert response.status_code == 200
    needles = set().union(*(forms_of(number) for number in PHONES))
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert not any(needle in data for needle in needles), name
