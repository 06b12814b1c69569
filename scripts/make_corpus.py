"""Generate a synthetic corpus of Chinese General Assembly resolutions, in the shapes found.

    python scripts/make_corpus.py OUT_DIR --count 20000 [--seed 1] [--markdown-share 0.2]
        [--wild-share 0.1] [--check]
    python scripts/make_corpus.py OUT_DIR --paragraphs 100000   # as many files as that takes

The files imitate the bundled corpus (``index_data/``) line for line:

- PDF-extracted text (000, 001, 003 and, without bold, 002): the adoption line, ``SS/NN. 标题``,
  the subject ``大会大会大会大会，``, paragraphs opening on an indented line with the clause
  starter printed four times (word-wise ``回顾回顾回顾回顾`` or character-wise
  ``确确确确认认认认``) or once, hard wraps every ~35 characters with a blank line between the
  halves, footnote markers as a lone number line or a digit after ``》``/``，``, footnote bodies
  after a ``_______________`` rule (or numbered on one line, or without the rule), running page
  headers ``A/RES/SS/NN 标题…`` and page numbers ``2/3``, then the date and the plenary meeting;
- Markdown (004): ``## SS/NN. 标题``, ``**lead**``, ``<sup>1</sup>``, ``[73/41](#)`` links,
  a numbered list of operative paragraphs, footnote bodies between operative paragraphs and
  after a closing ``---``;
- and, for ``--wild-share`` of the files, the shapes of resolutions found on the web (see
  ``tests/data/wild``): a one-line web copy (the whole text on one line between site links,
  ASCII ``,;:()``), an old-style number in Chinese numerals (``一〇二四 (十二). 标题``, dates
  and meeting in Chinese numerals, a paragraph to a line), a resolution in two parts ``A``/``B``
  each with its title, subject, numbering and closing lines, and the PDF text in traditional
  characters (OpenCC s2t).

Paragraph bodies recombine the clauses of the bundled corpus (split at ，；。) with words drawn
from jieba's dictionary (10-30 % of each body, weighted by frequency, tempered so the index
sees a long tail of terms). Everything is derived from ``--seed``: the plan (numbers, sizes,
shapes) from one generator, each file's text from a generator seeded by (seed, file index),
so the output is identical whatever ``--jobs`` is. ``manifest.json`` records the seed, the
counts and a few rare dictionary words for benchmarks. ``--check`` parses every file with the
project's parser and compares its paragraphs (type, number, text) with what was generated.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import multiprocessing
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "index_data"
GENERATOR_VERSION = 2  # bump when the output for a given seed changes
WILD_SHAPES = ("oneline", "old", "parts", "traditional")

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

# Clause starters with rough weights: preambular (序言) and operative (执行) paragraphs.
PREAMBLE_LEADS = {
    "回顾": 14,
    "又回顾": 6,
    "还回顾": 3,
    "重申": 10,
    "又重申": 3,
    "深为关切": 5,
    "严重关切": 3,
    "满意地注意到": 3,
    "表示注意到": 3,
    "注意到": 8,
    "欢迎": 8,
    "又欢迎": 2,
    "强调": 6,
    "强调指出": 2,
    "着重指出": 2,
    "确认": 7,
    "又确认": 3,
    "认识到": 6,
    "又认识到": 2,
    "深信": 4,
    "铭记": 4,
    "意识到": 3,
    "考虑到": 4,
    "决心": 3,
    "念及": 2,
    "欣见": 2,
    "审议了": 2,
    "赞赏": 2,
    "赞赏地注意到": 2,
    "再次关切地注意到": 1,
    "表示深为关切": 1,
    "同样深为关切": 1,
    "承认": 3,
}
OPERATIVE_LEADS = {
    "决定": 14,
    "又决定": 6,
    "还决定": 2,
    "请": 16,
    "又请": 5,
    "再次请": 2,
    "吁请": 6,
    "促请": 4,
    "再次促请": 1,
    "敦促": 3,
    "鼓励": 6,
    "又鼓励": 2,
    "欢迎": 5,
    "又欢迎": 2,
    "强调": 5,
    "重申": 5,
    "又重申": 2,
    "表示注意到": 4,
    "满意地注意到": 2,
    "确认": 3,
    "呼吁": 3,
    "再次呼吁": 1,
    "赞同": 1,
    "表示赞赏": 2,
    "着重指出": 2,
    "邀请": 2,
    "建议": 2,
    "谴责": 1,
}
# Words a clause may open with (the parser's and the primer's head verbs and their modifiers):
# an indented continuation line must not start with one, or it would read as a new paragraph.
_HEAD_START_RE = re.compile(
    r"^(?:再次|同样|又|还|并|也|表示)?(?:[\u4e00-\u9fff]{1,4}?地)?(?:"
    r"回顾|忆及|重申|申明|确认|承认|认识到|认可|注意到|欢迎|欣见|欣悉|强调|着重指出|指出|深信|"
    r"确信|坚信|相信|认为|深为关切|深表关切|深感关切|严重关切|关切|关注|铭记|谨记|念及|意识到|"
    r"深知|知悉|获悉|考虑到|审议了|审查了|决心|决定|吁请|促请|敦促|呼吁|鼓励|邀请|要求|建议|"
    r"赞同|赞赏|赞扬|称赞|感谢|核可|核准|批准|宣布|宣告|强烈谴责|谴责|深感遗憾|遗憾|痛惜|震惊|"
    r"欣慰|支持|重视|希望|期待|期望|授权|请求|同意|满意|请)"
)

TITLES = (
    "推进多边核裁军谈判",
    "裁军谈判会议的报告",
    "促进裁军和不扩散领域的多边主义",
    "2013 年核裁军问题大会高级别会议的后续行动",
    "全面彻底裁军",
    "防止外层空间的军备竞赛",
    "建立中东无核武器区",
    "全面禁止核试验条约",
    "小武器和轻武器非法贸易的各个方面",
    "从国际安全角度看信息和电信领域的发展",
    "维持和平行动特别委员会的报告",
    "和平利用外层空间的国际合作",
    "援助巴勒斯坦难民",
    "消除对妇女一切形式歧视公约",
    "儿童权利",
    "土著人民的权利",
    "消除种族主义、种族歧视、仇外心理和相关不容忍行为",
    "人权与赤贫",
    "发展权",
    "食物权",
    "国际减少灾害风险战略",
    "为今世后代保护全球气候",
    "海洋和海洋法",
    "可持续渔业",
    "消除国际恐怖主义的措施",
    "国家和国际两级的法治",
    "联合国国际贸易法委员会的报告",
    "国际法委员会的报告",
    "联合国系统发展方面的业务活动",
    "南南合作",
    "农业发展、粮食安全和营养",
    "应对世界毒品问题的国际合作",
    "加强联合国预防犯罪和刑事司法方案",
    "新闻问题",
    "非自治领土问题",
    "加强联合国人道主义紧急援助的协调",
    "文化与可持续发展",
    "以体育促进发展与和平",
    "全球卫生与外交政策",
    "老龄问题第二次世界大会的后续行动",
    "残疾人权利公约及其任择议定书",
    "人力资源管理",
    "方案规划",
    "联合国的财务状况",
    "小岛屿发展中国家",
    "荒漠化",
    "保护生物多样性",
    "移徙与发展",
    "国际金融体系与发展",
    "外债可持续性与发展",
)
DOC_REFS = (
    "《联合国宪章》",
    "《联合国千年宣言》",
    "《世界人权宣言》",
    "《不扩散核武器条约》",
    "大会第十届特别会议《最后文件》",
    "《维也纳宣言和行动纲领》",
    "《儿童权利公约》",
    "《2030 年可持续发展议程》",
    "《北京宣言》和《行动纲要》",
    "《联合国海洋法公约》",
    "秘书长的报告",
    "工作组的报告",
    "特别委员会的报告",
    "《联合国全球反恐战略》",
)
CONNECTORS = ("的", "和", "与", "以及", "方面的", "领域的", "")
COMMITTEES = ("第一委员会", "第二委员会", "第三委员会", "第四委员会", "第五委员会", "第六委员会")
_DIGITS = "零一二三四五六七八九"

# Tempered frequency weighting of jieba's dictionary: weight = freq ** exponent. 1.0 would be
# the plain frequency (a few hundred words dominate); 0.5 keeps the order but reaches the tail.
DICT_EXPONENT = 0.5
_DICT_WORD_RE = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
_NAME_TAGS = frozenset(("nr", "nrt", "nrfg"))  # personal names read badly in a resolution
_CLAUSE_SPLIT_RE = re.compile(r"[，；。]")
_SPACES_RE = re.compile(r"\s+")
_PAIRS = (("《", "》"), ("“", "”"), ("(", ")"), ("（", "）"))

# Crude fallback when the project's parser is unavailable: strip the layouts by hand.
_CRUDE_DROP_RE = re.compile(
    r"<sup>\d+</sup>|\*\*|\[([^\]]*)\]\([^)]*\)|^#+.*$|^_{3,}.*$|^\s*\d+\s*$|^\s*A/RES/.*$"
    r"|^\s*\d{1,3}/\d{1,3}\s*$|^\s*\d{1,3}\s*[.．]\s*",
    re.MULTILINE,
)
_CRUDE_BOLD_RE = re.compile(r"(.{1,8}?)\1{3}")

# Citations in a body are wrapped in these marks so the Markdown shape can turn them into links.
CITE_OPEN, CITE_CLOSE = "\x02", "\x03"
_CITE_MARKS_RE = re.compile("[\x02\x03]")
_MD_CITE_RE = re.compile("\x02([^\x03]*)\x03")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 68 → 六十八, 80 → 八十 (enough for sessions and sections)."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[units] if units else "")


def normalize_verb(lead: str) -> str:
    """The primer's rule: drop 又/还/并/再次/同样/也, then 表示, then an adverb ending in 地."""
    for prefix in ("再次", "同样", "又", "还", "并", "也"):
        if lead.startswith(prefix) and len(lead) > len(prefix):
            lead = lead[len(prefix) :]
            break
    if lead.startswith("表示") and len(lead) > 2:
        lead = lead[2:]
    at = lead.find("地")
    if 0 < at < len(lead) - 1:
        lead = lead[at + 1 :]
    return lead


