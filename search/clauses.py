"""Clause starters: the words a paragraph opens with, and the verb people search by.

The PDF extraction marks the lead by repeating it (bold text printed four times) and the
Markdown conversion marks it with ``**…**``, but some files carry no mark at all, so the lead
must also be recognised from the words themselves. The verb is the lead stripped of the
modifiers the primer lists: 又决定 → 决定, 满意地注意到 → 注意到, 表示深为关切 → 深为关切.

Older texts are classical and often in traditional characters: 兹 and 爰 open a clause
(爰決議 → 决议, 茲宣佈 → 宣布), 郑重 solemnly precedes a verb. Leads are recognised on the
simplified form of the text and kept as printed; verbs are always simplified, so that
``--verb 决定`` finds 決定.
"""

from __future__ import annotations

import re

from .normalize import to_simplified

# Words that only modify the head verb: 又/还/并 (also), 再次 (again), 同样/也 (likewise).
_REPEAT_PREFIXES = ("再次", "同样", "又", "还", "并", "也")
_EXPRESS = "表示"  # 表示注意到 "takes note", 表示深为关切 "expresses deep concern"
_ADVERB_MARK = "地"  # 满意地注意到: the adverb ends in 地
_CLASSICAL_OPENERS = ("兹", "爰")  # 兹宣布, 爰议决: "hereby", "thereupon"
_SOLEMNLY = "郑重"  # 郑重宣布
# Words of degree or continuance before the head verb: 表示继续关切, 表示最严重关切, 进一步请.
_DEGREE_PREFIXES = ("进一步", "继续", "仍然", "日益", "更加", "极为", "十分", "非常", "最")
_SYNONYMS = {"议决": "决议"}  # 爰议决 and 爰决议 both "resolves"

# Head verbs of General Assembly clauses, preambular (序言) and operative (执行) alike.
_HEAD_VERBS = (
    "回顾",
    "忆及",
    "重申",
    "申明",
    "确认",
    "承认",
    "认识到",
    "认可",
    "注意到",
    "欢迎",
    "欣见",
    "欣悉",
    "强调指出",
    "着重指出",
    "强调",
    "指出",
    "深信",
    "确信",
    "坚信",
    "相信",
    "认为",
    "深为关切",
    "深表关切",
    "深感关切",
    "严重关切",
    "关切",
    "关注",
    "铭记",
    "谨记",
    "念及",
    "意识到",
    "深知",
    "知悉",
    "获悉",
    "考虑到",
    "审议了",
    "审查了",
    "决心",
    "决定",
    "决议",
    "议决",
    "认定",
    "阅悉",
    "鉴于",
    "声明",
    "吁请",
    "促请",
    "敦促",
    "呼吁",
    "鼓励",
    "邀请",
    "要求",
    "建议",
    "赞同",
    "赞赏",
    "赞扬",
    "称赞",
    "感谢",
    "核可",
    "核准",
    "批准",
    "通过",
    "宣布",
    "宣告",
    "强烈谴责",
    "谴责",
    "深感遗憾",
    "遗憾",
    "痛惜",
    "震惊",
    "欣慰",
    "支持",
    "重视",
    "希望",
    "期待",
    "期望",
    "授权",
    "请求",
    "同意",
    "满意",
    "请",
)

_LEAD_RE = re.compile(
    r"(?:兹|爰)?(?:再次|同样|又|还|并|也)?(?:表示)?"
    + f"(?:{'|'.join(_DEGREE_PREFIXES)})?"
    + r"(?:郑重|[\u4e00-\u9fff]{1,4}?地)?(?:"
    + "|".join(sorted(_HEAD_VERBS, key=len, reverse=True))
    + r")"
)


_LEAD_SCAN = 16  # longer than any lead: 再次关切地注意到


def normalize_verb(lead: str) -> str:
    """The head verb of a lead, simplified: 又决定 → 决定, 再次关切地注意到 → 注意到,
    爰決議 → 决议."""
    verb = to_simplified(lead)
    for prefixes in (
        _CLASSICAL_OPENERS,
        _REPEAT_PREFIXES,
        (_EXPRESS,),
        _DEGREE_PREFIXES,
        (_SOLEMNLY,),
    ):
        verb = _without_prefix(verb, prefixes)
    verb = _SYNONYMS.get(verb, verb)
    adverb_end = verb.find(_ADVERB_MARK)
    if 0 < adverb_end < len(verb) - 1:
        verb = verb[adverb_end + 1 :]
    return verb


def _without_prefix(verb: str, prefixes: tuple[str, ...]) -> str:
    """``verb`` without the first of ``prefixes`` it starts with, unless that is all of it."""
    for prefix in prefixes:
        if verb.startswith(prefix) and len(verb) > len(prefix):
            return verb[len(prefix) :]
    return verb


def match_lead(text: str) -> str | None:
    """The clause starter a paragraph opens with, recognised from the words alone and
    returned as printed (traditional characters stay traditional)."""
    found = _LEAD_RE.match(to_simplified(text[:_LEAD_SCAN]))
    return text[: found.end()] if found else None


def collapse_bold(text: str) -> tuple[str | None, str]:
    """Undo the extraction's four-fold bold repetition at the start of ``text``.

    Returns the lead it marked (or None) and the text with the lead printed once:
    ``回顾回顾回顾回顾其…`` → (``回顾``, ``回顾其…``); ``确确确确认认认认…`` → (``确认``, ``确认…``).
    """
    chars = _repeated_chars(text)
    if chars >= 2:
        lead = text[: 4 * chars : 4]
        return lead, lead + text[4 * chars :]
    for size in range(1, 9):
        word = text[:size]
        if len(word) == size and text.startswith(word * 4):
            return word, word + text[4 * size :]
    return None, text


def _repeated_chars(text: str) -> int:
    """How many leading characters are each printed four times in a row."""
    count = 0
    while len(text) >= 4 * (count + 1):
        block = text[4 * count : 4 * count + 4]
        if block != block[0] * 4 or not block[0].strip():
            break
        count += 1
    return count
