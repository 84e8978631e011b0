"""Chinese identifiers: USCC (GB 32100-2015), citizen ID (GB 11643-1999), region codes (GB/T 2260).

Core check-character functions. Full validators are below them.
"""

from __future__ import annotations

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_RIC_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def ric_check_char(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS)) % 11]
