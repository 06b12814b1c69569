import pickle
import time

import pytest

from search.query import (
    FILTER_FIELDS,
    MAX_DEPTH,
    And,
    Filter,
    Not,
    Or,
    QuerySyntaxError,
    Term,
    filters,
    parse_query,
    terms,
)

T, N, F = Term, Not, Filter


def A(*children):
    return And(children)


def O(*children):  # noqa: E743 - reads like the operator it builds
    return Or(children)


AST_CASES = [
    # Chinese has no spaces inside a sentence: a run of characters is one term.
    ("多边主义", T("多边主义")),
    ("核裁军谈判", T("核裁军谈判")),
    ("裁军 -核", A(T("裁军"), N(T("核")))),
    ('"核 裁军"', T("核 裁军")),
    ("决定 OR 请", O(T("决定"), T("请"))),
    ("决定 | 请", O(T("决定"), T("请"))),
    ("决定|请", O(T("决定"), T("请"))),
    ("session:68 多边主义", A(F("session", "68"), T("多边主义"))),
    ("verb:决定", F("verb", "决定")),
    ("cites:A/RES/68/46", F("cites", "A/RES/68/46")),
    ("from:2013-01-01 to:2013-12-31", A(F("from", "2013-01-01"), F("to", "2013-12-31"))),
    ('verb:"再次 吁请"', F("verb", "再次 吁请")),
    ("Session:68", F("session", "68")),
    ("NOT session:68", N(F("session", "68"))),
    ("-type:operative", N(F("type", "operative"))),
    # Precedence: NOT, then implicit AND, then OR.
    ("a b OR c", O(A(T("a"), T("b")), T("c"))),
    ("a OR b c", O(T("a"), A(T("b"), T("c")))),
    ("NOT a b", A(N(T("a")), T("b"))),
    ("-a OR b", O(N(T("a")), T("b"))),
    ("-(a OR b)", N(O(T("a"), T("b")))),
    ("NOT(a)", N(T("a"))),
    ("a OR(b)", O(T("a"), T("b"))),
    # Grouping, and flattening of nested groups of the same kind.
    ("(a OR b) (c OR d)", A(O(T("a"), T("b")), O(T("c"), T("d")))),
    ("a (b c)", A(T("a"), T("b"), T("c"))),
    ("(a b) (c d)", A(T("a"), T("b"), T("c"), T("d"))),
    ("a OR (b OR c)", O(T("a"), T("b"), T("c"))),
    ("((a))", T("a")),
    # Adjacent operands are separate terms, never glued into one word.
    ("(a)b", A(T("a"), T("b"))),
    ("a(b)", A(T("a"), T("b"))),
    ('"a"b', A(T("a"), T("b"))),
    # Only ASCII characters are syntax: the resolutions are full of “”, （） and ：, so a
    # pasted passage searches for exactly its text. Full-width forms are term characters;
    # the ideographic space U+3000 alone still separates terms like a space.
    # What a Chinese IME types for grouping, a phrase or a field is text too.
    ("（多边 OR 双边）主义", O(T("（多边"), T("双边）主义"))),
    ("（a", T("（a")),
    ("a （\u3000）", A(T("a"), T("（"), T("）"))),
    ("“核 裁军”", A(T("“核"), T("裁军”"))),
    ("“核\u3000裁军”", A(T("“核"), T("裁军”"))),
    ("多边\u3000主义", A(T("多边"), T("主义"))),
    ("\u3000a\u3000OR\u3000\u3000b\u3000", O(T("a"), T("b"))),
    ("session：68", T("session：68")),
    ("a -Foo：bar", A(T("a"), N(T("Foo：bar")))),
    ("Ｓession:68", T("Ｓession:68")),
    ("verb:“决定”", F("verb", "“决定”")),
    ("a｜b", T("a｜b")),
    ("－核", T("－核")),
    ("ａ ＯＲ ｂ", A(T("ａ"), T("ＯＲ"), T("ｂ"))),
    # A colon belongs to the term unless an ASCII-letter prefix names a field.
    ("时间:2013", T("时间:2013")),
    ("时间：2013", T("时间：2013")),
    ("A/68:1", T("A/68:1")),
    (":", T(":")),
    ("A/RES/68/46", T("A/RES/68/46")),
    ("a-b", T("a-b")),
    # Only the uppercase words are operators.
    ("a or not b", A(T("a"), T("or"), T("not"), T("b"))),
    ("aOR ORb NOTa", A(T("aOR"), T("ORb"), T("NOTa"))),
    # Negation-only queries are left for the engine to interpret.
    ("-核 -裁军", A(N(T("核")), N(T("裁军")))),
    ("--a", T("a")),
    ("-(-a)", T("a")),
    ("NOT -a", T("a")),
    # ASCII quotes: outer spaces dropped, \" and \\ escaped, other backslashes literal;
    # outside them a backslash is an ordinary character.
    ('" 核 "', T("核")),
    (r'a"b\"c"', A(T("a"), T('b"c'))),
    (r'"C:\\"', T("C:\\")),
    (r'"a\b"', T(r"a\b")),
    ("“他说\\”好\\””", T("“他说\\”好\\””")),
    # Control characters separate terms like spaces.
    ("a\tb\nc\x00d\x7fe", A(T("a"), T("b"), T("c"), T("d"), T("e"))),
    ("，。！？", T("，。！？")),
    ("!@#$%^&*", T("!@#$%^&*")),
]


