"""The escapers as they were (three regex passes), kept as the reference the faster
:mod:`archivist.generate.escape` must match."""

from __future__ import annotations

import re


def previous_inline(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"[&<>]", lambda m: {"&": "&amp;", "<": "&lt;", ">": "&gt;"}[m.group()], text)
    return re.sub(r"([\\`*_{}\[\]#])", r"\\\1", text).replace("\\]:", "\\]&#58;")


def previous_block(text: str) -> str:
    text = previous_inline(text)
    ordered = re.match(r"^(\d+)([.)])", text)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{text[ordered.end():]}"
    return "\\" + text if text[:1] in "+-!" else text
