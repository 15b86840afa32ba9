"""Sidecar metadata: ``story.yml`` beside ``story.txt`` holds a user's durable corrections.

A sidecar is data a person typed, so it is validated as strictly as capture text is escaped:
only known keys, only scalar values where text is expected (a YAML alias bomb cannot expand into
a title), one line per value, no control characters, and a ``url`` only when it is an absolute
http(s) address. Page paths are never taken from a sidecar, so it cannot point a page outside
``docs/``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from archivist.model import CaptureError
from archivist.readers.decode import decode_bytes

SIDECAR_SUFFIXES = (".yml", ".yaml")
# libyaml's loader is ~20x faster than the pure-Python one; same safe subset of YAML.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_SIDECAR_BYTES = 256 * 1024  # corrections are a few lines; anything larger is not a sidecar
_STRING_KEYS = ("url", "captured_at", "date", "title", "description", "outlet")
_LIST_KEYS = ("authors", "tags")
_KEYS = (*_STRING_KEYS, *_LIST_KEYS, "exclude")
# Where pages go is Archivist's decision (title, date, hash); say so instead of "unknown key".
_PATH_KEYS = ("path", "slug", "file", "filename", "page", "permalink", "output")
_SCALARS = (str, int, float, dt.date)  # dt.datetime is a dt.date
# Control characters and the invisible bidi overrides that can make text read as other text.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_VALUE_CHARS = 2000


def sidecar_path(capture: Path) -> Path | None:
    """The sidecar of a capture, if one exists: the same name with ``.yml`` for its extension.

    The whole capture extension is replaced, so ``story.html.gz`` has ``story.yml``.
    """
    from archivist.readers import capture_suffix  # here: readers imports this module

    suffix = capture_suffix(capture.name) or capture.suffix
    stem = capture.name[: len(capture.name) - len(suffix)] if suffix else capture.name
    for side in SIDECAR_SUFFIXES:
        candidate = capture.with_name(stem + side)
        if candidate.is_file():
            return candidate
    return None


def clean_value(value: str) -> str:
    """One line of plain text: NFC, no control or bidi-override characters, single spaces."""
    value = unicodedata.normalize("NFC", value)
    return " ".join(_UNSAFE.sub(" ", value).split())


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _as_text(value: Any, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, _SCALARS):
        raise CaptureError(f"sidecar: '{key}' must be a single value, not {type(value).__name__}")
    text = clean_value(value.isoformat() if isinstance(value, dt.date) else str(value))
    if len(text) > MAX_VALUE_CHARS:
        raise CaptureError(f"sidecar: '{key}' is longer than {MAX_VALUE_CHARS} characters")
    return text


def _as_list(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [part for part in (clean_value(p) for p in value.split(",")) if part]
    if isinstance(value, list) and all(
        isinstance(v, _SCALARS) and not isinstance(v, bool) for v in value
    ):
        return [text for text in (_as_text(v, key) for v in value) if text]
    raise CaptureError(f"sidecar: '{key}' must be a list of strings")


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host, or :class:`CaptureError` saying what is wrong."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise CaptureError(f"sidecar: 'url' is not a valid address: {_short(url)}") from None
    if parts.scheme.lower() not in ("http", "https") or not host or " " in url:
        raise CaptureError(f"sidecar: 'url' must be an http(s) address, not {_short(url)}")
    return url


_TOO_DEEP = "sidecar is not valid YAML: nested too deeply"


def parse_sidecar(text: str) -> dict[str, Any]:
    """Validate a sidecar's YAML into plain strings and lists; unknown keys are an error."""
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        if "exceeded maximum nesting depth" in str(exc):  # libyaml's limit (in PyYAML 6.0.4 on)
            raise CaptureError(_TOO_DEEP) from None
        raise CaptureError(f"sidecar is not valid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:  # the pure-Python parser's stack
        raise CaptureError(_TOO_DEEP) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CaptureError("sidecar must be a mapping of keys to values")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _PATH_KEYS:
            raise CaptureError(f"sidecar cannot set '{key}': page paths come from title and date")
        if key not in _KEYS:
            raise CaptureError(f"sidecar has an unknown key {_short(key)} "
                               f"(known keys: {', '.join(_KEYS)})")
        if value is None:
            continue
        if key in _STRING_KEYS:
            out[key] = _as_text(value, key)  # dates parsed by YAML come back as ISO text
            if key == "url" and out[key]:
                check_url(out[key])
        elif key in _LIST_KEYS:
            out[key] = _as_list(value, key)
        elif isinstance(value, bool):
            out[key] = value
        else:
            raise CaptureError(f"sidecar: '{key}' must be true or false, not {_short(value)}")
    return out


def read_sidecar(raw: bytes) -> dict[str, Any]:
    """Decode a sidecar file's bytes (any encoding a capture may have) and validate it."""
    if len(raw) > MAX_SIDECAR_BYTES:
        raise CaptureError(f"sidecar is larger than {MAX_SIDECAR_BYTES // 1024} KiB")
    try:
        text, _ = decode_bytes(raw)
    except CaptureError as exc:
        raise CaptureError(f"sidecar: {exc}") from None
    return parse_sidecar(text)