@dataclass
class Vocabulary:
    fragments: list[str]
    words: list[str]
    word_cum: np.ndarray  # cumulative tempered frequencies, for weighted draws


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


def _clauses_of(text: str, lead: str | None) -> list[str]:
    if lead and text.startswith(lead):
        text = text[len(lead) :]
    pieces = (_SPACES_RE.sub(" ", p).strip() for p in _CLAUSE_SPLIT_RE.split(text))
    return [p for p in pieces if 4 <= len(p) <= 60 and _balanced(p) and "A/RES/" not in p]


def load_fragments(corpus_dir: Path = BUNDLED) -> list[str]:
    """Clauses of the bundled corpus's preambular and operative paragraphs, sorted, unique."""
    files = sorted(corpus_dir.glob("*.txt")) + sorted(corpus_dir.glob("*.md"))
    fragments: set[str] = set()
    try:
        from search.parser import parse_file
    except ImportError:
        parse_file = None
    for path in files:
        if parse_file is None:
            text = _CRUDE_DROP_RE.sub(lambda m: m.group(1) or "", path.read_text("utf-8"))
            text = _CRUDE_BOLD_RE.sub(r"\1", "".join(text.split()))
            fragments.update(
                c for c in _clauses_of(text, None) if not c[0].isascii() and "全体会议" not in c
            )
            continue
        for paragraph in parse_file(path).paragraphs:
            if paragraph.type in ("preamble", "operative"):
                fragments.update(_clauses_of(paragraph.text, paragraph.lead))
    if not fragments:
        raise SystemExit(f"error: no sentence fragments found in {corpus_dir}")
    return sorted(fragments)


