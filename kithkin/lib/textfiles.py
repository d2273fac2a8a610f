"""Turning an uploaded file's bytes into text, whatever program wrote it.

Contact files come from Excel (cp1252 on Western Windows, cp932 on Japanese Windows), from Outlook
and Thunderbird (UTF-16 with or without a byte order mark), from Google (UTF-8, sometimes with a
BOM) and from people who upload the wrong file altogether. ``decode_text`` reads the first
kinds and refuses the last with a message that says what the file looks like.
"""

from __future__ import annotations

import re

from kithkin.lib.contacts import FileRejected

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# What a file that is not text starts with: what it looks like, and what to do about it.
_MAGIC = (
    (b"%PDF", "a PDF document", ""),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", ""),
    (b"\xff\xd8\xff", "a JPEG image", ""),
    (b"GIF87a", "a GIF image", ""),
    (b"GIF89a", "a GIF image", ""),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it first"),
    (b"SQLite format 3\x00", "an SQLite database", ""),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 workbook (.xls) or another old Office file",
        "save it as CSV first",
    ),
    (b"bplist00", "an Apple binary property list", ""),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it first"),
)

# cp1252 leaves five bytes undefined; Python refuses them, so they are read as Latin-1 instead
# (they never carry meaning in a real file, and refusing the whole file for one would be worse).
_CP1252_HIGH = {byte: bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0xA0)}

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]")
# Characters Shift_JIS text is made of beyond ASCII: Japanese scripts and punctuation, full- and
# half-width forms, and the Greek, Cyrillic and symbols of JIS X 0208. Anything else (private use,
# Latin letters) means the bytes were not Shift_JIS.
_NOT_JAPANESE = re.compile(
    r"[^\x00-\x7f\u00a2\u00a3\u00a5\u00a7\u00a8\u00ac\u00b0\u00b1\u00b4\u00b6\u00d7\u00f7"
    r"\u0391-\u03c9\u0401-\u0451\u2010-\u2312\u2460-\u27bf\u3000-\u30ff\u3231-\u33ff"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uffef]"
)
_AFTER_LATIN_LETTER = re.compile(r"[A-Za-z][^\x00-\x7f]")


def decode_text(data: bytes, *, what: str = "file") -> str:
    """The text of ``data``, or FileRejected when it is empty or not text at all.

    Line endings are left alone: CRLF, LF and CR-only all stay as they are, so that a CSV reader
    can keep the newlines inside quoted cells and count physical lines.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # A byte order mark is a strong promise; a cut-short last character should not
            # cost the whole file.
            return _checked(data[len(bom) :].decode(encoding, errors="replace"), what)
    if not data.strip():
        raise FileRejected(f"the {what} is empty")
    _refuse_binary(data, what)
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), what)
        except UnicodeDecodeError:
            raise FileRejected(f"this looks like a binary file, not a {what}") from None
    if b"\x00" in data:
        raise FileRejected(f"this looks like a binary file, not a {what} (it holds NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), what)
    except UnicodeDecodeError:
        pass
    japanese = _as_shift_jis(data)
    if japanese is not None:
        return _checked(japanese, what)
    return _checked(data.decode("latin-1").translate(_CP1252_HIGH), what)


def _checked(text: str, what: str) -> str:
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        text = text.rstrip("\x00")  # some writers pad UTF-16 files with NULs
        if "\x00" in text:
            raise FileRejected(f"this looks like a binary file, not a {what} (it holds NUL characters)")
    if not text.strip():
        raise FileRejected(f"the {what} is empty")
    return text


def _refuse_binary(data: bytes, what: str) -> None:
    looks_like, advice = _binary_kind(data)
    if looks_like:
        raise FileRejected(
            f"this looks like {looks_like}; {advice}" if advice else f"this looks like {looks_like}, not a {what}"
        )


def _binary_kind(data: bytes) -> tuple[str, str]:
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        # Office files are ZIP archives; the names of the parts inside tell them apart.
        if b"xl/workbook" in data or b"xl/_rels" in data:
            return "an Excel workbook (.xlsx)", "save it as CSV first"
        if b"opendocument.spreadsheet" in data[:200]:
            return "an OpenDocument spreadsheet (.ods)", "save it as CSV first"
        if b"word/document" in data:
            return "a Word document (.docx)", ""
        return "a ZIP archive", "extract it and choose the file inside"
    for magic, looks_like, advice in _MAGIC:
        if data.startswith(magic):
            return looks_like, advice
    return "", ""


def _utf16_without_bom(data: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" when every other byte is NUL, as in mostly-ASCII UTF-16."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return ""
    even_nuls = sample[0 : half * 2 : 2].count(0)
    odd_nuls = sample[1 : half * 2 : 2].count(0)
    if odd_nuls >= half * 0.3 and even_nuls <= half * 0.05:
        return "utf-16-le"
    if even_nuls >= half * 0.3 and odd_nuls <= half * 0.05:
        return "utf-16-be"
    return ""


def _as_shift_jis(data: bytes) -> str | None:
    """The text read as cp932 (Windows Shift_JIS) when it reads as Japanese, else None.

    A Western cp1252 file sometimes decodes cleanly as cp932 too ("Hélène" pairs each accented
    byte with the next letter into a kanji), so clean decoding is not enough: the result must hold
    Japanese, nothing foreign to Shift_JIS, and its Japanese must not sit glued to Latin letters
    the way those accidental kanji do.
    """
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return None
    japanese = len(_JAPANESE.findall(text))
    if not japanese or _NOT_JAPANESE.search(text):
        return None
    if len(_AFTER_LATIN_LETTER.findall(text)) * 2 > japanese:
        return None
    return text
