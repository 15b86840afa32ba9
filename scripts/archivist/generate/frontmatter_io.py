"""Front matter in and out, with python-frontmatter, plus the digest that marks a generated page.

The digest is the sha256 of the page without its own ``archivist_digest`` line. A page whose
text no longer matches its digest was edited by hand, and ingest leaves it alone.

Writing front matter through PyYAML cost more than the rest of a story page together (its
representer is pure Python, about 0.5 ms a page), so :func:`render` writes the YAML itself for
the shapes our pages use and the scalars whose YAML form is certain, and hands anything else to
python-frontmatter as before. Both give the same bytes: ``tests/test_frontmatter.py`` checks
it against PyYAML on hypothesis-made values and hostile strings.
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Any

import frontmatter
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

DIGEST_KEY = "archivist_digest"
_DIGEST_LINE = re.compile(rf"^{DIGEST_KEY}: ([0-9a-f]{{64}})\n", re.MULTILINE)

# -- A YAML writer for the front matter we write, byte for byte what PyYAML (libyaml) writes --
#
# Only for text made of characters both YAML emitters print as they are: printable ASCII and
# the printable Basic Multilingual Plane, without tabs, line breaks (U+2028, U+2029), the byte
# order mark or the non-characters U+FFFE/U+FFFF. Astral characters (emoji) are out: libyaml
# escapes them and PyYAML's Python emitter does not. Longer text could be folded at the emitter's
# width (100,000 columns); it goes to PyYAML too.
_CERTAIN = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_MAX_FAST = 10_000
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")
# A plain scalar may not start with one of these (YAML indicators); "?", ":" and "-" only when
# followed by a space or the end.
_INDICATOR_FIRST = frozenset("#,[]{}&*!|>'\"%@`")
_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_RESOLVER = Resolver()
_RESOLVED_FIRST = frozenset(Resolver.yaml_implicit_resolvers)  # first characters of 1, true, ~...


def _resolves_as(text: str) -> str:
    """The tag a plain scalar ``text`` would be read as (``str`` unless it looks like a number,
    a boolean, a date, null...): PyYAML's own resolver, the one its emitters ask."""
    if None not in _RESOLVED_FIRST and text[:1] not in _RESOLVED_FIRST:
        return _STR
    return _RESOLVER.resolve(ScalarNode, text, (True, False))


def _plain_allowed(text: str) -> bool:
    """Whether a block-context plain scalar may hold ``text`` (certain characters only)."""
    return bool(text) and text[0] not in _INDICATOR_FIRST and text[0] != " " \
        and text[-1] != " " and text[-1] != ":" and not text.startswith(("---", "...")) \
        and not (text[0] in "?:-" and text[1:2] in ("", " ")) \
        and ": " not in text and " #" not in text


def _text(text: str) -> str | None:
    """``text`` as a YAML scalar (plain, else single-quoted), or None when not certain."""
    # Titles, paths and tags recur on many pages (related lists, backlinks): short ones are
    # remembered.
    return _short_text(text) if len(text) <= _CACHED_LENGTH else _any_text(text)


def _any_text(text: str) -> str | None:
    if len(text) > _MAX_FAST or not _CERTAIN.fullmatch(text):
        return None
    if _plain_allowed(text) and _resolves_as(text) == _STR:
        return text
    return "'" + text.replace("'", "''") + "'"


_CACHED_LENGTH = 300
_short_text = functools.lru_cache(maxsize=1 << 16)(_any_text)


def _scalar(value: Any) -> str | None:
    kind = type(value)
    if kind is str:  # _text, inlined: most scalars are text
        return _short_text(value) if len(value) <= _CACHED_LENGTH else _any_text(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        text = repr(value).lower()
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
        return text if _resolves_as(text) == _FLOAT else None
    return None


def _key(key: Any) -> str | None:
    return _plain_key(key) if type(key) is str else None


@functools.lru_cache(maxsize=1024)
def _plain_key(key: str) -> str | None:
    return key if _KEY.fullmatch(key) and _resolves_as(key) == _STR else None


def _flat(value: dict[Any, Any], seen: set[int]) -> list[str] | None:
    """A mapping of scalars as its ``key: value`` lines, or None when beyond the fast writer."""
    if id(value) in seen:  # PyYAML would write an anchor and an alias
        return None
    seen.add(id(value))
    lines = []
    for key, item in value.items():
        name, text = _key(key), _scalar(item)
        if name is None or text is None:
            return None
        lines.append(f"{name}: {text}")
    return lines


def _block(meta: dict[Any, Any], out: list[str]) -> bool:
    """Append ``meta`` as PyYAML writes it in block style: scalars, mappings of scalars and
    sequences (not indented under their key) of scalars or of mappings of scalars. False when
    a value is anything else."""
    seen = {id(meta)}
    for key, value in meta.items():
        name, kind = _key(key), type(value)
        if name is None:
            return False
        if kind is dict or kind is list:
            if not value:
                out.append(f"{name}: {{}}" if kind is dict else f"{name}: []")
                continue
            if id(value) in seen:
                return False
            out.append(f"{name}:")
            if kind is dict:
                lines = _flat(value, seen)
                if lines is None:
                    return False
                out.extend("  " + line for line in lines)
                continue
            seen.add(id(value))
            for item in value:
                if type(item) is dict and item:
                    lines = _flat(item, seen)
                    if lines is None:
                        return False
                    out.append("- " + lines[0])
                    out.extend("  " + line for line in lines[1:])
                else:
                    text = _scalar(item)
                    if text is None:
                        return False
                    out.append("- " + text)
        else:
            text = _scalar(value)
            if text is None:
                return False
            out.append(f"{name}: {text}")
    return True


def dump_meta(meta: dict[str, Any]) -> str:
    """``meta`` as python-frontmatter writes it (block YAML, keys in the given order, no final
    newline): by our writer where it is certain of the result, else by PyYAML."""
    out: list[str] = []
    if meta and _block(meta, out):
        return "\n".join(out).strip()  # as python-frontmatter does (even a final NBSP goes)
    return frontmatter.YAMLHandler().export(meta, sort_keys=False, width=100_000)


def render(meta: dict[str, Any], body: str) -> str:
    """A page: YAML front matter (keys in the given order) then the Markdown body."""
    text = f"---\n{dump_meta(meta)}\n---\n\n{body}".strip() + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    head, sep, rest = text.partition("\n---\n")  # the line closing the front matter
    return f"{head}\n{DIGEST_KEY}: {digest}{sep}{rest}"


def _digest_match(text: str) -> re.Match[str] | None:
    """The digest line, looked for only inside the front matter block.

    The body holds capture text, which may contain a line that looks like a digest; only the
    line Archivist wrote between the ``---`` fences counts.
    """
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    return _DIGEST_LINE.search(text, 0, end + 1)


def recorded_digest(text: str) -> str | None:
    match = _digest_match(text)
    return match.group(1) if match else None


def is_untouched(text: str) -> bool:
    """True when a page is exactly as Archivist generated it (no hand edits since)."""
    match = _digest_match(text)
    if not match:
        return False
    without = text[: match.start()] + text[match.end():]
    return hashlib.sha256(without.encode("utf-8")).hexdigest() == match.group(1)


def read_meta(text: str) -> dict[str, Any]:
    return dict(frontmatter.loads(text).metadata)
