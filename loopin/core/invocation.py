"""What the process is doing while the factory runs: serving, or one command of `flask`/`loopin`.

The factory asks so that lifecycle lines ("Starting application", "Shutting down") belong to servers
only, and so that bad settings still let `--help` list every command and `check` report them.
"""

import click

SERVER_COMMANDS = ("run", "serve")


def command_path():
    """The subcommands being run, outermost first: ["db", "upgrade"], ["run"], ["users", "set-role"].

    [] while the command line itself loads the app: to list commands for `--help`, or to find one of
    the app's own commands (which then run with the app already built). None outside any command
    line: a WSGI server importing the app, or a test.
    """
    context = click.get_current_context(silent=True)
    if context is None:
        return None
    names = []
    while context.parent is not None:
        names.append(context.info_name)
        context = context.parent
    return names[::-1]


def is_server(path):
    return path is None or (bool(path) and path[0] in SERVER_COMMANDS)


def is_loading_commands(path):
    return path == []


def needs_migrations(path):
    """Flask-Migrate (and Alembic) for command lines, `run` included; not for `serve` or a WSGI server
    (path None), which only compares the database's revision with the one the models match."""
    return path is not None and path[:1] != ["serve"]
