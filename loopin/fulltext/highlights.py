"""Where a result matched: for each field that did, a plain-text fragment of it and the matched words as
offsets into that fragment. Never markup: a client draws the marks itself, so nothing a post says can
reach a page as HTML.

Offsets count UTF-16 code units, as JavaScript's `String.prototype.slice` does (the frontend's own
language; an emoji is two). A word matches as the index matched it: folded (case, accents) and stemmed
by the same Snowball algorithm as the database (PostgreSQL's SEARCH_LANGUAGE, SQLite's porter), so
"exams" is marked for "exam"; a prefix term marks every word its stem begins."""

import functools

import snowballstemmer

from .language import TOKEN, folded

FRAGMENT_LENGTH = 160  # characters of a long field shown, from a little before its first match
LEAD = 40  # characters kept before the first match, for context


def stemmer_of(language):
    """A function word -> stem; the identity for "simple" (or None: names are matched as written)."""
    if language in (None, "simple"):
        return lambda word: word
    return functools.partial(stem, language)


@functools.lru_cache(maxsize=100_000)
def stem(language, word):
    """The stem of a folded word, remembered: a board's words repeat, and Snowball in pure Python costs
    about 80 µs a word (20 results' titles and texts: 20 ms). A new stemmer per word stemmed: it keeps
    state while stemming, so threads must not share one."""
    return snowballstemmer.stemmer(language).stemWord(word)


def marker(query, stem, stopwords):
    """A function telling whether a word of a field matches one of `query`'s terms."""
    exact, prefixes = set(), []
    for term in query.terms():
        words = [folded(token) for token in term.tokens]
        *whole, last = words
        exact.update(stem(word) for word in whole if word not in stopwords)
        if term.prefix:
            prefixes.append(stem(last))
        elif last not in stopwords:
            exact.add(stem(last))

    def matches(word):
        word = stem(folded(word))
        return word in exact or any(word.startswith(prefix) for prefix in prefixes)
    return matches


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


def highlights(fields, matches):
    """[{field, text, offset, matches: [[start, end], ...]}] for each of `fields` ({name: text}, in the
    order to show them) where a word `matches`; `offset` is where the fragment starts in the field."""
    found = []
    for name, text in fields.items():
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(text or "") if matches(m.group())]
        if not spans:
            continue
        start, end = fragment(text, spans[0][0])
        shown = text[start:end]
        found.append({"field": name, "text": shown, "offset": utf16_length(text[:start]),
                      "matches": [[utf16_length(shown[:a - start]), utf16_length(shown[:b - start])]
                                  for a, b in spans if a >= start and b <= end]})
    return found


def fragment(text, first_match):
    """(start, end) of the part of `text` to show: all of it when short, else FRAGMENT_LENGTH characters
    from a little before the first match, cut between words."""
    if len(text) <= FRAGMENT_LENGTH:
        return 0, len(text)
    start = max(0, first_match - LEAD)
    if start:
        space = text.find(" ", start, first_match)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + FRAGMENT_LENGTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first_match else end
    return start, end
