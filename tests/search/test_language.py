"""The search language (loopin/fulltext/language.py), what each database is sent (matching.py) and the
highlights (highlights.py): no database needed, every form and every refusal."""

import pytest

from loopin.fulltext import language
from loopin.fulltext.highlights import highlights, marker, stemmer_of
from loopin.fulltext.language import Term, TextQuery, parse
from loopin.fulltext.matching import fts5_text, tsquery_parts, tsquery_text
from loopin.fulltext.stopwords import ENGLISH


def test_words_phrases_exclusions_or_tags_and_author():
    query = parse('lab "end of term" -cancelled exam OR test #Event @Ann_B', ENGLISH)
    assert query == TextQuery(
        clauses=((Term(("lab",)),), (Term(("end", "of", "term")),), (Term(("exam",)), Term(("test",)))),
        excluded=(Term(("cancelled",)),), tags=("Event",), author="Ann_B")


def test_the_last_word_being_typed_is_a_prefix():
    assert parse("lab exa").clauses[-1] == (Term(("exa",), prefix=True),)
    assert parse("lab exa ").clauses[-1] == (Term(("exa",)),)  # a space after it: the word is whole
    assert parse('lab "exa"').clauses[-1] == (Term(("exa",)),)  # a phrase is as quoted
    assert parse("lab -exa").excluded == (Term(("exa",)),)


def test_common_words_are_dropped_unless_quoted():
    assert parse("The Exam", ENGLISH).clauses == ((Term(("Exam",), prefix=True),),)
    assert parse('"the exam"', ENGLISH).clauses == ((Term(("the", "exam")),),)


def test_a_word_the_tokenizer_splits_is_a_phrase_and_punctuation_is_no_word():
    assert parse("e-mail !!! x").clauses == ((Term(("e", "mail")),), (Term(("x",), prefix=True),))


@pytest.mark.parametrize(("text", "message"), [
    ("", language.NOTHING_TO_FIND), ("  !!! ", language.NOTHING_TO_FIND), ("the and of", language.ONLY_COMMON_WORDS),
    ("-exam", language.ONLY_EXCLUSIONS), ("@a @b exam", language.ONE_AUTHOR),
    (" ".join(f"w{n}" for n in range(13)), language.TOO_MANY_TERMS),
])
def test_queries_with_nothing_to_search_for_are_refused(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text, ENGLISH)


def test_filters_alone_are_a_query():
    assert parse("#Event @ann") == TextQuery(tags=("Event",), author="ann")


def test_each_database_gets_the_same_query_in_its_own_syntax():
    query = parse('lab "end of term" -cancelled exam OR tes', ENGLISH)
    assert tsquery_text(query) == "'lab' & ('end' <-> 'of' <-> 'term') & ('exam' | 'tes':*) & !'cancelled'"
    assert fts5_text(query) == '("lab" AND "end of term" AND ("exam" OR "tes"*)) NOT "cancelled"'
    assert fts5_text(parse("lab")) == '"lab"*'


def test_postgresql_finds_the_word_being_typed_apart():
    # The word being typed goes to the database alone (its indexed beginning), with its OR's other terms.
    assert tsquery_parts(parse("lab -x exam OR tes", ENGLISH)) == ("'lab' & !'x'", "'exam'", "tes")
    assert tsquery_parts(parse("lab exam ", ENGLISH)) == ("'lab' & 'exam'", "", "")
    assert tsquery_parts(parse("e-ma")) == ("('e' <-> 'ma':*)", "", "")  # a split word keeps the prefix match


def test_highlights_mark_stemmed_and_folded_words_with_utf16_offsets():
    marks = marker(parse("exam cafe ", ENGLISH), stemmer_of("english"), ENGLISH)
    found = highlights({"title": "🎓 Exams at the Café", "content": "nothing here"}, marks)
    # The emoji is two UTF-16 code units: "Exams" starts at 3, as JavaScript counts.
    assert found == [{"field": "title", "text": "🎓 Exams at the Café", "offset": 0, "matches": [[3, 8], [16, 20]]}]


def test_a_prefix_marks_every_word_it_begins_and_a_long_field_shows_a_fragment():
    marks = marker(parse("lab exa"), stemmer_of("english"), ENGLISH)
    content = "word " * 100 + "the examination of the lab " + "tail " * 100
    [found] = highlights({"content": content}, marks)
    assert found["offset"] > 0 and len(found["text"]) <= 160
    assert [found["text"][a:b] for a, b in found["matches"]] == ["examination", "lab"]
    assert content[found["offset"]:].startswith(found["text"])
