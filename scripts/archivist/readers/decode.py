"""Bytes to text: the one place that knows about encodings, BOMs and line endings."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

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
    best = from_bytes(raw[:200_000]).best()
    if best is None:
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


def normalize_text(text: str) -> str:
    """One newline convention, NFC, no control characters, no trailing spaces on lines."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def read_text(raw: bytes) -> str:
    """Decode and normalise; raise :class:`CaptureError` when nothing readable is left."""
    text, _ = decode_bytes(raw)
    if text.count("\ufffd") > max(20, len(text) // 50):
        raise CaptureError("not a text capture: too many undecodable bytes")
    text = normalize_text(text)
    if not text.strip():
        raise CaptureError("empty capture: no text")
    return text
