"""HTML captures: trafilatura finds the article; structure is kept as safe Markdown."""

from __future__ import annotations

import gzip

import pytest

from archivist.model import CaptureError
from archivist.readers import capture_suffix, is_capture, read_capture, reader_for

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Lighthouse Keepers Return to Gull Point | Coastline Courier</title>
<meta property="og:title" content="Lighthouse Keepers Return to Gull Point">
<meta property="og:site_name" content="Coastline Courier">
<meta name="author" content="Mara Quill">
<meta property="article:published_time" content="2021-06-14T08:30:00Z">
<meta name="description" content="After forty years of automation, the old light has people again.">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Lighthouse Keepers Return to Gull Point</h1>
<p>For the first time in forty years, two keepers moved into the cottage beside the Gull Point light on Monday, hired by the county to run a small museum and to watch the lamp through the winter storms.</p>
<p>The keepers, a retired ferry captain and his daughter, said they had wanted the job since the county first advertised it last spring, and that the cottage needed new windows before anyone could sleep there.</p>
<h2>A light that never went dark</h2>
<p>The lamp itself has been automatic since the early eighties, but volunteers have climbed the tower every week to check the lens, the batteries and the fog signal, according to <a href="https://example.org/friends">the friends of the light</a>.</p>
<ul><li>Tower height: thirty-one metres</li><li>First lit in the winter of 1871</li></ul>
<blockquote><p>We are not here to replace the machine, only to keep it company through the long nights.</p></blockquote>
<p>Visitors will be able to climb the tower on weekends from July, weather permitting, and the museum will show the logbooks kept by keepers <script>alert(1)</script> from 1871 to 1982, with &lt;b&gt;care&lt;/b&gt; taken over the oldest pages.</p>
</article>
<footer><p>Copyright 2021 Coastline Courier. All rights reserved.</p></footer>
</body></html>
"""


@pytest.fixture(scope="module")
def story():  # type: ignore[no-untyped-def]
    return read_capture(PAGE.encode(), "sources/gull-point.html")


def test_capture_suffixes_include_gzipped_html() -> None:
    assert capture_suffix("a/page.HTML.gz") == ".html.gz"
    assert capture_suffix("page.htm") == ".htm"
    assert capture_suffix("notes.txt") == ".txt"
    assert capture_suffix("archive.tar.gz") is None
    assert is_capture("x.htm.gz") and not is_capture("x.pdf") and not is_capture(".html")
    with pytest.raises(CaptureError):
        reader_for("x.pdf")


def test_html_metadata(story) -> None:  # type: ignore[no-untyped-def]
    assert story.title == "Lighthouse Keepers Return to Gull Point"
    assert story.authors == ["Mara Quill"]
    assert story.date == "2021-06-14"
    assert story.outlet == "Coastline Courier"
    assert story.description.startswith("After forty years")


def test_html_body_without_menus_headline_or_footer(story) -> None:  # type: ignore[no-untyped-def]
    body = story.cleaned.body
    assert story.cleaned.paragraphs[0].startswith("For the first time in forty years")
    assert "Sport" not in body and "All rights reserved" not in body
    assert "Lighthouse Keepers Return" not in body  # the headline is metadata, not body
    assert "keep it company" in body and "Tower height" in body


def test_html_structure_kept_as_escaped_markdown(story) -> None:  # type: ignore[no-untyped-def]
    md = story.cleaned.markdown
    assert "## A light that never went dark" in md
    assert "- Tower height: thirty-one metres" in md
    assert "> We are not here to replace the machine" in md
    assert "[the friends of the light](https://example.org/friends)" in md
    assert "<script>" not in md and "<b>" not in md  # page text can never become markup
    assert story.cleaned.language == "en"


def test_gzipped_html_reads_the_same(story) -> None:  # type: ignore[no-untyped-def]
    zipped = read_capture(gzip.compress(PAGE.encode()), "sources/gull-point.html.gz")
    assert zipped.cleaned.paragraphs == story.cleaned.paragraphs


def test_broken_gzip_is_a_capture_error() -> None:
    with pytest.raises(CaptureError, match="gzip"):
        read_capture(b"\x1f\x8b" + b"not really gzip", "sources/x.html.gz")


def test_sidecar_wins_over_html_metadata() -> None:
    story = read_capture(PAGE.encode(), "sources/gull-point.html",
                         {"title": "Keepers Back at Gull Point", "authors": ["M. Quill"],
                          "date": "2021-06-15", "outlet": "The Courier"})
    assert (story.title, story.authors, story.date, story.outlet) == (
        "Keepers Back at Gull Point", ["M. Quill"], "2021-06-15", "The Courier")


def test_site_name_is_stripped_from_titles() -> None:
    from archivist.readers.html import site_names, strip_site_name

    names = site_names("Coastline Courier", "https://www.coastcourier.example/news/1")
    assert strip_site_name("Keepers Return | Coastline Courier", names) == "Keepers Return"
    assert strip_site_name("Keepers Return - coastcourier", names) == "Keepers Return"
    assert strip_site_name("Coastline Courier: Keepers Return", names) == "Keepers Return"
    assert strip_site_name("Keepers Return – Gull Point", names) == "Keepers Return – Gull Point"
    assert strip_site_name("Coastline Courier", names) == "Coastline Courier"  # nothing else left


def test_the_pages_headline_wins_over_the_metadata_title() -> None:
    from archivist.readers.html import choose_title

    names = {"coastlinecourier"}
    # A single headline-like <h1> is the page's headline, whatever the SEO title says.
    assert choose_title("Gull Point Museum Opens | Coastline Courier", ["Keepers Return to Gull Point"],
                        names) == "Keepers Return to Gull Point"
    # Among several, the one the metadata title shares its words with; the logo's is not it.
    assert choose_title("Opinion | Keepers Return to Gull Point",
                        ["Coastline CourierOpinion", "Keepers Return to Gull Point"],
                        names) == "Keepers Return to Gull Point"
    # Section labels, the site's own name and one-word headings are not headlines.
    assert choose_title("Keepers Return | Coastline Courier", ["Coastline Courier", "World News"],
                        names) == "Keepers Return"
    assert choose_title("Keepers Return", ["Most read stories this week", "Newsletter sign up today"],
                        names) == "Keepers Return"
    assert choose_title(None, [], names) is None
    assert choose_title(None, ["灯台守がグル岬に戻る日"], names) == "灯台守がグル岬に戻る日"


def test_html_title_from_the_h1_and_not_repeated_in_the_body() -> None:
    page = PAGE.replace("<title>Lighthouse Keepers Return to Gull Point | Coastline Courier</title>",
                        "<title>Gull Point museum opening: what to know | Coastline Courier</title>")
    page = page.replace('<meta property="og:title" content="Lighthouse Keepers Return to Gull Point">',
                        '<meta property="og:title" content="Gull Point museum opening: what to know">')
    story = read_capture(page.encode(), "sources/gull-point.html")
    assert story.title == "Lighthouse Keepers Return to Gull Point"
    assert "Lighthouse Keepers Return" not in (story.cleaned.markdown or "")
