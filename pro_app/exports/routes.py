"""The data managers' export page: the same files as `flask export`, as one zip.

Data managers export every site or one; investigators export their own site only; other
roles get 403. Every download is audited with its checksums.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..staff.auth import roles_required
from ..study.models import Site
from .archive import zip_folder
from .formats import FORMAT_LABELS
from .forms import ALL_SITES, ExportForm
from .manifest import Exporter
from .service import run_export

bp = Blueprint("exports", __name__, template_folder="templates", url_prefix="/exports")
EXPORT_ROLES = ("data_manager", "investigator")


def _form() -> ExportForm:
    form = ExportForm()
    sites = db.session.scalars(db.select(Site).order_by(Site.code)).all()
    if not current_user.sees_all_sites:
        sites = [site for site in sites if site.id == current_user.site_id]
    form.set_sites(sites, current_user.sees_all_sites)
    return form


@bp.get("/")
@roles_required(*EXPORT_ROLES)
def index():
    return render_template("exports/index.html", form=_form(), labels=FORMAT_LABELS)


@bp.post("/")
@roles_required(*EXPORT_ROLES)
def download():
    form = _form()
    if not form.validate_on_submit():
        return render_template("exports/index.html", form=form, labels=FORMAT_LABELS), 400
    site = _chosen_site(form.site.data)
    work = Path(tempfile.mkdtemp(prefix="export-", dir=current_app.instance_path))
    try:
        exporter = Exporter("staff", current_user.id, current_user.email, current_user.role)
        result = run_export(current_app.extensions["pro_app.protocol"], form.formats.data, work / "export", site,
                            exporter)
        db.session.commit()
        archive = zip_folder(result.root, work / "export.zip")
    except Exception:
        shutil.rmtree(work, ignore_errors=True)
        raise
    headers = {"Content-Disposition": f'attachment; filename="{_file_name(site)}"',
               "Content-Length": str(archive.stat().st_size)}
    return Response(_stream_then_delete(archive, work), mimetype="application/zip", headers=headers)


def _stream_then_delete(archive: Path, work: Path):
    """Send the zip in blocks; the temporary folder goes once it is sent or the client leaves."""
    try:
        with open(archive, "rb") as stream:
            while block := stream.read(1 << 20):
                yield block
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _chosen_site(code: str) -> Site | None:
    if code == ALL_SITES:
        if not current_user.sees_all_sites:
            abort(403)
        return None
    site = db.session.scalar(db.select(Site).filter_by(code=code))
    if site is None or (not current_user.sees_all_sites and site.id != current_user.site_id):
        abort(403, _("You may export only your own site."))
    return site


def _file_name(site: Site | None) -> str:
    study = current_app.extensions["pro_app.protocol"].code
    return f"{study}-export-{site.code if site else 'all-sites'}.zip"
