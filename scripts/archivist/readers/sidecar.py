"""Sidecar metadata: ``story.yml`` beside ``story.txt`` holds a user's durable corrections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from archivist.model import CaptureError

SIDECAR_SUFFIXES = (".yml", ".yaml")
# libyaml's loader is ~20x faster than the pure-Python one; same safe subset of YAML.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STRING_KEYS = ("url", "captured_at", "date", "title", "description", "outlet")
_LIST_KEYS = ("authors", "tags")


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


def _as_list(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    raise CaptureError(f"sidecar: '{key}' must be a list of strings")


def parse_sidecar(text: str) -> dict[str, Any]:
    """Validate a sidecar's YAML into plain strings and lists; unknown keys are an error."""
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise CaptureError(f"sidecar is not valid YAML: {str(exc).splitlines()[0]}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CaptureError("sidecar must be a mapping of keys to values")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key in _STRING_KEYS:
            out[key] = str(value).strip()  # dates parsed by YAML come back as ISO text
        elif key in _LIST_KEYS:
            out[key] = _as_list(value, key)
        elif key == "exclude":
            out[key] = bool(value)
        else:
            raise CaptureError(f"sidecar has an unknown key '{key}'")
    return out