def jieba_dictionary() -> Path:
    """jieba's bundled ``dict.txt``, found without importing jieba (which logs on import)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise SystemExit("error: jieba is not installed; pip install jieba")
    return Path(spec.origin).parent / "dict.txt"


def load_vocabulary() -> Vocabulary:
    words, cum, total = [], [], 0.0
    with open(jieba_dictionary(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if (
                len(parts) < 2
                or not _DICT_WORD_RE.match(parts[0])
                or (len(parts) > 2 and parts[2] in _NAME_TAGS)
            ):
                continue
            freq = int(parts[1])
            if freq <= 0:
                continue
            total += freq**DICT_EXPONENT
            words.append(parts[0])
            cum.append(total)
    return Vocabulary(load_fragments(), words, np.asarray(cum))


# ---------------------------------------------------------------------------------------------
# The plan: numbers and sizes for every file, from one seeded generator
# ---------------------------------------------------------------------------------------------


@dataclass
class FilePlan:
    index: int
    session: int
    serial: int
    markdown: bool
    preamble: int
    operative: int
    footnotes: int

    @property
    def paragraphs(self) -> int:
        return self.preamble + self.operative + self.footnotes


def make_plan(
    seed: int, count: int | None, paragraphs: int | None, markdown_share: float
) -> list[FilePlan]:
    """File sizes and unique numbers SS/NN, sessions 1-80; stops at ``count`` or ``paragraphs``."""
    rng = random.Random(f"plan:{seed}")
    serials = Counter()
    plans: list[FilePlan] = []
    total = 0
    while (count is not None and len(plans) < count) or (
        paragraphs is not None and total < paragraphs
    ):
        session = rng.randint(1, 80)
        serials[session] += 1
        if serials[session] > 999:
            raise SystemExit("error: more than 999 resolutions in one session; lower --count")
        body = rng.randint(5, 40)
        operative = max(1, round(body * rng.uniform(0.35, 0.65)))
        footnotes = rng.choices(range(7), weights=(25, 20, 20, 15, 10, 6, 4))[0]
        plan = FilePlan(
            len(plans),
            session,
            serials[session],
            rng.random() < markdown_share,
            body - operative,
            operative,
            min(footnotes, body),
        )
        plans.append(plan)
        total += plan.paragraphs
    return plans


# ---------------------------------------------------------------------------------------------
# Content: a resolution as data, independent of its shape
# ---------------------------------------------------------------------------------------------


@dataclass
class GenParagraph:
    type: str  # preamble | operative
    lead: str
    pieces: list  # str, or int for a footnote marker
    number: int | None = None

    def body(self) -> str:
        return "".join(p for p in self.pieces if isinstance(p, str))


@dataclass
class GenResolution:
    number: str
    session: int
    title: str
    year: int
    day: int
    meeting: int
    adoption: str | None  # the adoption line's content, without brackets
    traditional: bool = False  # printed in traditional characters
    paragraphs: list[GenParagraph] = field(default_factory=list)
    footnotes: list[tuple[int, str]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # dictionary words used


class Composer:
    """Builds one resolution's content from a file-specific random generator."""

    def __init__(self, vocab: Vocabulary, rng: random.Random, plan: FilePlan):
        self.vocab, self.rng, self.plan = vocab, rng, plan
        self.words: list[str] = []
        self._drawn: list[str] = []

    def _word(self) -> str:
        """The next dictionary word, drawn in batches (one numpy call per 256 words)."""
        if not self._drawn:
            cum = self.vocab.word_cum
            points = np.random.default_rng(self.rng.getrandbits(64)).random(256) * cum[-1]
            self._drawn = [self.vocab.words[i] for i in np.searchsorted(cum, points, "right")]
        word = self._drawn.pop()
        self.words.append(word)
        return word

    def resolution(self) -> GenResolution:
        rng, plan = self.rng, self.plan
        session = plan.session
        res = GenResolution(
            number=f"{session}/{plan.serial}",
            session=session,
            title=rng.choice(TITLES),
            year=1945 + session,
            day=rng.randint(1, 22),
            meeting=rng.randint(40, 95),
            adoption=self._adoption(session),
        )
        marked = set(rng.sample(range(plan.preamble + plan.operative), plan.footnotes))
        marker = 0
        for i in range(plan.preamble + plan.operative):
            operative = i >= plan.preamble
            number = i - plan.preamble + 1 if operative else None
            last = operative and number == plan.operative
            if i in marked:
                marker += 1
                res.footnotes.append((marker, self._footnote_body(marker, session)))
            res.paragraphs.append(
                self._paragraph(
                    operative, number, last, session, marker if i in marked else None, res.title
                )
            )
        res.words = self.words
        return res

    def _adoption(self, session: int) -> str | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.65:
            extra = f", 第 {rng.randint(5, 120)} 段" if rng.random() < 0.2 else ""
            report = f"A/{session}/{rng.randint(380, 650)}{extra}"
            return f"根据{rng.choice(COMMITTEES)}的报告({report})通过"
        if roll < 0.85:
            return f"未交付主要委员会而通过(A/{session}/L.{rng.randint(1, 80)})"
        return None

    def _cite(self, session: int) -> str:
        rng = self.rng
        if session == 1 or rng.random() < 0.08:
            return f"S-{rng.randint(1, 30)}/{rng.randint(1, 12)}"
        cited = rng.randint(max(1, session - 15), session - 1)
        letter = f" {rng.choice('ABCT')}" if rng.random() < 0.03 else ""
        return f"{cited}/{rng.randint(1, 300)}{letter}"

    def _cite_clause(self, session: int) -> str:
        rng = self.rng
        number = self._cite(session)
        marked = f"{CITE_OPEN}{number}{CITE_CLOSE}"
        if number.startswith("S-"):
            return f" {marked} 号决议"
        cited_year = 1945 + int(number.split("/")[0])
        form = rng.random()
        if form < 0.4:
            return f"其 {cited_year} 年 12 月 {rng.randint(1, 22)} 日第 {marked} 号决议"
        if form < 0.7:
            return f"大会第 {marked} 号决议"
        return f"依照第 {marked} 号决议"

    def _footnote_body(self, number: int, session: int) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            cite = self._cite(session)
            return (
                f"{cite} 号决议，第{rng.choice('一二三四')}节。"
                if cite.startswith("S-")
                else f"第 {cite} 号决议。"
            )
        if roll < 0.5 and number > 1:
            return f"同上，第{chinese_number(rng.randint(1, 12))}节。"
        if roll < 0.7:
            return f"A/{session}/{rng.randint(100, 700)}。"
        if roll < 0.85:
            supplement = rng.randint(1, 50)
            return (
                f"《大会正式记录，第{chinese_number(session)}届会议，补编第 {supplement} 号》"
                f"(A/{session}/{supplement})。"
            )
        if roll < 0.93:
            return f"见 A/{session}/{rng.randint(100, 700)}，附件。"
        return f"联合国，《条约汇编》，第 {rng.randint(100, 2999)} 卷，第 {rng.randint(1000, 54000)} 号。"

    def _dict_clause(self, chars: int) -> str:
        rng = self.rng
        out, size = [], 0
        while size < chars:
            if out:
                joint = rng.choice(CONNECTORS)
                out.append(joint)
                size += len(joint)
            word = self._word()
            out.append(word)
            size += len(word)
        return "".join(out)

    def _paragraph(
        self,
        operative: bool,
        number: int | None,
        last: bool,
        session: int,
        marker: int | None,
        title: str,
    ) -> GenParagraph:
        rng = self.rng
        leads = OPERATIVE_LEADS if operative else PREAMBLE_LEADS
        lead = rng.choices(list(leads), weights=list(leads.values()))[0]
        clauses = rng.sample(self.vocab.fragments, rng.choices((1, 2, 3, 4), (30, 35, 25, 10))[0])
        if rng.random() < 0.2:
            clauses.insert(rng.randint(0, len(clauses)), self._cite_clause(session))
        if operative and lead in ("请", "又请") and rng.random() < 0.3:
            clauses.append(
                f"秘书长就本决议的执行情况向大会第{chinese_number(session + 1)}届会议提出报告"
            )
        if last and rng.random() < 0.5:
            lead = "决定"
            clauses = [
                f"在大会第{chinese_number(session + 1)}届会议临时议程题为“全面彻底裁军”的项目"
                f"下列入题为“{title}”的分项"
            ]
        share = rng.uniform(0.1, 0.3)
        size = sum(len(c) for c in clauses)
        extra = round(size * share / (1 - share))
        while extra > 0:
            chunk = min(extra, rng.randint(4, 14))
            clauses.insert(rng.randint(0, len(clauses)), self._dict_clause(chunk))
            extra -= chunk
        end = "。" if last else ("；" if operative else "，")
        pieces = self._with_marker(clauses, marker, end)
        return GenParagraph("operative" if operative else "preamble", lead, pieces, number)

    def _with_marker(self, clauses: list[str], marker: int | None, end: str) -> list:
        if marker is None:
            return ["，".join(clauses) + end]
        rng = self.rng
        doc = rng.choice(DOC_REFS)
        if rng.random() < 0.4:  # 《不扩散核武器条约》4 第六条…: right after the closing mark
            return [doc, marker, "所载" + "，".join(clauses) + end]
        if rng.random() < 0.2 or end != "，":  # …的报告，1 其中…
            return [doc + "，", marker, "其中" + "，".join(clauses) + end]
        return [doc + "，" + "，".join(clauses) + end, marker]  # at the very end


