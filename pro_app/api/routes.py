"""/api/v1: the long tables page by page (GET only), its OpenAPI document, every pull audited."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from .. import query_args
from ..audit.services import record
from ..exports.queries import Scope
from ..exports.tables import build_tables
from ..extensions import csrf, db, limiter
from ..study.models import Site
from .auth import api_user_required, bad_request, forbidden, rate_key
from .openapi import document
from .paging import Cursor, CursorError, read_page
from .serialize import json_rows
from .tables import API_TABLES, DEFAULT_LIMIT, MAX_LIMIT

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
RATE = "120 per minute"


def _protocol():
    return current_app.extensions["pro_app.protocol"]


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(_protocol()))


@bp.get("/tables")
@limiter.limit(RATE, key_func=rate_key)
@api_user_required
def tables():
    return jsonify(tables=[{"name": name, "path": f"/api/v1/tables/{name}"} for name in API_TABLES])


@bp.get("/tables/<name>")
@limiter.limit(RATE, key_func=rate_key)
@api_user_required
def table(name: str):
    if name not in API_TABLES:
        return jsonify(error=f"table: no table {name!r}; choose among {', '.join(API_TABLES)}"), 404
    limit, problem = _limit()
    if problem:
        return bad_request(problem)
    try:
        cursor = Cursor.decode(request.args.get("cursor"))
    except CursorError as exc:
        return bad_request(str(exc))
    site, refusal = _site()
    if refusal:
        return refusal
    page = read_page(_protocol(), name, site.id if site else None, cursor, limit)
    variables, frame = _columns(name, page, site)
    rows = json_rows(frame, variables) if frame is not None else []
    _audit(name, site, cursor, len(rows))
    db.session.commit()
    return jsonify(table=name, rows=rows, next_cursor=page.next_cursor.encode() if page.next_cursor else None)


def _limit() -> tuple[int, str | None]:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT, None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        return 0, f"limit: must be a whole number from 1 to {MAX_LIMIT}, got {raw!r}"
    return int(raw), None


def _site():
    """The site to read: the token's own for a site-bound account, any (or all) for the others."""
    user, code = g.api_user, request.args.get("site")
    if code is None:
        return (None, None) if user.sees_all_sites else (user.site, None)
    if not user.sees_all_sites and code != user.site.code:
        # Any other code, of a site or of none, gets the same answer: it tells nothing about other sites.
        return None, forbidden(f"site: this token reads site {user.site.code} only")
    site = db.session.scalar(db.select(Site).filter_by(code=code)) if query_args.is_clean_text(code) else None
    if site is None:
        return None, bad_request(f"site: no site with code {code!r}")
    return site, None


def _columns(name: str, page, site):
    if page.table is not None:
        return page.table, page.frame
    empty = build_tables(_protocol(), Scope(site.id if site else None, ()), (name,))[name]
    return empty.variables, empty.frame


def _audit(name: str, site, cursor: Cursor, rows: int) -> None:
    record("api_pull", "api_table", name, new={"site": site.code if site else "all", "rows": rows,
                                               "after": cursor.after, "skip": cursor.skip})
