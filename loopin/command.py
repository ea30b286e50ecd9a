"""The `loopin` command (installed with the package): Flask's command line bound to Loopin, plus
`loopin serve`, production's waitress with the thread count of WAITRESS_THREADS.

`loopin run`, `loopin db upgrade`, `loopin check`, `loopin users ...` are the `flask --app loopin ...`
commands without `--app`. It sits beside the package root, above every layer, since it builds the app.
`.env` is read by Loopin itself, from the directory it starts in only (settings.py), so Flask's own
upward search is off.
"""

import click
from flask.cli import FlaskGroup, pass_script_info


def build_app():
    from . import create_app  # on use, not on import: `loopin --help` stays cheap

    return create_app()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0: every interface; behind nginx keep 127.0.0.1).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@pass_script_info
def serve_command(script_info, host, port):
    """Serve with waitress, the production WSGI server, with WAITRESS_THREADS threads."""
    from .core.server import serve  # waitress's server with Loopin's connection (core/server.py)

    app = script_info.load_app()  # inside this command: a server, so its lifecycle is logged
    # waitress buffers up to 1 GiB of body by default before the app's JSON 413 could answer; twice
    # MAX_BODY_BYTES leaves that answer to Loopin for any body a client might plausibly send.
    serve(app, host=host, port=port, threads=app.config["WAITRESS_THREADS"], ident="loopin",
          max_request_body_size=2 * app.config["MAX_BODY_BYTES"])


cli = FlaskGroup(name="loopin", create_app=build_app, load_dotenv=False,
                 help="Loopin, Loop.in's backend: run, serve, check, db upgrade, users, sessions, notifications, mail.")
cli.add_command(serve_command)


def main():
    cli.main(prog_name="loopin")
