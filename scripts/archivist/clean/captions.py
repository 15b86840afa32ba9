"""Photo captions and credits: the text that sat under a picture, not part of the story."""

from __future__ import annotations

import re

from archivist.clean.text import ends_sentence, word_count

# A line that is only a credit: "AP Photo/Evan Vucci", "Photo: Jane Doe/Reuters", "Getty Images".
_CREDIT_ONLY = re.compile(
    r"^\(?(?:(?:photo|image|picture|foto|фото|illustration|credit|crédit|bild)s?\s*(?:by|:|/)\s*"
    r"[^\n]{2,80}|(?:AP|AFP|EPA|Reuters|Getty)(?: Images)? ?Photo/[^\n]{2,60}|[^\n]{0,60}"
    r"(?:/|via |\b)(?:Getty Images|Reuters|AP|AFP|EPA|Shutterstock|Bloomberg|Alamy)"
    r"(?: Images)?)\)?$",
    re.IGNORECASE,
)
_CREDIT_HINT = re.compile(
    r"photo|image|picture|foto|фото|illustration|credit|crédit|bild|getty|reuters|shutterstock"
    r"|bloomberg|alamy|\bAP\b|\bAFP\b|\bEPA\b",
    re.IGNORECASE,
)
_CREDIT_HINT_FOLDED = re.compile(  # the same words, grouped by first letters (faster to scan)
    r"p(?:hoto|icture)|i(?:mage|llustration)|foto|фото|cr[eé]dit|bild|getty|reuters|shutterstock"
    # "\bap\b", "\bafp\b", "\bepa\b", written so that every alternative opens with a letter: the
    # regex engine then skips the positions where none of those letters stands.
    r"|bloomberg|alamy|a(?<!\wa)f?p\b|e(?<!\we)pa\b"
)
_CREDIT_LABEL = re.compile(r"(?:Photo|Image|Foto|Credit|Фото)\s*:\s*(?P<credit>[^.:]{2,80})$")


def credit_only(line: str, words: int | None = None, folded: str | None = None) -> bool:
    """True when the whole (short) line is a photo credit (``folded``: the line case-folded)."""
    if (words if words is not None else word_count(line)) > 12:
        return False
    if not _CREDIT_HINT_FOLDED.search(line.casefold() if folded is None else folded):
        return False  # cheap test first, without IGNORECASE
    return bool(_CREDIT_ONLY.match(line))


def split_inline_credit(line: str) -> tuple[str, str] | None:
    """``(caption, credit)`` when a caption line carries its credit at the end.

    "... on Tuesday. (AP Photo/Evan Vucci)" or "... on Tuesday. Photo: Jane Doe".
    """
    tail = line[-100:]
    # The shape tests come before the credit words: _CREDIT_HINT (case-insensitive) is slow.
    if line.endswith(")"):
        start = line.rfind("(")
        if start < 0:
            return None
        credit, caption = line[start + 1:-1], line[:start].rstrip()
        if len(caption) < 20 or not ends_sentence(caption) or word_count(credit) > 12 \
                or not _CREDIT_HINT.search(credit) or not _CREDIT_HINT.search(tail):
            return None
    elif ":" in tail:
        match = _CREDIT_LABEL.search(tail)  # its label is a credit word: no _CREDIT_HINT needed
        if not match:
            return None
        credit = match.group("credit")
        caption = line[: len(line) - len(tail) + match.start()].rstrip()
        if len(caption) < 20 or not ends_sentence(caption) or word_count(credit) > 12:
            return None
    else:
        return None
    return caption, credit.strip()


def credit_suffix(line: str, earlier: str) -> str | None:
    """When ``line`` repeats an earlier caption and adds a short tail, the tail is the credit.

    Captured pages often show a caption twice: once as the picture's text alternative and once
    as the visible caption followed by its credit.
    """
    if len(line) <= len(earlier) or not line.startswith(earlier):
        return None
    tail = line[len(earlier):].strip()
    if not tail or word_count(tail) > 12 or not line[len(earlier)].isspace():
        return None
    return tail.strip(" ()")
