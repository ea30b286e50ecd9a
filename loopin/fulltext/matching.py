"""A TextQuery in each database's own query syntax, sent as one bound parameter. Every token is letters
and digits only (language.TOKEN), so it is quoted as it is and can never be read as an operator.

PostgreSQL: `to_tsquery` text. The database stems, folds accents (unaccent) and drops stop words
itself; inside a phrase it counts a dropped word's place (`"end of term"` is 'end' <2> 'term').
SQLite: an FTS5 query. Its porter tokenizer stems and folds the quoted tokens the same way."""

from dataclasses import replace


def tsquery_term(t):
    words = [f"'{token}'" for token in t.tokens]
    if t.prefix:
        words[-1] += ":*"
    return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"


def tsquery_text(query):
    """`'lab' & ('exam' | 'test':*) & !('end' <-> 'term')`: what ranks a match."""
    def clause(terms):
        return tsquery_term(terms[0]) if len(terms) == 1 else "(" + " | ".join(map(tsquery_term, terms)) + ")"

    return " & ".join([*map(clause, query.clauses), *(f"!{tsquery_term(t)}" for t in query.excluded)])


def tsquery_parts(query):
    """(words, alternatives, prefix) for the database's loopin_search_query (migration 0020), what finds a
    match: the word being typed apart (its beginning is a word of the index), with the other terms of its
    OR; the rest in to_tsquery's syntax. Without a one-word prefix, all of it is `words`."""
    for number, clause in enumerate(query.clauses):
        for place, term in enumerate(clause):
            if term.prefix and len(term.tokens) == 1:
                rest = replace(query, clauses=query.clauses[:number] + query.clauses[number + 1:])
                others = " | ".join(tsquery_term(t) for t in clause[:place] + clause[place + 1:])
                return tsquery_text(rest), others, term.tokens[0]
    return tsquery_text(query), "", ""


def fts5_text(query):
    """`"lab" AND ("exam" OR "test"*) NOT "end of term"`: FTS5's NOT is binary, so exclusions follow the
    rest (language.parse refuses a query of exclusions only)."""
    def term(t):
        return '"' + " ".join(t.tokens) + '"' + ("*" if t.prefix else "")

    def clause(terms):
        return term(terms[0]) if len(terms) == 1 else "(" + " OR ".join(map(term, terms)) + ")"

    matched = " AND ".join(map(clause, query.clauses))
    return " NOT ".join([f"({matched})" if query.excluded else matched, *map(term, query.excluded)])


def query_text(query, dialect):
    """The query in `dialect`'s own syntax, for the SEARCH parameter (index.py)."""
    return fts5_text(query) if dialect == "sqlite" else tsquery_text(query)