@pytest.mark.parametrize(("query", "expected"), AST_CASES)
def test_parse_query_builds_exact_tree(query, expected):
    assert parse_query(query) == expected


def test_pasted_text_with_full_width_quotes_is_one_term():
    assert parse_query("题为“全面彻底裁军”的项目") == T("题为“全面彻底裁军”的项目")
    # ” inside ASCII quotes is text, not the end of the phrase.
    assert parse_query('"行动”的分项"') == T("行动”的分项")


@pytest.mark.parametrize("query", ["", "   ", "\u3000", "\x00\x01\t\n"])
def test_parse_query_returns_none_for_nothing_to_search(query):
    assert parse_query(query) is None


OR_HINT = "put a term on each side of OR, or remove it"
NOT_HINT = "follow NOT with the term to exclude, as in NOT 核, or remove it"
MINUS_HINT = "attach - to the term to exclude, as in -核, or remove it"
FIELDS_HINT = (
    "known fields are session, resolution, body, type, verb, cites, from, to, symbol, report, "
    "committee, agenda;"
    " to search for the text itself, put it in quotes"
)

ERROR_CASES = [
    ('a "b', 2, 'unbalanced quote at column 3: close the phrase with " or remove it'),
    ('"', 0, 'unbalanced quote at column 1: close the phrase with " or remove it'),
    ('“a"b”', 2, 'unbalanced quote at column 3: close the phrase with " or remove it'),
    (r'"a\"', 0, 'unbalanced quote at column 1: close the phrase with " or remove it'),
    ('""', 0, "empty phrase at column 1: put words between the quotes or remove them"),
    ('" "', 0, "empty phrase at column 1: put words between the quotes or remove them"),
    ("(a", 0, "unbalanced ( at column 1: close the group with ) or remove it"),
    ("((a)", 0, "unbalanced ( at column 1: close the group with ) or remove it"),
    ("(a (b", 3, "unbalanced ( at column 4: close the group with ) or remove it"),
    ("a)", 1, "unbalanced ) at column 2: remove it or add a ( before it"),
    (")", 0, "unbalanced ) at column 1: remove it or add a ( before it"),
    ("(a))", 3, "unbalanced ) at column 4: remove it or add a ( before it"),
    ("OR", 0, f"OR with nothing before it at column 1: {OR_HINT}"),
    ("OR a", 0, f"OR with nothing before it at column 1: {OR_HINT}"),
    ("(OR a)", 1, f"OR with nothing before it at column 2: {OR_HINT}"),
    ("a OR", 2, f"OR with nothing after it at column 3: {OR_HINT}"),
    ("(a OR)", 3, f"OR with nothing after it at column 4: {OR_HINT}"),
    ("a OR OR b", 5, "OR right after OR at column 6: remove one of them"),
    ("a || b", 3, "| right after | at column 4: remove one of them"),
    ("|", 0, "| with nothing before it at column 1: put a term on each side of |, or remove it"),
    ("NOT", 0, f"NOT with nothing after it at column 1: {NOT_HINT}"),
    ("a NOT", 2, f"NOT with nothing after it at column 3: {NOT_HINT}"),
    ("NOT OR a", 0, f"NOT with nothing after it at column 1: {NOT_HINT}"),
    ("(NOT)", 1, f"NOT with nothing after it at column 2: {NOT_HINT}"),
    ("-", 0, f"- with nothing after it at column 1: {MINUS_HINT}"),
    ("a -", 2, f"- with nothing after it at column 3: {MINUS_HINT}"),
    ("a - b", 2, f"- with nothing after it at column 3: {MINUS_HINT}"),
    ("(-)", 1, f"- with nothing after it at column 2: {MINUS_HINT}"),
    ("()", 0, "empty parentheses at column 1: put terms between them or remove them"),
    ("a (\u3000)", 2, "empty parentheses at column 3: put terms between them or remove them"),
    ("((()))", 2, "empty parentheses at column 3: put terms between them or remove them"),
    ("foo:bar", 0, f"unknown field 'foo' at column 1: {FIELDS_HINT}"),
    ("a -Foo:bar", 3, f"unknown field 'Foo' at column 4: {FIELDS_HINT}"),
    ("委员会 Commitee:第一委员会", 4, f"unknown field 'Commitee' at column 5: {FIELDS_HINT}"),
    ("http://un.org", 0, f"unknown field 'http' at column 1: {FIELDS_HINT}"),
    (
        "session:",
        8,
        "empty value for session at column 9: write the value right after the colon,"
        ' as in session:VALUE or session:"A VALUE"',
    ),
    (
        "session: 68",
        8,
        "empty value for session at column 9: write the value right after the colon,"
        ' as in session:VALUE or session:"A VALUE"',
    ),
    (
        'verb:""',
        5,
        "empty value for verb at column 6: write the value right after the colon,"
        ' as in verb:VALUE or verb:"A VALUE"',
    ),
    (
        "(session:)",
        9,
        "empty value for session at column 10: write the value right after the colon,"
        ' as in session:VALUE or session:"A VALUE"',
    ),
]


