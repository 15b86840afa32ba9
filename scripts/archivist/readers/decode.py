"""Bytes to text: the one place that knows about encodings, BOMs and line endings."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from archivist.clean.text import collapse_lines, split_lines
from archivist.model import CaptureError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0/C1 controls other than tab and newline never belong in article text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
# Magic numbers of formats that are often saved with a wrong extension.
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"PK\x03\x04": "a zip archive",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "gzip data",
}


# Latin-script code pages that charset detection cannot tell apart on short text.
_LATIN_CODE_PAGES = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "iso8859_9",
    "mac_roman", "mac_latin2", "cp437", "cp775", "cp850", "cp852", "cp858",
}


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without a BOM shows as NUL bytes in every other position."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2], raw[1::2]
    for nuls, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if nuls.count(0) > 0.4 * len(nuls):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_ASCII = bytes(range(0x80))
_TEXT_BYTES = b"\t\n\r\x0c" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))


def _mostly_utf8(raw: bytes) -> bool:
    """UTF-8 with a few corrupt bytes (a truncated download, a bad copy) is still UTF-8.

    Legacy code pages almost never form valid multi-byte UTF-8 sequences by chance, so when
    those are at least as many as the invalid bytes, replacing the invalid ones loses less than
    guessing a code page would (which would turn every accented letter into mojibake).
    """
    sample = raw[:1_000_000]
    valid = len(_UTF8_MULTIBYTE.findall(sample))
    if not valid:
        return False
    invalid = sample.decode("utf-8", errors="replace").count("\ufffd")
    return invalid <= valid


def _looks_like_text(raw: bytes) -> bool:
    """Nearly all bytes printable or white space: text, not an image or executable."""
    sample = raw[:200_000]
    binary = len(sample.translate(None, delete=_TEXT_BYTES))
    return binary <= 0.02 * len(sample)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode a capture and return ``(text, encoding)``.

    Order matters: BOMs are certain, strict UTF-8 is right for nearly all modern captures,
    and only then is charset detection asked to guess a legacy encoding.
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace"), codec
    for magic, kind in _BINARY_SIGNATURES.items():
        if raw.startswith(magic):
            raise CaptureError(f"not a text capture: looks like {kind}")
    text = _utf16_without_bom(raw) if b"\x00" in raw[:4096] else None
    if text is not None:
        return text, "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):
        return raw.decode("utf-8", errors="replace"), "utf-8"
    sample = raw[:200_000]
    if len(sample.translate(None, delete=_ASCII)) * 100 <= len(sample):
        # A few stray bytes in ASCII text: too little for charset detection to judge, so take
        # the WHATWG legacy default rather than a guess such as Mac Icelandic.
        return raw.decode("cp1252", errors="replace"), "cp1252"
    best = from_bytes(sample).best()
    if best is None:
        if _looks_like_text(raw):
            # Western text with a stray byte no code page explains: keep it, mark the byte.
            return raw.decode("cp1252", errors="replace"), "cp1252"
        raise CaptureError("not a text capture: no text encoding fits its bytes")
    encoding = best.encoding
    # Short Western text fits several Windows code pages equally well; browsers and the WHATWG
    # treat Windows-1252 as the legacy default, so prefer it when it fits too.
    if encoding in _LATIN_CODE_PAGES:
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return raw.decode(encoding, errors="replace"), encoding


def _unify_line_breaks(text: str) -> str:
    """Every line break as "\\n" (CR LF, CR, Unicode line and paragraph separators, NEL)."""
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:  # faster than sub
        text = _LINE_BREAKS.sub("\n", text)
    return text


def normalize_text(text: str, controls: bool = True) -> str:
    """One newline convention, NFC, no control characters, no trailing spaces on lines.

    ``controls=False``: the caller knows the text holds no control character (a scan saved).
    """
    text = _unify_line_breaks(text)
    if controls:
        text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def read_text(raw: bytes) -> str:
    """Decode and normalise; raise :class:`CaptureError` when nothing readable is left."""
    text = _decoded(raw)
    controls = _CONTROL.search(text) is not None  # one scan; most captures have none
    if controls and len(_CONTROL.findall(text[:200_000])) > max(20, len(text[:200_000]) // 10):
        raise CaptureError("not a text capture: mostly control characters (binary data?)")
    text = normalize_text(text, controls)
    if not text.strip():
        raise CaptureError("empty capture: no text")
    return text


def read_lines(raw: bytes) -> list[str]:
    """``split_lines(read_text(raw))``, the cleaner's input, with less work on the usual capture.

    Splitting drops what :func:`normalize_text` strips at line ends, so that pass is skipped;
    and control characters can only stand in lines that are not printable, so only those few
    lines are searched for them (a capture that has some takes :func:`read_text`'s way).
    """
    raw_lines = unicodedata.normalize("NFC", _unify_line_breaks(_decoded(raw))).split("\n")
    odd = [line for line in raw_lines if not line.isprintable()]
    if odd and _CONTROL.search("\n".join(odd)):
        return split_lines(read_text(raw))
    lines = collapse_lines(raw_lines)
    if not lines:
        raise CaptureError("empty capture: no text")
    return lines


def _decoded(raw: bytes) -> str:
    """The capture decoded, unless too little of it decodes to be text."""
    text, _ = decode_bytes(raw)
    if text.count("\ufffd") > max(20, len(text) // 50):
        raise CaptureError("not a text capture: too many undecodable bytes")
    return text
