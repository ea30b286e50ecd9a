"""The search language people already know from web search: words (all must match, in any order and
any case), `"an exact phrase"`, `-excluded` words or phrases, `OR` between two terms, and the last word
matched as a prefix while it is being typed. `#tag` and `@username` are the tag and author filters.

`parse` turns the text into a `TextQuery` or refuses it with a ValueError that says why (a 422): nothing
to find, only common words, only exclusions, too many words. Each database then reads the same
`TextQuery` (matching.py), so a query means the same on both."""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12  # words and phrases together: a bound on the work one query asks of the index
# A word as both databases' tokenizers see one: letters and digits of any script ("e-mail" is two).
TOKEN = re.compile(r"[^\W_]+")
# One piece of the query: an optionally negated quoted phrase (an unclosed quote runs to the end), or a
# run of anything but white space.
PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
OR = "OR"

NOTHING_TO_FIND = "q must contain a word to search for"
ONLY_COMMON_WORDS = ('q has only common words (like "the" or "and"), which every post contains; '
                     "add a word that says what you are looking for")
ONLY_EXCLUSIONS = "q needs a word to find, not only words to exclude"
TOO_MANY_TERMS = f"q has at most {MAX_TERMS} words and phrases"
ONE_AUTHOR = "q names at most one @author"


def folded(text):
    """Text as it is compared: compatibility forms unified, accents removed, case folded ("Ÿ" -> "y")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens_of(text):
    """The words of `text` (NFKC: "ｅｘａｍ" is "exam"), as written otherwise: each database folds them its way."""
    return tuple(TOKEN.findall(unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class Term:
    """A word (one token), a word the tokenizer splits ("e-mail": a phrase of two) or a quoted phrase.
    `prefix`: its last token matches any word it begins ("exa" finds "exam")."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class TextQuery:
    """All `clauses` must match, each by any of its terms; no `excluded` term may match. `tags` and
    `author` are filters the text carried (`#tag`, `@username`)."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    tags: tuple[str, ...] = ()
    author: str | None = None

    @property
    def has_text(self):
        return bool(self.clauses)

    def terms(self):
        """Every term that must or may match (what a highlight marks)."""
        return [term for clause in self.clauses for term in clause]


def parse(text, stopwords=frozenset()):
    """The TextQuery of `text`; ValueError (its message is the 422's) when there is nothing to search
    for. Words in `stopwords` are dropped unless quoted: a phrase keeps them, as its meaning needs them."""
    clauses, excluded, tags, authors = [], [], [], set()
    pending_or = saw_common_word = False
    pieces = list(PIECE.finditer(text))
    for piece in pieces:
        negated, phrase, word = piece.group(1), piece.group(2), piece.group(3)
        if word == OR:
            pending_or = bool(clauses)
            continue
        if word is not None and len(word) > 1 and word[0] in "#@":
            (tags.append if word[0] == "#" else authors.add)(word[1:])
            continue
        if word is not None and len(word) > 1 and word[0] == "-":
            negated, word = "-", word[1:]
        tokens = tokens_of(phrase if phrase is not None else word)
        if not tokens:
            continue
        if word is not None and len(tokens) == 1 and folded(tokens[0]) in stopwords:
            saw_common_word = True
            continue
        typing = piece is pieces[-1] and word is not None and not negated and not text[-1:].isspace()
        term = Term(tokens, prefix=typing)
        if negated:
            excluded.append(term)
        elif pending_or:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        pending_or = False
    if len(authors) > 1:
        raise ValueError(ONE_AUTHOR)
    if sum(map(len, clauses)) + len(excluded) > MAX_TERMS:
        raise ValueError(TOO_MANY_TERMS)
    if not clauses and (excluded or saw_common_word or not (tags or authors)):
        raise ValueError(ONLY_EXCLUSIONS if excluded else ONLY_COMMON_WORDS if saw_common_word else NOTHING_TO_FIND)
    return TextQuery(tuple(map(tuple, clauses)), tuple(excluded), tuple(tags), next(iter(authors), None))