# ---------------------------------------------------------------------------------------------
# Shape 1: PDF-extracted text
# ---------------------------------------------------------------------------------------------

_ASCII_RUN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/.-()")
_PAGE_TOTAL = "\x00"
_INLINE_AFTER = frozenset("》），,。”")
_UNIT_CHARS = frozenset("年月日号次段届卷条款项个名%％")


def _width(text: str) -> float:
    """Printed width: a CJK character is 1, an ASCII character 1/2."""
    return (len(text.encode("utf-8")) + len(text)) / 4


class PdfWriter:
    """Lays a resolution out as the PDF extraction prints it: pages, wraps, furniture."""

    def __init__(self, res: GenResolution, rng: random.Random):
        self.res, self.rng = res, rng
        self.bold = rng.random() < 0.6
        self.footnote_style = rng.choices(("rule", "numbered", "bare"), (60, 30, 10))[0]
        self.out: list[str] = []
        self.page, self.page_lines = 1, 0
        self.capacity = rng.randint(36, 44)
        self.pending: list[tuple[int, str]] = []
        self.footnotes = dict(res.footnotes)
        self.next_indent = " "

    def render(self) -> str:
        self._head()
        for paragraph in self.res.paragraphs:
            self._paragraph(paragraph)
        self._tail()
        return "".join(self.out).replace(_PAGE_TOTAL, str(self.page))

    def _emit(self, text: str, sep: str = "\n\n", content: bool = True) -> None:
        self.out.append(text + sep)
        if content and text.strip():
            self.page_lines += 1

    def _head(self) -> None:
        res, rng = self.res, self.rng
        if res.adoption and (self.bold or rng.random() < 0.5):
            self._emit(f" [{res.adoption}] ")
        if self.bold:
            self._emit(f"{res.number}. {res.title} ")
            self._emit(" 大会大会大会大会， ")
        elif rng.random() < 0.5:
            self._emit(f" {res.number}. {res.title} ")
            self._emit(" 大会， ")
        else:
            self._emit(f"  {res.number}. {res.title} ", "\n")
            self._emit(" ", "\n\n")
            self._emit(" ", "\n\n")
            self._emit(" 大会， ")

    def _lead(self, lead: str) -> str:
        if not self.bold:
            return lead
        if 2 <= len(lead) <= 3 and self.rng.random() < 0.2:  # 确确确确认认认认
            return "".join(char * 4 for char in lead)
        return lead * 4

    def _paragraph(self, paragraph: GenParagraph) -> None:
        rng = self.rng
        estimate = (_width(paragraph.body()) + len(paragraph.lead)) / 35 + 1
        if self.page_lines and self.page_lines + estimate > self.capacity:
            self._page_break()
        prefix = self.next_indent
        self.next_indent = " "
        if paragraph.number is not None:
            dot = "．" if rng.random() < 0.03 else "."
            prefix += f"{paragraph.number}{dot} "
        lead = paragraph.lead
        self._wrap(prefix + self._lead(lead), _width(prefix) + len(lead), paragraph.pieces)

    def _line_width(self) -> float:
        return self.rng.choice((34, 35, 35, 36, 36, 37))

    def _wrap(self, line: str, used: float, pieces: list) -> None:
        """Hard-wrap ``pieces`` after ``line``; markers become a lone line or an inline digit."""
        limit = self._line_width()
        for at, piece in enumerate(pieces):
            if isinstance(piece, int):
                following = pieces[at + 1] if at + 1 < len(pieces) else ""
                line, used, limit = self._marker(piece, line, used, following)
                continue
            piece = _CITE_MARKS_RE.sub("", piece)
            pos = 0
            while pos < len(piece):
                end = _cut(piece, pos, limit - used, empty=not line.strip())
                line += piece[pos:end]
                used += _width(piece[pos:end])
                if end >= len(piece):
                    break
                self._emit(line)
                self._maybe_page_break_inside()
                line, used, limit, pos = "", 0.0, self._line_width(), end
        if line.strip():
            self._emit(line + " ")

    def _marker(self, number: int, line: str, used: float, following: str):
        """Print footnote marker ``number``: inline (``》1 所载``) or on a line of its own."""
        rng = self.rng
        self.pending.append((number, self.footnotes[number]))
        inline_ok = (
            line
            and (line[-1] in _INLINE_AFTER or _is_cjk(line[-1]))
            and (not following or (_is_cjk(following[0]) and following[0] not in _UNIT_CHARS))
        )
        if inline_ok and rng.random() < 0.45:
            text = f"{number} " if following else f"{number}  "
            return line + text, used + 1, self._line_width()
        if line:
            self._emit(line, "\n")
        self._emit(f"{number} " if rng.random() < 0.5 else f"{number}", "\n", content=False)
        if not following:  # 68/64: 报告，⏎1⏎ ⏎ then the next paragraph
            self._emit(" ", "\n\n", content=False)
            return "", 0.0, self._line_width()
        indent = " " if rng.random() < 0.3 and not _HEAD_START_RE.match(following) else ""
        return indent, 0.0, self._line_width()

    def _maybe_page_break_inside(self) -> None:
        """A page may end inside a paragraph, but only where no footnote body is due."""
        if self.page_lines >= self.capacity and not self.pending:
            self._furniture()

    def _page_break(self) -> None:
        if self.pending:
            self._footnote_block()
        self._furniture()
        if self.rng.random() < 0.6:
            self.next_indent = "  "

    def _furniture(self) -> None:
        rng, res = self.rng, self.res
        if self.page == 1 and rng.random() < 0.2:
            job = f"{res.year % 100:02d}-{rng.randint(10000, 99999)}"
            self._emit(f"{job} (C)", "\n\n", content=False)
            self._emit(f"*{job.replace('-', '')}{rng.randint(10, 99)}*", "\n\n", content=False)
        self.page += 1
        self.page_lines = 0
        self.capacity = rng.randint(36, 44)
        if rng.random() < 0.6:
            title = res.title * 4 if self.bold else res.title
            self._emit(f"A/RES/{res.number} {title}", "\n\n", content=False)
            self._emit(" ", "\n\n", content=False)
        if rng.random() < 0.8:
            self._emit(f" {self.page}/{_PAGE_TOTAL} ", "\n\n", content=False)

    def _footnote_block(self) -> None:
        rng = self.rng
        style = self.footnote_style
        if style == "rule":
            self._emit("_" * rng.choice((15, 15, 18)) + " ", "\n", content=False)
        elif style == "numbered":
            self._emit("_" * 18 + " ", "\n\n", content=False)
        for at, (number, body) in enumerate(self.pending):
            last = at == len(self.pending) - 1
            if style == "numbered":
                self._emit(f" {number} {body} ", "\n\n", content=False)
            else:
                lead = " " if style == "bare" else ""
                self._emit(f"{lead}{number}", "\n", content=False)
                self._emit(f" {body} ", "\n" if last and style == "rule" else "\n\n", content=False)
        self.pending = []

    def _tail(self) -> None:
        res, rng = self.res, self.rng
        self._emit(" ", "\n\n", content=False)
        day = rng.choice((f"{res.day} 日", f"{res.day}日"))
        self._emit(f"{res.year} 年 12 月 {day} ")
        self._emit(f"第 {res.meeting} 次全体会议 ")
        for _ in range(rng.randint(1, 3)):
            self._emit(" ", "\n\n", content=False)
        if self.pending:
            self._footnote_block()
        self.out.append("\n")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _cut(text: str, pos: int, room: float, empty: bool) -> int:
    """Where a line that takes ``text`` from ``pos`` with ``room`` width left should end.

    Never inside an ASCII word or number (unless the word alone overflows an empty line);
    spaces at the cut stay at the end of the line, as the extraction leaves them.
    """
    end = min(len(text), pos + max(0, int(room)))
    while end < len(text) and _width(text[pos : end + 1]) <= room:  # ASCII is half as wide
        end += 1
    if end >= len(text):
        return len(text)
    while end > pos and text[end - 1] in _ASCII_RUN_CHARS and text[end] in _ASCII_RUN_CHARS:
        end -= 1
    if end == pos:
        if not empty:
            return pos  # start the word on the next line
        end = pos + 1
        while end < len(text) and text[end] in _ASCII_RUN_CHARS:
            end += 1
    while end < len(text) and text[end] == " ":
        end += 1
    return end


