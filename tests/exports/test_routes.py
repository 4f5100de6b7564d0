"""The export page: who may download what, the zip, its audit entry."""
import io
import json
import zipfile

import pandas as pd

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from tests.integrity.web import session_csrf_token, sign_in


def _download(client, **data):
    data.setdefault("formats", ["csv"])
    data["csrf_token"] = session_csrf_token(client)
    return client.post("/exports/", data=data)


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def _study_codes(archive, table="patients") -> set[str]:
    return set(pd.read_csv(archive.open(f"csv/{table}.csv"), dtype=str)["study_code"])


def test_a_nurse_cannot_export(client, make, study):
    sign_in(client, make.staff(role="nurse"))
    assert client.get("/exports/").status_code == 403
    assert _download(client, site="01").status_code == 403
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="export")) is None


def test_an_administrator_cannot_export_either(client, make, study):
    sign_in(client, make.staff(role="admin", site_code=None))
    assert client.get("/exports/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/exports/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_data_manager_downloads_every_site_or_one(client, make, study):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    page = client.get("/exports/?lang=en").get_data(as_text=True)
    assert "All sites" in page and "SAS XPORT v5" in page
    archive = _zip(_download(client, site="", formats=["csv", "xpt", "sdtm"]))
    assert _study_codes(archive) == {"STEP-01-001", "STEP-01-002", "STEP-02-001"}
    assert {"manifest.json", "codebook.csv", "codebook.json", "xpt/items.xpt", "sdtm/qs.xpt"} <= set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exported_by"]["role"] == "data_manager" and manifest["site"] == "all"
    one = _zip(_download(client, site="02"))
    assert _study_codes(one) == {"STEP-02-001"}
    assert _study_codes(one, "items") == {"STEP-02-001"}


def test_an_investigator_exports_only_their_own_site(client, make, study):
    sign_in(client, make.staff(role="investigator", site_code="01"))
    page = client.get("/exports/?lang=en").get_data(as_text=True)
    assert "All sites" not in page and "02 · " not in page
    archive = _zip(_download(client, site="01"))
    assert _study_codes(archive) == {"STEP-01-001", "STEP-01-002"}
    assert _study_codes(archive, "visits") == {"STEP-01-001", "STEP-01-002"}
    assert _download(client, site="02").status_code in (400, 403)
    assert _download(client, site="").status_code in (400, 403)


def test_each_download_is_audited_with_who_site_and_checksums(client, make, study):
    user = make.staff(role="data_manager", site_code=None)
    sign_in(client, user)
    archive = _zip(_download(client, site="01", formats=["parquet"]))
    db.session.expire_all()
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="export"))
    details = json.loads(entry.new_value)
    manifest = json.loads(archive.read("manifest.json"))
    assert (entry.actor_type, entry.actor_id, entry.actor_role) == ("staff", user.id, "data_manager")
    assert details["site"] == "01" and details["formats"] == ["parquet"]
    assert details["files"] == {e["name"]: e["sha256"] for e in manifest["files"]}


def test_bad_choices_get_a_precise_400(client, make, study):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    client.get("/exports/?lang=en")
    unknown = _download(client, site="", formats=["xlsx"])
    assert unknown.status_code == 400 and "&#39;xlsx&#39; is not a valid choice" in unknown.get_data(as_text=True)
    nothing = _download(client, site="", formats=[])
    assert nothing.status_code == 400 and "Choose at least one format." in nothing.get_data(as_text=True)
    assert 'required=""' not in nothing.get_data(as_text=True).split('name="formats"')[1][:200]
    assert _download(client, site="99").status_code == 400
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="export")) is None


def test_the_page_reads_in_both_languages(client, make, study):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    english = client.get("/exports/?lang=en").get_data(as_text=True)
    french = client.get("/exports/?lang=fr").get_data(as_text=True)
    assert "Exports for statisticians" in english
    assert "Exports for statisticians" not in french and 'lang="fr"' in french
