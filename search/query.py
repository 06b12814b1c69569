r"""The query language: user text in, a small tree of frozen dataclasses out.

    多边主义 裁军            both words (AND is implicit)
    多边 AND 裁军            the same: AND may be written
    决定 OR 请  决定 | 请    either word
    -核  NOT 核             without the word
    "核 裁军"               one term, spaces and all; \" and \\ stand for " and \
    (多边 OR 双边) 主义      grouping
    session:68  verb:"决定"  a filter on a field of FILTER_FIELDS

NOT and - bind tightest, then the implicit AND, then OR, so `a b OR c` is
Or(And(a, b), c). Chinese has no spaces between words, so a bare term is the whole
run of characters up to a space, parenthesis, quote or `|`; adjacent operands such
as `(a)b` are separate terms ANDed, never glued into one word. Only ASCII characters
are syntax: the resolutions themselves are full of “”, （） and ：, so a pasted
题为“全面彻底裁军”的项目 must search for exactly that text (the ideographic space
separates terms like a space). Term and filter text keep the characters as typed,
leaving normalisation to the analysis layer. Field names ignore case (Session:68); a double negation cancels;
a - must touch what it negates (`a - b` is an error). The parser only reads: it imports nothing from the engine, and
what a negation-only query or a filter value means is for the engine to decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

FILTER_FIELDS = (
    "session",
    "resolution",
    "body",
    "type",
    "verb",
    "cites",
    "from",
    "to",
    "symbol",
    "report",
    "committee",
    "agenda",
)

# A bound on parenthesis nesting keeps the recursive parser, and whoever walks the tree
# after it, far from Python's recursion limit; real queries nest two or three deep.
MAX_DEPTH = 50

# Control characters separate terms like spaces: pasted text brings tabs, newlines and
# stray NULs, and none of them can be part of a word the index holds.
_SEPARATORS = r"\s\x00-\x1f\x7f-\x9f"
_SPACE = re.compile(rf"[{_SEPARATORS}]+")
_WORD = re.compile(rf'[^{_SEPARATORS}()"|]+')
_PHRASE = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
_ESCAPE = re.compile(r'\\(["\\])')
# Only an ASCII-letter prefix can name a field; 时间:2013 or A/68:1 is plain text.
_FIELD = re.compile(r"([A-Za-z]+):")

_OPERAND, _LPAREN, _RPAREN, _OR, _AND, _NOT, _END = ("operand", "(", ")", "OR", "AND", "NOT", "end")
_PUNCTUATION = {"(": _LPAREN, ")": _RPAREN, "|": _OR}
_KEYWORDS = {"OR": _OR, "AND": _AND, "NOT": _NOT}


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Filter:
    field: str
    value: str


Node = Term | And | Or | Not | Filter


class QuerySyntaxError(ValueError):
    """The query does not follow the query language."""

    def __init__(self, query: str, position: int, message: str, hint: str):
        # All four go to ValueError so the error survives pickling between processes.
        super().__init__(query, position, message, hint)
        self.query = query
        self.position = position
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        # Columns count from 1, as editors and compilers count them.
        return f"{self.message} at column {self.position + 1}: {self.hint}"


def parse_query(text: str) -> Node | None:
    """Parse a user query; None when it holds nothing to search for."""
    return _Parser(text).parse()


def terms(node: Node | None) -> list[str]:
    """The texts of the terms not under a NOT, in order of appearance, repeats kept."""
    return [
        leaf.text for leaf, positive in _leaves(node, True) if positive and isinstance(leaf, Term)
    ]


# What a Chinese keyboard types where the query language wants ASCII, and what it then means.
_FULL_WIDTH_SYNTAX = (
    (re.compile(r"[“”＂]"), '"', "a phrase"),
    (re.compile(r"（"), "(", "a group"),
    (re.compile(r"）"), ")", "a group"),
    (re.compile(r"(?:(?<=^)|(?<=[\s(（]))[－—]"), "-", "an exclusion"),
    (re.compile(r"｜"), "|", "OR"),
    (re.compile(rf"(?i)\b({'|'.join(FILTER_FIELDS)})："), r"\1:", "a filter"),
    (re.compile(r"(?<=\s)(or|and|not)(?=\s)"), lambda m: m.group(1).upper(), "an operator"),
)


def ascii_syntax(query: str) -> tuple[str, list[str]] | None:
    """The query with syntax typed full-width (or or/and/not in lower case) made ASCII, and
    what the changes mean ("a phrase", …); None when nothing reads as such syntax."""
    meanings: list[str] = []
    for pattern, replacement, meaning in _FULL_WIDTH_SYNTAX:
        query, count = pattern.subn(replacement, query)
        if count and meaning not in meanings:
            meanings.append(meaning)
    return (query, meanings) if meanings else None


def filters(node: Node | None) -> list[Filter]:
    """Every filter in order of appearance, negated ones included."""
    return [leaf for leaf, _ in _leaves(node, True) if isinstance(leaf, Filter)]


def _leaves(node: Node | None, positive: bool) -> Iterator[tuple[Node, bool]]:
    if isinstance(node, Not):
        yield from _leaves(node.child, False)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _leaves(child, positive)
    elif node is not None:
        yield node, positive


class _Token(NamedTuple):
    kind: str
    position: int
    end: int
    text: str  # as typed, for messages
    node: Node | None = None  # the Term or Filter of an operand


def _lex(query: str) -> Iterator[_Token]:
    # A generator, so that the parser meets errors from left to right.
    position = 0
    while True:
        space = _SPACE.match(query, position)
        if space:
            position = space.end()
        if position == len(query):
            yield _Token(_END, position, position, "")
            return
        token = _read(query, position)
        yield token
        position = token.end


def _read(query: str, start: int) -> _Token:
    char = query[start]
    if char in _PUNCTUATION:
        return _Token(_PUNCTUATION[char], start, start + 1, query[start])
    if char == '"':
        text, end = _phrase(query, start)
        if not text:
            raise QuerySyntaxError(
                query, start, "empty phrase", "put words between the quotes or remove them"
            )
        return _Token(_OPERAND, start, end, query[start:end], Term(text))
    if char == "-":
        return _minus(query, start)
    run = _WORD.match(query, start)
    assert run is not None  # the character at start is no separator, quote or punctuation
    end = run.end()
    word = query[start:end]
    if word in _KEYWORDS:
        return _Token(_KEYWORDS[word], start, end, word)
    field = _FIELD.match(query, start)
    if field:
        return _filter(query, field, end)
    return _Token(_OPERAND, start, end, query[start:end], Term(query[start:end]))


def _minus(query: str, start: int) -> _Token:
    # A detached - (`a - b`) is more likely a stray hyphen than a negation of b.
    after = start + 1
    if after == len(query) or _SPACE.match(query, after):
        raise _dangling_negation(query, start, "-")
    return _Token(_NOT, start, after, "-")


def _filter(query: str, field: re.Match, word_end: int) -> _Token:
    name = field.group(1).lower()
    start = field.start()
    if name not in FILTER_FIELDS:
        raise QuerySyntaxError(
            query,
            start,
            f"unknown field '{field.group(1)}'",
            f"known fields are {', '.join(FILTER_FIELDS)};"
            " to search for the text itself, put it in quotes",
        )
    value_start = field.end()
    if value_start < word_end:
        value, end = query[value_start:word_end], word_end
    elif query.startswith('"', value_start):
        value, end = _phrase(query, value_start)
    else:
        value, end = "", value_start
    if not value:
        raise QuerySyntaxError(
            query,
            value_start,
            f"empty value for {name}",
            f'write the value right after the colon, as in {name}:VALUE or {name}:"A VALUE"',
        )
    return _Token(_OPERAND, start, end, query[start:end], Filter(name, value))


def _phrase(query: str, start: int) -> tuple[str, int]:
    match = _PHRASE.match(query, start)
    if not match:
        raise QuerySyntaxError(
            query, start, "unbalanced quote", 'close the phrase with " or remove it'
        )
    inner = query[match.start(1) : match.end(1)]
    return _ESCAPE.sub(r"\1", inner).strip(), match.end()


def _dangling_negation(query: str, position: int, operator: str) -> QuerySyntaxError:
    if operator == "NOT":
        hint = "follow NOT with the term to exclude, as in NOT 核, or remove it"
    else:
        hint = "attach - to the term to exclude, as in -核, or remove it"
    return QuerySyntaxError(query, position, f"{operator} with nothing after it", hint)


def _join(kind: type[And] | type[Or], nodes: list[Node]) -> Node:
    if len(nodes) == 1:
        return nodes[0]
    flat: list[Node] = []
    for node in nodes:
        flat.extend(node.children if isinstance(node, kind) else (node,))
    return kind(tuple(flat))


def _negate(node: Node) -> Node:
    # Cancelling double negation keeps a run of 10,000 NOTs from building a tree
    # 10,000 levels deep.
    return node.child if isinstance(node, Not) else Not(node)


class _Parser:
    """Recursive descent over the tokens: disjunction > conjunction > negation > primary."""

    def __init__(self, query: str):
        self.query = query
        self.tokens = _lex(query)
        self.current = next(self.tokens)
        self.depth = 0

    def take(self) -> _Token:
        token = self.current
        self.current = next(self.tokens)
        return token

    def error(self, token: _Token, message: str, hint: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.query, token.position, message, hint)

    def parse(self) -> Node | None:
        node = self.disjunction()
        if self.current.kind == _RPAREN:
            stray = self.current
            raise self.error(stray, f"unbalanced {stray.text}", "remove it or add a ( before it")
        return node

    def disjunction(self) -> Node | None:
        first = self.conjunction()
        if first is None:
            if self.current.kind in (_OR, _AND):
                raise self.error(
                    self.current,
                    f"{self.current.text} with nothing before it",
                    f"put a term on each side of {self.current.text}, or remove it",
                )
            return None
        nodes = [first]
        while self.current.kind == _OR:
            operator = self.take()
            node = self.conjunction()
            if node is None:
                raise self.missing_right_operand(operator)
            nodes.append(node)
        return _join(Or, nodes)

    def missing_right_operand(self, operator: _Token) -> QuerySyntaxError:
        second = self.current
        if second.kind == _OR:
            message = f"{second.text} right after {operator.text}"
            return self.error(second, message, "remove one of them")
        return self.error(
            operator,
            f"{operator.text} with nothing after it",
            f"put a term on each side of {operator.text}, or remove it",
        )

    def conjunction(self) -> Node | None:
        nodes: list[Node] = []
        while True:
            if nodes and self.current.kind == _AND:  # AND may be written; it is implied anyway
                operator = self.take()
                if self.current.kind not in (_OPERAND, _LPAREN, _NOT):
                    raise self.missing_right_operand(operator)
            elif self.current.kind not in (_OPERAND, _LPAREN, _NOT):
                break
            nodes.append(self.negation())
        return _join(And, nodes) if nodes else None

    def negation(self) -> Node:
        operators = []
        while self.current.kind == _NOT:
            operators.append(self.take())
        if operators and self.current.kind not in (_OPERAND, _LPAREN):
            raise _dangling_negation(self.query, operators[-1].position, operators[-1].text)
        node = self.primary()
        for _ in operators:
            node = _negate(node)
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == _OPERAND and token.node is not None:
            return token.node
        return self.group(token)

    def group(self, opening: _Token) -> Node:
        if self.depth == MAX_DEPTH:
            raise self.error(
                opening, f"parentheses nested more than {MAX_DEPTH} deep", "remove some of them"
            )
        self.depth += 1
        node = self.disjunction()
        self.depth -= 1
        if self.current.kind != _RPAREN:
            raise self.error(
                opening, f"unbalanced {opening.text}", "close the group with ) or remove it"
            )
        self.take()
        if node is None:
            raise self.error(opening, "empty parentheses", "put terms between them or remove them")
        return node