@pytest.mark.parametrize(("query", "position", "message"), ERROR_CASES)
def test_syntax_errors_give_position_and_one_line_message(query, position, message):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    error = caught.value
    assert (error.query, error.position, str(error)) == (query, position, message)
    assert error.hint == message.split(": ", 1)[1]


def test_syntax_error_is_a_value_error_that_survives_pickling():
    with pytest.raises(ValueError) as caught:
        parse_query("a OR")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.query, copy.position, copy.hint, str(copy)) == (
        "a OR",
        2,
        OR_HINT,
        str(caught.value),
    )


def test_the_leftmost_error_is_reported():
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(') "unclosed foo:bar')
    assert caught.value.position == 0


def test_unknown_field_message_lists_every_known_field():
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("foo:bar")
    assert all(field in caught.value.hint for field in FILTER_FIELDS)


def test_every_known_field_makes_a_filter():
    for field in FILTER_FIELDS:
        assert parse_query(f"{field}:x") == F(field, "x")


# Hostile input: never hangs, never lets a RecursionError escape.


def test_long_queries_parse_quickly():
    started = time.perf_counter()
    assert parse_query("核" * 10_000) == T("核" * 10_000)
    assert parse_query("a " * 5_000) == And((T("a"),) * 5_000)
    assert parse_query("a OR " * 2_000 + "a") == Or((T("a"),) * 2_001)
    assert parse_query("-" * 10_000 + "a") == T("a")
    assert parse_query("-" * 9_999 + "a") == N(T("a"))
    assert parse_query("NOT " * 2_500 + "a") == T("a")
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    "query",
    ["(" * 1_000, "(" * 1_000 + "a" + ")" * 1_000, "-(" * 1_000 + "a", "(a OR " * 1_000 + "b"],
)
def test_deep_nesting_is_a_syntax_error_not_a_recursion_error(query):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert str(caught.value) == (
        f"parentheses nested more than {MAX_DEPTH} deep at column {caught.value.position + 1}:"
        " remove some of them"
    )
    assert query[caught.value.position] == "("


def test_deepest_allowed_nesting_parses_and_its_tree_can_be_walked():
    assert parse_query("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH) == T("a")
    # Alternating Or, And and Not defeat flattening: the deepest tree the parser builds.
    levels = MAX_DEPTH // 2
    query = "".join(f"w{i} OR -(v{i} (" for i in range(levels)) + "x" + "))" * levels
    tree = parse_query(query)
    assert tree == parse_query(query)
    assert hash(tree) == hash(parse_query(query)) and repr(tree)
    assert terms(tree) == ["w0"]
    query = "".join(f"w{i} OR (v{i} " for i in range(MAX_DEPTH)) + "x" + ")" * MAX_DEPTH
    expected = [word for i in range(MAX_DEPTH) for word in (f"w{i}", f"v{i}")] + ["x"]
    assert terms(parse_query(query)) == expected


@pytest.mark.parametrize(
    ("query", "position"),
    [('"' * 10_000, 0), ('"' * 10_001, 0), (")" * 10_000, 0), ("|" * 10_000, 0)],
)
def test_punctuation_floods_are_syntax_errors(query, position):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.position == position


# terms() and filters()


def test_terms_are_positive_texts_in_order_of_appearance():
    tree = parse_query('a -b (c OR -d) session:68 NOT (e f) "g h" a')
    assert terms(tree) == ["a", "c", "g h", "a"]


def test_terms_of_nothing_is_empty():
    assert terms(None) == []
    assert terms(parse_query("session:68 -核")) == []


def test_filters_include_negated_ones_in_order():
    tree = parse_query("多边 session:68 -verb:决定 (type:operative OR a)")
    assert filters(tree) == [F("session", "68"), F("verb", "决定"), F("type", "operative")]
    assert filters(None) == []


def test_and_may_be_written_and_needs_operands():
    assert parse_query("多边 AND 裁军") == parse_query("多边 裁军")
    assert parse_query("a AND b OR c") == Or((And((Term("a"), Term("b"))), Term("c")))
    assert parse_query("a and b") == And((Term("a"), Term("and"), Term("b")))
    for query in ("AND a", "a AND", "a AND OR b"):
        with pytest.raises(QuerySyntaxError):
            parse_query(query)
