"""Capture text must render as exactly itself: no formatting, no HTML, no links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archivist.generate.escape import escape_block, escape_inline
from previous_escape import previous_block, previous_inline
from rendering import render, visible_text

HOSTILE = [
    "# heading?",
    "## also not a heading",
    "- not a list",
    "+ not a list",
    "* not a list",
    "1. not a list",
    "2) not a list",
    "> not a quote",
    "!!! note not an admonition",
    "--- not a rule",
    "---",
    "***",
    "___",
    "*stars* and **double** and _under_ and __double__",
    "`code` and ``more``",
    "<b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)>",
    "<!-- comment --> &amp; &lt; &#169; &copy;",
    "[link](http://example.com) and ![img](x.png) and [ref][1] and [^1]",
    "<http://example.com> and https://example.com",
    "a \\ backslash \\* and \\\\ two",
    "{: .class } {#id} {{ jinja }} {% tag %}",
    "*[HTML]: abbreviation",
    "[TOC]",
    "| a | b |",
    "tabs\tand    spaces",
    "ends with two spaces  ",
    "    indented code?",
    "=== not a heading",
    ":smile: ~~strike~~ ^^ins^^ ==mark==",
    "<!-- material/tags -->",
    "#",
    "Closing hashes #",
    "]: looks like a reference definition in link text",
    "[a]: http://example.com",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_block_renders_as_typed(text: str) -> None:
    md = escape_block(text)
    reader = render(md)
    assert reader.tags == ["p"], md
    assert reader.attrs == []
    assert visible_text(md) == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_in_list_item_and_link_text(text: str) -> None:
    md = f"- [{escape_inline(text)}](page.md)"
    reader = render(md)
    assert reader.tags == ["ul", "li", "a"], md
    assert reader.attrs == [("href", "page.md")]
    assert visible_text(md) == " ".join(text.split())


@given(st.lists(st.sampled_from([*"&<>\\`*_{}[]#:!-+.1 \t\n\r\x0b\x1c\x85\u00a0\u2028\u3000é中😀",
                                 "x", "]:", "  ", "12."])).map("".join) | st.text())
@settings(max_examples=1000, deadline=None)
def test_escape_as_before(text: str) -> None:
    """Same text as the previous, slower, escaping (whitespace folding, entities, backslashes)."""
    for variant in (text, text + "é", "é" + text):  # the non-ASCII path too
        assert escape_inline(variant) == previous_inline(variant)
        assert escape_block(variant) == previous_block(variant)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_escaped_as_before(text: str) -> None:
    for variant in (text, text + " é", "é " + text, "", " ", "1) " + text):
        assert escape_inline(variant) == previous_inline(variant)
        assert escape_block(variant) == previous_block(variant)
