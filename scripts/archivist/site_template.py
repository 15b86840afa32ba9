"""The site-template pass: before cleaning, find the lines each capture shares with other
stories of its outlet (menus, footers, pitches), so the cleaner can leave them out.

Captures are grouped by outlet: the site of the sidecar's URL, else the folder they sit in
under ``sources/``. Each capture's line hashes are cached by its bytes, so a re-run after
adding one capture decodes only that capture.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

import yaml

from archivist.cache import CleanCache, bytes_key
from archivist.clean.template import group_template, line_hashes
from archivist.executors import Runner, batched
from archivist.readers import capture_suffix
from archivist.readers.decode import read_text
from archivist.readers.sidecar import SafeLoader

Hashes = tuple[tuple[int, ...], tuple[int, ...]]


def outlet_group(rel_path: str, sidecar_text: str | None) -> str:
    """The group a capture's template is computed in: its URL's site, else its folder."""
    if sidecar_text and "url" in sidecar_text:
        try:
            data = yaml.load(sidecar_text, Loader=SafeLoader)
            url = data.get("url") if isinstance(data, dict) else None
            host = urlsplit(str(url)).hostname if url else None
            if host:
                return "site:" + host.lower().removeprefix("www.")
        except (yaml.YAMLError, ValueError):
            pass
    return "folder:" + rel_path.rsplit("/", 1)[0] if "/" in rel_path else "folder:"


def capture_line_hashes(raw: bytes) -> Hashes | None:
    """Line hashes of a text capture; None when it cannot be decoded (cleaning will say why)."""
    try:
        return line_hashes(read_text(raw))
    except Exception:
        return None


def templates(jobs: Iterable[tuple[str, bytes, str | None]], runner: Runner,
              cache: CleanCache) -> dict[str, frozenset[int]]:
    """For each text capture ``(rel_path, raw, sidecar_text)``, its lines that are site template."""
    groups: dict[str, dict[str, Hashes]] = defaultdict(dict)
    seen: set[str] = set()
    for batch in batched((j for j in jobs if capture_suffix(j[0]) == ".txt"), 1000):
        keys = [bytes_key(raw) for _, raw, _ in batch]
        known = cache.get_many(keys, "lines")
        todo = [(key, raw) for (_, raw, _), key in zip(batch, keys, strict=True) if key not in known]
        fresh = dict(zip((k for k, _ in todo), runner.map(capture_line_hashes, [r for _, r in todo]),
                         strict=True))
        cache.put_many(fresh.items(), "lines")
        for (rel, _, side), key in zip(batch, keys, strict=True):
            hashes = known[key] if key in known else fresh[key]
            group = groups[outlet_group(rel, side)]
            if hashes is not None and key not in seen:  # the same bytes twice are one story
                seen.add(key)
                group[rel] = hashes
    out: dict[str, frozenset[int]] = {}
    for members in groups.values():
        if len(members) > 1:
            out.update(group_template(members))
    return out
