"""How two ways of writing a name are made comparable (docs/search.md).

Real registry data and real queries write the same name differently: full-width or half-width
forms, Chinese or ASCII brackets, spaces and middle dots, traditional or simplified characters,
with or without the organisation form (有限公司, 集团 ...) and the region it was registered in
(湖南省郴州市...). ``fold`` removes the differences that never carry meaning; ``core_name`` also drops
the parts a user may add or leave out; ``pinyin_keys`` spells a person's name in pinyin.
The same functions run when a name is stored and when a query arrives, so both sides agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import product

import opencc
import pypinyin

# Separators a name may carry or lose without changing: spaces and the middle dots of
# transliterated names (阿卜杜·热合曼 is written with U+00B7, U+30FB, U+2022 or U+2027).
_SEPARATORS = re.compile(r"[\s\u00b7\u2022\u2027\u30fb\u2219\u22c5\u318d]+")
# After NFKC the brackets are ASCII; a name's punctuation other than brackets carries no meaning.
_PUNCTUATION = re.compile(r"[^\w()]+")
_BRACKETED = re.compile(r"\(([^()]*)\)")

# Organisation forms, longest first: one is removed from the end, then a branch marker, repeatedly
# (湖南恒信建材集团有限公司郴州分公司 -> 湖南恒信建材集团有限公司郴州 is not a form, so stop there).
ORG_FORMS: tuple[str, ...] = tuple(sorted((
    "股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团公司", "集团有限公司", "集团股份有限公司",
    "集团", "分公司", "总公司", "公司", "个体工商户", "合伙企业", "有限合伙", "普通合伙",
    "专业合作社", "合作社", "经营部", "营业部", "门市部", "分店", "商行", "工作室", "厂", "店",
), key=len, reverse=True))

# Suffixes of region names (GB/T 2260) that users leave out: 郴州市 -> 郴州, 广西壮族自治区 -> 广西.
_REGION_SUFFIXES: tuple[str, ...] = tuple(sorted((
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "林区", "特区", "省", "市", "区", "县", "盟", "旗",
), key=len, reverse=True))
# A short form must keep two characters, or 城区 -> 城 would eat the first character of many names.
_MIN_SHORT = 2
# The core of a name keeps at least this many characters; otherwise the full name is its core.
_MIN_CORE = 2


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """The name with no difference that never carries meaning: NFKC (full-width to half-width,
    （） to ()), traditional to simplified, lower case, no spaces, dots or punctuation but brackets."""
    s = unicodedata.normalize("NFKC", text)
    s = _SEPARATORS.sub("", s)
    s = _t2s().convert(s).lower()
    return _PUNCTUATION.sub("", s.replace("_", ""))


def region_short_forms(names: Iterable[str]) -> frozenset[str]:
    """Every region name and its short form (郴州市 and 郴州), folded."""
    out: set[str] = set()
    for name in names:
        full = fold(name)
        if len(full) >= _MIN_SHORT:
            out.add(full)
        for suffix in _REGION_SUFFIXES:
            if full.endswith(suffix) and len(full) - len(suffix) >= _MIN_SHORT:
                out.add(full[: -len(suffix)])
                break
    return frozenset(out)


@lru_cache(maxsize=1)
def national_region_names() -> frozenset[str]:
    from graph_service.regions import region_table  # the table reads a data file; loaded once

    return region_short_forms(r.name for r in region_table())


@lru_cache(maxsize=8)
def _longest(regions: frozenset[str]) -> int:
    return max((len(r) for r in regions), default=0)


def _strip_region_prefixes(s: str, regions: frozenset[str], longest: int) -> str:
    changed = True
    while changed:
        changed = False
        for n in range(min(longest, len(s) - _MIN_CORE), _MIN_SHORT - 1, -1):
            if s[:n] in regions:
                s, changed = s[n:], True
                break
    return s


def core_name(name: str, regions: frozenset[str] | None = None) -> str:
    """What is left of an enterprise name without its organisation form, a bracketed region
    ("恒信建材（郴州）有限公司") and leading region names: 湖南省郴州市恒信建材有限公司 -> 恒信建材.
    Falls back to the folded name when less than two characters would be left."""
    regions = national_region_names() if regions is None else regions
    full = fold(name)
    s = _BRACKETED.sub(lambda m: "" if m.group(1) in regions else m.group(1), full)
    changed = True
    while changed:
        changed = False
        for form in ORG_FORMS:
            if s.endswith(form) and len(s) - len(form) >= _MIN_CORE:
                s, changed = s[: -len(form)], True
                break
    s = _strip_region_prefixes(s, regions, _longest(regions))
    return s if len(s) >= _MIN_CORE else full


def enterprise_keys(names: Iterable[str], regions: frozenset[str] | None = None) -> list[str]:
    """The folded form and the core of each name, without repeats, in order: what the search
    index holds for an enterprise (current name first, then its former names)."""
    out: dict[str, None] = {}
    for name in names:
        out.setdefault(fold(name), None)
        out.setdefault(core_name(name, regions), None)
    return [k for k in out if k]


# Readings beyond the first are spelled for at most this many characters of a name, so that a
# name of heteronyms does not spell hundreds of keys.
_MAX_SPELLINGS = 8


def pinyin_keys(name: str) -> list[str]:
    """The name spelled in pinyin without tones or spaces ("wangjianguo"), once per reading of
    its characters (单 is dan or shan), at most eight spellings; [] for a name with no Han character."""
    s = fold(name)
    if not any("\u4e00" <= c <= "\u9fff" for c in s):
        return []
    readings = pypinyin.pinyin(s, style=pypinyin.Style.NORMAL, heteronym=True, errors="default")
    spellings: list[str] = []
    for combo in product(*[r if r else [""] for r in readings]):
        spellings.append("".join(combo).lower())
        if len(spellings) >= _MAX_SPELLINGS:
            break
    return list(dict.fromkeys(spellings))


def pinyin_query(text: str) -> str:
    """A query typed in pinyin ("Wang Jianguo", "wang-jian-guo") as the stored keys spell it."""
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKC", text).lower().replace("ü", "v"))


def looks_like_pinyin(text: str) -> bool:
    """Latin letters and separators only: a query to compare against the pinyin keys."""
    s = unicodedata.normalize("NFKC", text).strip()
    return bool(s) and bool(re.fullmatch(r"[A-Za-züÜ\s'\-·.]+", s)) and any(c.isalpha() for c in s)
