"""Every blueprint, and the staff menu each feature contributes to."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str


# (endpoint, label, roles) appended by features as they register.
STAFF_MENU: list[tuple[str, object, tuple[str, ...]]] = []


def staff_menu() -> list[MenuLink]:
    role = getattr(current_user, "role", None)
    return [MenuLink(str(label), url_for(endpoint)) for endpoint, label, roles in STAFF_MENU if role in roles]


def register(app: Flask) -> None:
    from .main.routes import bp as main_bp
    from .staff.routes import bp as staff_bp

    for blueprint in (main_bp, staff_bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals["staff_menu"] = staff_menu