def render_pdf(res: GenResolution, rng: random.Random) -> str:
    return PdfWriter(res, rng).render()


# ---------------------------------------------------------------------------------------------
# Shape 2: Markdown
# ---------------------------------------------------------------------------------------------


def _md_text(piece: str, rng: random.Random) -> str:
    return _MD_CITE_RE.sub(
        lambda m: f"[{m.group(1)}](#)" if rng.random() < 0.3 else m.group(1), piece
    )


def _md_footnote(number: int, body: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        body = re.sub(
            r"(?<![\w/.-])((?:S-)?\d{1,3}/\d{1,3}|A/\d+/\d+)(?![\w/])", r"[\1](#)", body, count=1
        )
    return f"<sup>{number}</sup> {body}"


def render_markdown(res: GenResolution, rng: random.Random) -> str:
    out = ["\n" * rng.randint(0, 4)]
    if rng.random() < 0.7:
        out.append(f"## 第{chinese_number(res.session)}届会议\n\n")
        out.append(f"议程项目 {rng.randint(10, 140)}({rng.choice('abcdefghu')})\n\n")
        out.append(f"{rng.choice(('全面彻底裁军：', '', '可持续发展：'))}{res.title}\n\n")
        out.append(f"## {res.year} 年 12 月 {res.day} 日大会决议\n\n")
    if res.adoption:
        out.append(f"[{res.adoption}]\n\n")
    out.append(f"## {res.number}. {res.title}\n\n大会，\n\n")
    footnotes = dict(res.footnotes)
    pending: list[int] = []
    operative_seen = False
    for paragraph in res.paragraphs:
        bold = rng.random() < 0.85
        lead = f"**{paragraph.lead}**" if bold else paragraph.lead
        text = ""
        for at, piece in enumerate(paragraph.pieces):
            if isinstance(piece, int):
                pending.append(piece)
                text += f"<sup>{piece}</sup>" + (" " if at + 1 < len(paragraph.pieces) else "")
            else:
                text += _md_text(piece, rng)
        if paragraph.type == "preamble":
            out.append(f"{lead}{text}\n\n" + ("\n\n" if rng.random() < 0.05 else ""))
            continue
        if pending and operative_seen and rng.random() < 0.35:
            out.append("\n" + "".join(f"{_md_footnote(n, footnotes[n], rng)}\n\n" for n in pending))
            pending = []
        operative_seen = True
        out.append(f"{paragraph.number}. {lead}{text}\n")
    out.append(f"\n{res.year} 年 12 月 {res.day} 日  \n第 {res.meeting} 次全体会议\n")
    if pending:
        out.append(
            "\n---\n\n" + "\n\n".join(_md_footnote(n, footnotes[n], rng) for n in pending) + "\n"
        )
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Files, checking, the manifest
# ---------------------------------------------------------------------------------------------

_VOCAB: Vocabulary | None = None


def _vocab() -> Vocabulary:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = load_vocabulary()
    return _VOCAB


def generate_file(plan: FilePlan, seed: int, wild_share: float = 0.0) -> tuple[str, GenResolution]:
    rng = random.Random(f"file:{seed}:{plan.index}")
    res = Composer(_vocab(), rng, plan).resolution()
    shape = _wild_shape(plan, seed, wild_share)
    if shape == "oneline":
        _translate(res, _ASCII_PUNCTUATION)
        return render_oneline(res, rng), res
    if shape == "old":
        res.number = f"{plan.index + 1} ({_roman(res.session)})"
        return render_lines(res, rng, old=True), res
    if shape == "parts":
        return render_lines(res, rng, parts=_split_parts(res)), res
    text = render_markdown(res, rng) if plan.markdown else render_pdf(res, rng)
    if shape == "traditional":
        res.traditional = True
        text = _traditional(text)
    return text, res


# ---------------------------------------------------------------------------------------------
# Shapes 3-6: found on the web
# ---------------------------------------------------------------------------------------------

_ASCII_PUNCTUATION = str.maketrans("，；：（）", ",;:()")
_CHINESE_DIGITS = "〇一二三四五六七八九"
_SITE_HEAD = ("首页 | 文件 | 大会决议 |", "联合国 | 决议 | 中文 |")
_SITE_TAIL = ("相关链接: 大会主页 | 返回顶部", "© 联合国 | 使用条款")


def _wild_shape(plan: FilePlan, seed: int, wild_share: float) -> str | None:
    """One of WILD_SHAPES for ``wild_share`` of the files (own generator: the rest is as before)."""
    rng = random.Random(f"shape:{seed}:{plan.index}")
    if plan.markdown or rng.random() >= wild_share:
        return None
    shape = rng.choice(WILD_SHAPES)
    if shape == "old" and plan.session > 30:
        return "oneline"  # old-style numbers end with the 30th session
    if shape == "parts" and (plan.preamble < 2 or plan.operative < 2):
        return "traditional"
    return shape


def _translate(res: GenResolution, table: dict) -> None:
    for paragraph in res.paragraphs:
        paragraph.pieces = [
            p.translate(table) if isinstance(p, str) else p for p in paragraph.pieces
        ]
    res.footnotes = [(number, body.translate(table)) for number, body in res.footnotes]


def _roman(value: int) -> str:
    out = ""
    for size, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, size)
        out += letters * count
    return out


