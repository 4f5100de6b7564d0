"""pro_app: patient-reported outcomes for clinical trials."""
from __future__ import annotations

from flask import Flask

from .config import ConfigError, Settings, load_settings
from .protocol import ProtocolError, load_protocol

__version__ = "0.1.0"


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app in named steps; never touches the database (migrations are explicit)."""
    try:
        return _build_app(overrides)
    except (ConfigError, ProtocolError) as exc:
        raise SystemExit(f"pro_app configuration error: {exc}") from None


def _build_app(overrides: dict | None) -> Flask:
    settings = load_settings(overrides=overrides)
    protocol = load_protocol(settings.protocol_file)
    app = Flask(__name__, instance_path=str(settings.instance_path))
    configure_app(app, settings, protocol)
    configure_logging(app)
    configure_database(app, settings)
    configure_i18n(app, settings)
    configure_templates(app)
    configure_security(app, settings)
    configure_login(app)
    register_blueprints(app)
    register_cli(app)
    register_error_handlers(app)
    return app


def configure_app(app: Flask, settings: Settings, protocol) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.environment == "test",
        MAX_CONTENT_LENGTH=512 * 1024,
        PREFERRED_URL_SCHEME=settings.public_base_url.split(":", 1)[0],
    )
    app.extensions["pro_app.settings"] = settings
    app.extensions["pro_app.protocol"] = protocol
    settings.instance_path.mkdir(parents=True, exist_ok=True)


def configure_logging(app: Flask) -> None:
    from .logging_setup import configure
    configure(app)


def configure_database(app: Flask, settings: Settings) -> None:
    from .database_setup import configure
    configure(app, settings)


def configure_i18n(app: Flask, settings: Settings) -> None:
    from .i18n import configure
    configure(app, settings)


def configure_templates(app: Flask) -> None:
    from .templating import configure
    configure(app)


def configure_security(app: Flask, settings: Settings) -> None:
    from .security import configure
    configure(app, settings)


def configure_login(app: Flask) -> None:
    from .staff.auth import configure
    configure(app)


def register_blueprints(app: Flask) -> None:
    from .blueprints import register
    register(app)


def register_cli(app: Flask) -> None:
    from .commands import register
    register(app)


def register_error_handlers(app: Flask) -> None:
    from .errors import register
    register(app)
