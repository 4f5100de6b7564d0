"""Every blueprint, and the staff menu each feature contributes to."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str


# (endpoint, label, roles) appended by features as they register.
STAFF_MENU: list[tuple[str, object, tuple[str, ...]]] = [
    ("audit.index", _l("Audit trail"), ("data_manager", "admin")),
    ("patients.dashboard", _l("Site dashboard"), ("nurse", "investigator", "data_manager")),
    ("patients.register", _l("Register a patient"), ("nurse", "investigator")),
    ("accounts.index", _l("Staff accounts"), ("admin",)),
    ("reviews.sites", _l("Review e-mails"), ("admin",)),
    ("messaging.outbox", _l("Text messages"), ("nurse", "investigator", "data_manager")),
    ("exports.index", _l("Exports"), ("investigator", "data_manager")),
    ("reports.index", _l("Charts"), ("investigator", "data_manager")),
]


def staff_menu() -> list[MenuLink]:
    role = getattr(current_user, "role", None)
    return [MenuLink(str(label), url_for(endpoint)) for endpoint, label, roles in STAFF_MENU if role in roles]


def register(app: Flask) -> None:
    from .api.routes import bp as api_bp
    from .audit.routes import bp as audit_bp
    from .exports.routes import bp as exports_bp
    from .main.routes import bp as main_bp
    from .messaging.routes import bp as messaging_bp
    from .messaging.stop_routes import bp as sms_stop_bp
    from .messaging.webhooks import bp as twilio_webhooks_bp
    from .mmse.routes import bp as mmse_bp
    from .patients.routes import bp as patients_bp
    from .questionnaires.routes import bp as questionnaires_bp
    from .reports.routes import bp as reports_bp
    from .reviews.routes import bp as reviews_bp
    from .staff.account_routes import bp as accounts_bp
    from .staff.routes import bp as staff_bp

    for blueprint in (main_bp, staff_bp, audit_bp, questionnaires_bp, accounts_bp, patients_bp, mmse_bp):
        app.register_blueprint(blueprint)
    for blueprint in (messaging_bp, sms_stop_bp, twilio_webhooks_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(exports_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(reviews_bp)
    app.jinja_env.globals["staff_menu"] = staff_menu
