"""`flask --app loopin search reindex`: every search index built again from its rows."""

import click

from ..core.database import transaction
from .blueprint import bp
from .indexes import INDEXES
from .reindex import reindex


@bp.cli.command("reindex")
def reindex_command():
    """Build every search index again (after changing SEARCH_LANGUAGE, or to repair one)."""
    with transaction():
        for index, rows in reindex(INDEXES):
            click.echo(f"Search index {index.name}: {rows:,} rows")