def _split_parts(res: GenResolution) -> dict[str, list[GenParagraph]]:
    """Part A takes the first half of the preamble and of the operative paragraphs; part B's
    operative paragraphs are numbered from 1 again."""
    preamble = [p for p in res.paragraphs if p.type == "preamble"]
    operative = [p for p in res.paragraphs if p.type == "operative"]
    pre_cut, op_cut = len(preamble) // 2, len(operative) // 2
    parts = {
        "A": preamble[:pre_cut] + operative[:op_cut],
        "B": preamble[pre_cut:] + operative[op_cut:],
    }
    for number, paragraph in enumerate(operative[op_cut:], start=1):
        paragraph.number = number
    res.paragraphs = parts["A"] + parts["B"]
    # Footnote markers count up in the order the text prints them.
    order = [p for paragraph in res.paragraphs for p in paragraph.pieces if isinstance(p, int)]
    renumbered = {old: new for new, old in enumerate(order, start=1)}
    for paragraph in res.paragraphs:
        paragraph.pieces = [
            renumbered.get(p, p) if isinstance(p, int) else p for p in paragraph.pieces
        ]
    res.footnotes = sorted((renumbered[number], body) for number, body in res.footnotes)
    return parts


def _paragraph_line(paragraph: GenParagraph) -> str:
    """One paragraph on one line, footnote markers glued to the text as web pages print them."""
    text = paragraph.lead + "".join(str(p) for p in paragraph.pieces)
    text = _CITE_MARKS_RE.sub("", text)
    return f"{paragraph.number}. {text}" if paragraph.number else text


