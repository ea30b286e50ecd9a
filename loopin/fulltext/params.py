"""What a request's app decides about search: `q` as an endpoint's query parameter (validated and parsed
with the rest of the input, so a query with nothing to search for is a 422 like any other bad
parameter, before the database is asked), the words it drops and how highlights stem."""

from typing import Annotated

from flask import current_app
from pydantic import AfterValidator, StringConstraints

from ..core.extensions import db
from .highlights import marker, stemmer_of
from .language import MAX_QUERY_LENGTH, parse
from .stopwords import ENGLISH


def stopwords():
    """The words a query drops: English's while PostgreSQL's configuration drops them (SEARCH_LANGUAGE),
    so that both databases read "the exam" as "exam"; none for another language (PostgreSQL drops its
    own, and SQLite's index stems English whatever the setting)."""
    return ENGLISH if current_app.config["SEARCH_LANGUAGE"] == "english" else frozenset()


def parsed(text, common_words_matter=True):
    """`text` as a TextQuery; where `common_words_matter` is False (names: "Will"), nothing is dropped."""
    return parse(text, stopwords() if common_words_matter else frozenset())


# `q` before parsing: up to MAX_QUERY_LENGTH characters, not trimmed (a space after the last word says
# it is whole: language.parse).
QueryText = Annotated[str, StringConstraints(max_length=MAX_QUERY_LENGTH)]
# `q` handed to the view as a language.TextQuery.
SearchText = Annotated[QueryText, AfterValidator(parsed)]


def stem_language(stemmed):
    """The Snowball algorithm the index stems with: SQLite's porter, PostgreSQL's SEARCH_LANGUAGE; None
    for an index that does not stem."""
    if not stemmed:
        return None
    return "porter" if db.session.get_bind().dialect.name == "sqlite" else current_app.config["SEARCH_LANGUAGE"]


def words_marker(query, stemmed=True):
    """highlights.marker for `query`, stemming as the index does (an index of names neither stems nor
    drops common words: "Will" is marked)."""
    return marker(query, stemmer_of(stem_language(stemmed)), stopwords() if stemmed else frozenset())
