"""The site-template pass: before cleaning, find the lines each capture shares with other
stories of its outlet (menus, footers, pitches), so the cleaner can leave them out.

Captures are grouped by outlet: the site of the sidecar's URL, else the folder they sit in
under ``sources/``. Each capture's line hashes are cached by its bytes, and each group's result
by its members, so a re-run after adding one capture decodes only that capture and works out
the template of its group only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

import yaml

from archivist.cache import CleanCache
from archivist.clean.template import group_template, line_hashes
from archivist.executors import Runner
from archivist.readers.decode import read_text
from archivist.readers.sidecar import SafeLoader

Hashes = tuple[tuple[int, ...], tuple[int, ...]]
Members = tuple[tuple[str, str], ...]  # (capture path, line-hashes key), in capture order
Group = tuple[Members, dict[str, frozenset[int]]]  # a group's members and their template lines


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


def templates(groups: Mapping[str, Members], read: Callable[[Sequence[str]], dict[str, bytes]],
              runner: Runner, cache: CleanCache, known: Mapping[str, Group]) -> dict[str, Group]:
    """Each group's template lines per member, from its members' line hashes.

    ``groups`` holds the text captures of each group, one per distinct content (a capture
    whose bytes another one has is left out: the same bytes twice are one story). A group
    whose members are those of ``known`` keeps its result; for the others, line hashes come
    from the cache or are computed from the bytes ``read`` gives (by line-hashes key).
    """
    out: dict[str, Group] = {}
    todo = {name: members for name, members in groups.items()
            if not (name in known and known[name][0] == members)}
    out.update({name: known[name] for name in groups if name not in todo})
    keys = list(dict.fromkeys(key for members in todo.values() for _, key in members))
    found = cache.get_many(keys, "lines")
    missing = [key for key in keys if key not in found]
    if missing:
        raw = read(missing)  # a capture that cannot be read now is left out, as cleaning will say
        readable = [k for k in missing if k in raw]
        fresh = dict(zip(readable, runner.map(capture_line_hashes, [raw[k] for k in readable]),
                         strict=True))
        cache.put_many(fresh.items(), "lines")
        found.update(fresh)
    for name, members in todo.items():
        hashes = {rel: found[key] for rel, key in members if found.get(key) is not None}
        out[name] = (members, group_template(hashes) if len(hashes) > 1 else {})
    return out