def _chinese_digits(value: int) -> str:
    return "".join(_CHINESE_DIGITS[int(d)] for d in str(value))


def render_lines(
    res: GenResolution,
    rng: random.Random,
    old: bool = False,
    parts: dict[str, list[GenParagraph]] | None = None,
) -> str:
    """A paragraph to a line, as wiki transcriptions and HTML pages give them."""
    lines = [f"[{res.adoption}]"] if res.adoption and not old else []
    if old:
        serial = int(res.number.split(" ")[0])
        lines.append(f"{_chinese_digits(serial)} ({chinese_number(res.session)}). {res.title}")
        date = f"{_chinese_digits(res.year)}年十二月{chinese_number(res.day)}日,"
        closing = [date, f"第{_chinese_digits(res.meeting)}次全体会议。"]
    else:
        lines.append(f"{res.number}. {res.title}")
        closing = [f"{res.year}年12月{res.day}日", f"第{res.meeting}次全体会议"]
    for letter, paragraphs in (parts or {"": res.paragraphs}).items():
        if letter:
            lines += [letter, rng.choice(TITLES)]
        lines.append("大会，")
        lines += [_paragraph_line(p) for p in paragraphs]
        lines += closing
    lines += [f"{number} {body}" for number, body in res.footnotes]
    return "\n".join(lines) + "\n"


def render_oneline(res: GenResolution, rng: random.Random) -> str:
    """A copied web page: the site's links, then the whole resolution on one line."""
    text = render_lines(res, rng).translate(_ASCII_PUNCTUATION).replace("\n", " ")
    return f"{rng.choice(_SITE_HEAD)}\n大会决议 {text}{rng.choice(_SITE_TAIL)}\n"


def _traditional(text: str) -> str:
    """Character by character, as a bold lead repeated four times must stay four of one
    character (OpenCC's phrases would convert the last 赞 of 赞赞赞赞赏赏赏赏 apart)."""
    table = _S2T_CHARS
    if not table:
        import opencc

        table["converter"] = opencc.OpenCC("s2t")
    for char in set(text) - table.keys():
        table[char] = table["converter"].convert(char)
    return "".join(table[char] for char in text)


_S2T_CHARS: dict = {}  # character → traditional, filled as characters are met


def expected_paragraphs(res: GenResolution) -> list[tuple[str, int | None, str]]:
    """What the parser should return: (type, number, text without whitespace), in its order."""
    rows = []
    for p in res.paragraphs:
        text = _CITE_MARKS_RE.sub("", p.lead + p.body())
        rows.append((p.type, p.number, "".join(text.split())))
    for number, body in res.footnotes:
        rows.append(("footnote", number, "".join(body.split())))
    return rows


def check_file(path: Path, res: GenResolution) -> tuple[str | None, int]:
    """Parse ``path``; returns (problem or None, verb disagreements on marked leads)."""
    from search.parser import ParseError, parse_file

    try:
        parsed = parse_file(path)
    except ParseError as error:
        return f"ParseError: {error.problem}", 0
    if parsed.number != res.number:
        return f"number {parsed.number!r}, expected {res.number!r}", 0
    got = [(p.type, p.number, "".join(p.text.split())) for p in parsed.paragraphs]
    if res.traditional:  # compared as simplified: the conversion there and back is not exact
        from search.normalize import to_simplified

        got = [(kind, number, to_simplified(text)) for kind, number, text in got]
    want = expected_paragraphs(res)
    if res.traditional:  # the same way there and back as the printed text went
        want = [(kind, number, to_simplified(_traditional(text))) for kind, number, text in want]
    if got != want:
        return _first_difference(got, want), 0
    verbs = sum(
        1 for p, g in zip(parsed.paragraphs, res.paragraphs) if p.verb != normalize_verb(g.lead)
    )
    return None, verbs


