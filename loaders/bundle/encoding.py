"""Is a bundle file UTF-8 text? A look at its first bytes, once per file, before any row is read.

A file in another encoding (UTF-16 from a spreadsheet's "Unicode text", GB18030/GBK from an older
system) or not text at all is rejected whole, naming what was found: read as UTF-8 row by row, it
would give a header of garbled column names and "missing column" errors, or no row at all. A few
stray bytes in an otherwise UTF-8 file still reject only their rows (loaders.bundle.csvfile).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

SAMPLE_BYTES = 1 << 16

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "UTF-16 BE"),
)
# C0 control bytes other than tab, line feed and carriage return: text hardly has them.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _hex(mark: bytes) -> str:
    return " ".join(f"{b:02X}" for b in mark)


def _wide(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark: ASCII text in it has a zero byte beside every
    character, at the same place in each 2- or 4-byte unit."""
    n = len(sample)
    if n < 8 or sample.count(0) * 4 < n:  # under a quarter zero bytes: not wide text
        return None
    zeros = [sample[i::4].count(0) for i in range(4)]
    quarter = n / 4
    if zeros[1] > 0.9 * quarter and zeros[2] > 0.9 * quarter and zeros[3] > 0.9 * quarter:
        return "UTF-32 LE"
    if zeros[0] > 0.9 * quarter and zeros[1] > 0.9 * quarter and zeros[2] > 0.9 * quarter:
        return "UTF-32 BE"
    odd, even = zeros[1] + zeros[3], zeros[0] + zeros[2]
    if odd > 0.8 * n / 2 and even < 0.2 * n / 2:
        return "UTF-16 LE"
    if even > 0.8 * n / 2 and odd < 0.2 * n / 2:
        return "UTF-16 BE"
    return None


def _decodes(sample: bytes, encoding: str) -> bool:
    """Whether the sample, cut after its last line break (a character may straddle the end), is
    valid in ``encoding``."""
    cut = sample.rfind(b"\n")
    body = sample[:cut + 1] if cut >= 0 else sample
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def not_utf8(path: Path) -> str | None:
    """Why the file is not UTF-8 text (naming the encoding found), or None when it is."""
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    for mark, name in _BOMS:
        if sample.startswith(mark):
            return f"the file is {name} (byte order mark {_hex(mark)}), not UTF-8: save it as UTF-8"
    sample = sample.removeprefix(codecs.BOM_UTF8)
    if not sample:
        return None
    wide = _wide(sample)
    if wide is not None:
        return f"the file looks like {wide} without a byte order mark, not UTF-8: save it as UTF-8"
    # Decoding errors at the very end may be a character cut by the sample: ignore them there.
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    text = decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
    bad = 0 if text.isascii() else len(_UNDECODABLE.findall(text))
    controls = sum(sample.count(b) for b in _CONTROL)
    if controls * 100 > len(sample):
        return (f"the file is not text (binary data: {controls:,} control bytes and {bad:,} bytes that are "
                f"not UTF-8 in its first {len(sample):,}): a bundle file is UTF-8 CSV")
    if bad == 0:
        return None
    header = sample.split(b"\n", 1)[0]
    non_ascii = len(_NON_ASCII.findall(sample))
    # A few stray bytes reject their rows; a file where most non-ASCII bytes are not UTF-8 is in
    # another encoding, and so is one whose header cannot be read.
    if bad * 2 <= non_ascii and _decodes(header + b"\n", "utf-8"):
        return None
    if _decodes(sample, "gb18030"):
        return ("the file looks like GB18030/GBK (GB2312), not UTF-8: "
                f"{bad:,} of its first {len(sample):,} bytes are not UTF-8; save it as UTF-8")
    return (f"the file is not UTF-8: {bad:,} of its first {len(sample):,} bytes are not UTF-8 "
            "and it is no other encoding recognised (UTF-16, UTF-32, GB18030); save it as UTF-8")
