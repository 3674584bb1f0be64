"""The pure parts of search (advisory/core/search.py): folding, safe terms, marks."""
from advisory.core import search


def test_accents_and_case_fold_away():
    assert search.words("Émilie Ørsted-ŁUKASZ, Straße") == "emilie orsted lukasz strasse"
    assert search.terms("ÉMILIE") == ["emilie"]


def test_a_query_keeps_only_words_so_no_engine_syntax_gets_through():
    hostile = 'negot* "reorg" NEAR(a b) -x (y) OR AND NOT: ^col {u}: \0 😀 \'; DROP'
    wanted = search.terms(hostile)
    assert wanted == ["negot", "reorg", "near", "a", "b", "x", "y", "or"]  # at most eight
    for term in wanted:
        assert term.isalnum()
    assert search.fts5_match(7, ["negot", "near"]) == \
        '"7_negot"* "7_near"* AND words : ("7_negot"* OR "7_near"*)'
    assert search.tsqueries(["negot", "near"]) == ("'negot':* & 'near':*",
                                                    "'negot':*D | 'near':*D")
    assert search.terms("*** \"\" () - 😀") == []
    assert len(search.terms("word " * 5000)) == 1


def test_marks_every_word_starting_with_a_term_and_escapes_the_rest():
    marked = search.mark('<b>Negotiation</b> & negotiating with "Émilie"', ["negot", "emil"])
    assert marked == ('&lt;b&gt;<mark>Negotiation</mark>&lt;/b&gt; &amp; <mark>negotiating</mark>'
                      ' with &#34;<mark>Émilie</mark>&#34;')


def test_decomposed_accents_are_marked_whole():
    assert search.mark("E\u0301milie", ["emilie"]) == "<mark>Émilie</mark>"


def test_a_long_text_shows_the_part_around_its_first_match():
    text = "filler " * 100 + "the reorg is coming " + "more " * 100
    marked = search.mark(text, ["reorg"])
    assert "<mark>reorg</mark>" in marked
    assert marked.startswith("…") and marked.endswith("…")
    assert len(marked) < 220
    assert search.mark("short note", ["zzz"]) == "short note"
