"""Walk through an MMSE with the test client, section by section, as a nurse on a tablet does."""
from __future__ import annotations

from pro_app.instruments.mmse import SECTIONS
from tests.staff.web import fresh, post

SERIAL7_SAID = ("93", "86", "79", "72", "65")


def section_data(section: str, value: str = "1") -> dict:
    """Every item of a section recorded with the same 0/1 value (attention: all correct)."""
    if section == "attention":
        data = {"serial7__state": "given", "spelling__state": "given", "spelling": "E D N O M"}
        data.update({f"serial7_{n}": said for n, said in enumerate(SERIAL7_SAID, start=1)})
        return data
    items = next(s.items for s in SECTIONS if s.code == section)
    data = {item: value for item in items}
    if section == "registration":
        data["registration_trials"] = "1"
    return data


def save(client, administration, section: str, data: dict, go: str = "next"):
    version = fresh(administration).version
    return post(client, f"/mmse/{administration.id}/section/{section}", {**data, "version": str(version), "go": go})


def start(client, administration, language: str = "fr"):
    version = fresh(administration).version
    return post(client, f"/mmse/{administration.id}/start", {"language": language, "version": str(version)})


def fill(client, administration, overrides: dict | None = None) -> None:
    """Record every section; ``overrides`` replaces the data of some sections."""
    for section in SECTIONS:
        data = (overrides or {}).get(section.code, section_data(section.code))
        response = save(client, administration, section.code, data)
        assert response.status_code == 303, response.get_data(as_text=True)


def sign(client, administration, password: str):
    version = fresh(administration).version
    return post(client, f"/mmse/{administration.id}/sign", {"password": password, "version": str(version)})
