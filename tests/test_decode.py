"""Decoding captures: every common encoding and line ending comes out as the same clean text."""

from __future__ import annotations

import codecs

import pytest

from archivist.model import CaptureError
from archivist.readers.decode import decode_bytes, normalize_text, read_text

TEXT = "Café “quoted” — naïve\nsecond line"


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),  # without BOM
        TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1252"],
)
def test_encodings_decode_to_the_same_text(raw: bytes) -> None:
    assert read_text(raw) == TEXT


def test_windows_1252_smart_quotes_in_a_longer_capture() -> None:
    raw = ("The minister said \x93we will not resign\x94 and left \x96 quickly. " * 20).encode("latin-1")
    text, encoding = decode_bytes(raw)
    assert "“we will not resign”" in text and "–" in text
    assert encoding.lower().replace("_", "") in {"cp1252", "windows1252"}


def test_line_endings_and_unicode_are_normalised() -> None:
    decomposed = "Cafe\u0301"  # e + combining acute
    text = normalize_text(f"one\r\ntwo\rthree\u2028four  \n{decomposed}\x00\x07")
    assert text == "one\ntwo\nthree\nfour\nCafé"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b" \n\t \r\n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
    ],
)
def test_unreadable_captures_say_why(raw: bytes, reason: str) -> None:
    with pytest.raises(CaptureError, match=reason):
        read_text(raw)
