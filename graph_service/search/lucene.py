"""Queries for the full-text index, built from user text without letting it speak Lucene syntax."""

from __future__ import annotations

import re

# Every character the Lucene classic query parser gives a meaning (and the two-character
# operators && and ||, covered by escaping & and |).
_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
_WORDS = {"and", "or", "not", "to"}  # operators the parser reads in any case


def escape(text: str) -> str:
    """``text`` as literal terms: special characters escaped, operator words quoted."""
    out = []
    for word in _SPECIAL.sub(r"\\\1", text).split():
        out.append(f'"{word}"' if word.lower() in _WORDS else word)
    return " ".join(out)


def any_of(keys: list[str]) -> str:
    """A query matching any of the folded keys (OR of their analysed terms)."""
    return " OR ".join(f"({escape(k)})" for k in keys if k.strip())
