from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("main", __name__, template_folder="templates")


@bp.route("/")
def index():
    return render_template("main/index.html")


@bp.route("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
