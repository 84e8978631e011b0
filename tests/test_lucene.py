"""User text never speaks Lucene syntax in a full-text query (graph_service/search/lucene.py)."""

from graph_service.search.lucene import any_of, escape


def test_special_characters_are_escaped():
    assert escape('a+b (c) "d" e*? f:g\\ h/i') == r'a\+b \(c\) \"d\" e\*\? f\:g\\ h\/i'
    assert escape("x && y || !z") == r"x \&\& y \|\| \!z"


def test_operator_words_are_quoted():
    assert escape("wang AND li") == 'wang "AND" li'
    assert escape("not") == '"not"'


def test_any_of_skips_blank_keys():
    assert any_of(["恒信建材", " ", "恒信(郴州)"]) == r"(恒信建材) OR (恒信\(郴州\))"
