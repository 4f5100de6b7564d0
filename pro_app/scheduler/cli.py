import logging

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from werkzeug.serving import make_server

from .runner import add_jobs

log = logging.getLogger("pro_app.scheduler")
scheduler_cli = AppGroup("scheduler", help="The scheduler process (exactly one per deployment).")


@scheduler_cli.command("run")
def run() -> None:
    """Run the scheduler in the foreground: message dispatch every minute, visit states daily."""
    app = current_app._get_current_object()
    scheduler = add_jobs(BlockingScheduler(timezone="UTC"), app)
    log.info("scheduler started")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Embedded default: serve the app and run its scheduler in this one process (no reloader)."""
    app = current_app._get_current_object()
    server = make_server(host, port, app, threaded=True)  # exits with a message if the port is taken
    # Started only once the port is ours, so a failed start leaves no scheduler thread behind.
    scheduler = add_jobs(BackgroundScheduler(timezone="UTC"), app)
    scheduler.start()
    click.echo(f"Serving on http://{host}:{port}/ with the scheduler (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        scheduler.shutdown(wait=False)
        server.server_close()