def _first_difference(got: list, want: list) -> str:
    for at, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"paragraph {at}: got {g!r:.120} expected {w!r:.120}"
    return f"{len(got)} paragraphs, expected {len(want)}"


def _empty_stats() -> dict:
    """What a worker counts of the files it writes, and the run adds up."""
    return {
        "files": 0,
        "markdown": 0,
        "paragraphs": Counter(),
        "bytes": 0,
        "words": Counter(),
        "failures": [],
        "verb_mismatches": 0,
    }


def _work(job: tuple[list[FilePlan], int, str, bool, float]) -> dict:
    plans, seed, out_dir, check, wild_share = job
    stats = _empty_stats()
    for plan in plans:
        text, res = generate_file(plan, seed, wild_share)
        data = text.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=8).hexdigest()
        path = Path(out_dir) / f"{plan.index:06d}_{digest}.txt"
        path.write_bytes(data)
        stats["files"] += 1
        stats["markdown"] += plan.markdown
        stats["bytes"] += len(data)
        stats["paragraphs"].update(
            {"preamble": plan.preamble, "operative": plan.operative, "footnote": plan.footnotes}
        )
        stats["words"].update(res.words)
        if check:
            problem, verbs = check_file(path, res)
            stats["verb_mismatches"] += verbs
            if problem:
                stats["failures"].append(f"{path.name} ({res.number}): {problem}")
    return stats


def rare_terms(words: Counter, count: int = 10) -> list[str]:
    """A deterministic handful of three-character-or-longer dictionary words drawn once."""
    once = [w for w, n in words.items() if n == 1 and len(w) >= 3]
    return sorted(once, key=lambda w: hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest())[
        :count
    ]


def generate(
    out_dir: Path,
    count: int | None = None,
    paragraphs: int | None = None,
    seed: int = 1,
    markdown_share: float = 0.2,
    jobs: int | None = None,
    check: bool = False,
    wild_share: float = 0.1,
) -> dict:
    """Write the corpus and manifest.json into ``out_dir``; returns the manifest."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("[0-9][0-9][0-9][0-9][0-9][0-9]_*.txt"):
        old.unlink()
    plans = make_plan(seed, count, paragraphs, markdown_share)
    _vocab()  # loaded once, before the workers fork
    jobs = max(1, min(jobs or os.cpu_count() or 1, max(1, len(plans) // 200)))
    chunks = [plans[i : i + 250] for i in range(0, len(plans), 250)]
    work = [(chunk, seed, str(out_dir), check, wild_share) for chunk in chunks]
    total = _empty_stats()
    if jobs == 1:
        results = map(_work, work)
    else:
        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap(_work, work)
    for stats in results:
        for key in ("files", "markdown", "bytes", "verb_mismatches"):
            total[key] += stats[key]
        total["paragraphs"].update(stats["paragraphs"])
        total["words"].update(stats["words"])
        total["failures"].extend(stats["failures"])
    if jobs > 1:
        pool.close()
        pool.join()
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "count": total["files"],
        "requested": {"count": count, "paragraphs": paragraphs},
        "markdown_share": markdown_share,
        "wild_share": wild_share,
        "files": {"pdf": total["files"] - total["markdown"], "markdown": total["markdown"]},
        "paragraphs": sum(total["paragraphs"].values()),
        "paragraphs_by_type": dict(sorted(total["paragraphs"].items())),
        "bytes": total["bytes"],
        "dictionary_words": {
            "drawn": sum(total["words"].values()),
            "distinct": len(total["words"]),
            "exponent": DICT_EXPONENT,
        },
        "rare_terms": rare_terms(total["words"]),
        "seconds": round(time.perf_counter() - started, 2),
    }
    if check:
        manifest["check"] = {
            "failures": len(total["failures"]),
            "examples": total["failures"][:20],
            "verb_mismatches": total["verb_mismatches"],
        }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out_dir", type=Path)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--count", type=int, help="number of files")
    size.add_argument("--paragraphs", type=int, help="generate files until this many paragraphs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown-share", type=float, default=0.2)
    parser.add_argument(
        "--wild-share",
        type=float,
        default=0.1,
        help="share of files in the web's shapes: one line, old numbering, parts, traditional",
    )
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPUs)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="parse every file with search.parser and compare its paragraphs",
    )
    args = parser.parse_args(argv)
    if (args.count or args.paragraphs or 0) <= 0 or not 0 <= args.markdown_share <= 1:
        parser.error("--count/--paragraphs must be positive and --markdown-share in [0, 1]")
    if args.check and importlib.util.find_spec("search.parser") is None:
        parser.error("--check needs the project's parser (search.parser) on the path")
    manifest = generate(
        args.out_dir,
        args.count,
        args.paragraphs,
        args.seed,
        args.markdown_share,
        args.jobs,
        args.check,
        args.wild_share,
    )
    print(
        f"{manifest['count']} files ({manifest['files']['markdown']} Markdown), "
        f"{manifest['paragraphs']} paragraphs, {manifest['bytes'] / 1e6:.1f} MB "
        f"in {manifest['seconds']} s -> {args.out_dir}"
    )
    if args.check:
        check = manifest["check"]
        print(
            f"check: {check['failures']} failures, "
            f"{check['verb_mismatches']} paragraphs whose parsed verb differs from the lead's"
        )
        for example in check["examples"]:
            print(f"  {example}")
        return 1 if check["failures"] else 0
    return 0


if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

if __name__ == "__main__":
    sys.exit(main())
