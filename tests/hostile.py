"""Hostile and broken captures, generated on the fly (nothing here is copied from real data).

:func:`write_hostile_sources` fills a ``sources/`` folder with every kind of bad input the
archive must survive, and returns what ingest must do with each file: archive it, or report it
once with a reason. Every script-like payload carries the marker ``xss0`` so the browser tests
can recognise anything that came alive.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MARKER = "xss0"

PROSE = (
    "The harbor authority said on Monday that the new pier would open next spring, after two "
    "years of work and a long dispute over its cost.\n"
    "Officials told reporters that the budget had grown by a third, mostly because of the price "
    "of steel, and that the council had approved the rise.\n"
)

# Payloads that would run, style, frame or link if they became markup.
SCRIPT = f"<script>window.{MARKER}=1;alert('{MARKER}')</script>"
IMG = f"<img src=x onerror=\"alert('{MARKER}')\" class={MARKER} data-{MARKER}=1>"
IFRAME = f"<iframe class={MARKER} src=\"javascript:alert('{MARKER}')\"></iframe>"
SVG = f"<svg onload=alert('{MARKER}') class={MARKER}></svg>"
DETAILS = f"<details open ontoggle=alert('{MARKER}') class={MARKER}>x</details>"
STYLE = f"<style>/*{MARKER}*/ body {{ display: none }}</style>"
JS_LINK = f"[click me](javascript:alert('{MARKER}')) <a href=\"javascript:alert('{MARKER}')\" class={MARKER}>link</a>"
META_REFRESH = f"<meta http-equiv=refresh content=\"0;url=javascript:alert('{MARKER}')\" class={MARKER}>"
COMMENT = f"<!-- {MARKER} comment --> <!-- material/tags -->"
TEMPLATE = "{{ 7*7 }} {% raw %} {{ config.site_name }} {# note #}"
PAYLOADS = (SCRIPT, IMG, IFRAME, SVG, DETAILS, STYLE, JS_LINK, META_REFRESH, COMMENT, TEMPLATE)

HOSTILE_BODY_TITLE = f"{SCRIPT} Script In The Headline"
HOSTILE_BODY = (
    f"{HOSTILE_BODY_TITLE}\n{PROSE}"
    + "".join(
        f"Paragraph {i} of the story quotes a payload, {payload}, and keeps going with enough "
        "ordinary words that the cleaner reads it as prose.\n"
        for i, payload in enumerate(PAYLOADS)
    )
)

# Titles a YAML writer or a Markdown renderer could misread.
YAML_TITLE = "--- : # - [ ] { } > | \" ' & * ! % @ ` Title With YAML Specials"
MARKDOWN_TITLE = "# Hash Headline `with` *backticks* and _underscores_ [link](x.md)"

HOSTILE_SIDECAR = yaml.safe_dump({
    "title": f"{SCRIPT} <!-- {MARKER} --> Sidecar Title {{{{ 7*7 }}}}",
    "description": f"{IMG} a \"quoted\" dek with an ampersand & {{% raw %}}",
    "outlet": f"{IFRAME} Outlet",
    "authors": [DETAILS, f"Ann <b class={MARKER}>Bold</b> Lee"],
    "tags": [SVG, f"<!-- {MARKER} -->", "Quote \" And ' Apostrophe", "{{ 7*7 }}"],
    "url": f"https://example.com/story?q=\"><script>alert('{MARKER}')</script>&a='b'",
    "captured_at": f"2020-01-02T03:04:05Z {STYLE}",
}, sort_keys=False)


@dataclass
class Expected:
    """What ingest must do with a generated ``sources/``: report these, archive those."""

    # reported path -> reason fragment (or fragments, one of which the reason holds)
    skipped: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    archived: list[str] = field(default_factory=list)  # capture paths that must get a page
    texts: dict[str, str] = field(default_factory=dict)  # capture path -> text its page shows
    excluded: list[str] = field(default_factory=list)  # left out on purpose, not a problem


def _story(title: str, extra: str = "") -> str:
    # The headline is repeated in the prose so that no two fixtures read as versions of one story.
    return f"{title}\n{PROSE}The story behind “{title}” goes on in this paragraph.\n{extra}"


def write_hostile_sources(project: Path, *, huge: bool = True) -> Expected:
    """Write the hostile fixture set into ``project/sources`` and say what must happen to it."""
    src = project / "sources"
    src.mkdir(parents=True, exist_ok=True)
    out = Expected()

    def put(name: str, data: bytes | str) -> Path:
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def bad(name: str, data: bytes | str | None, reason: str | tuple[str, ...],
            reported: str | None = None) -> None:
        if data is not None:
            put(name, data)
        out.skipped[f"sources/{reported or name}"] = reason

    def good(name: str, data: bytes | str, shows: str | None = None) -> None:
        put(name, data)
        out.archived.append(f"sources/{name}")
        if shows is not None:
            out.texts[f"sources/{name}"] = shows

    # Nothing, or not text.
    bad("empty.txt", b"", "empty capture")
    bad("whitespace.txt", " \n\t \r\n\u3000\n", "empty capture")
    bad("fake.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>", "PDF")
    bad("fake-png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG")
    bad("fake-zip.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "zip")
    bad("random-bytes.txt", bytes((i * 97 + 13) % 256 for i in range(4096)),
        "not a text capture")
    bad("only-nuls.txt", bytes(5000), "not a text capture")
    bad("report.pdf", b"%PDF-1.4", "unsupported file type")
    if huge:
        # 50 MiB of real text: if the size limit failed it would be cleaned, slowly, into a page.
        line = _story("Huge Capture Headline").encode() * 1
        with (src / "huge.txt").open("wb") as handle:
            chunk = line * (1 << 20 // len(line) + 1)
            while handle.tell() < 50 << 20:
                handle.write(chunk)
        out.skipped["sources/huge.txt"] = "too large"
    bad("boilerplate-only.txt", "Menu\nSearch\nShare\nTweet\nSubscribe\nSign in\n", "no title")

    # Text that needs decoding care: archived, and shown as the characters that were meant.
    good("nul-bytes.txt", _story("Nul\x00 Bytes Headline", "A line\x00 with NUL\x00 bytes inside it and enough words to count as a full paragraph of text.\n"),
         "A line with NUL bytes inside it")
    good("invalid-utf8.txt", _story("Invalid UTF-8 Café Headline").encode() + b"Bad bytes \xff\xfe\xc3\x28 here, " + "in a sentence with “quotes” and enough words to be prose.\n".encode(),
         "Bad bytes \ufffd\ufffd\ufffd( here")
    good("utf16-bom.txt", codecs.BOM_UTF16_LE + _story("UTF-16 With BOM “Quoted” Headline").encode("utf-16-le"),
         "UTF-16 With BOM “Quoted” Headline")
    good("utf16-nobom.txt", _story("UTF-16 Without BOM Naïve Headline").encode("utf-16-le"),
         "UTF-16 Without BOM Naïve Headline")
    good("utf16be-nobom.txt", _story("UTF-16 Big Endian Façade Headline").encode("utf-16-be"),
         "UTF-16 Big Endian Façade Headline")
    good("cp1252.txt", _story("Smart Quotes In Windows Text", "The minister said “we will not resign” and left – quickly, said the man’s aide on Friday evening.\n").encode("cp1252"),
         "The minister said “we will not resign” and left – quickly")
    good("mixed-endings.txt", "Mixed Line Endings Headline\r\n" + PROSE.replace("\n", "\r", 1) + "Third paragraph after a Windows line ending, long enough to be read as prose by the cleaner.\r\n",
         "Third paragraph after a Windows line ending")
    good("old-mac.txt", _story("Old Mac Line Endings Headline").replace("\n", "\r"),
         "Old Mac Line Endings Headline")
    good("one-line.txt", "Only One Line In This Capture", "Only One Line In This Capture")
    bad("x-copy-of-one-line.txt", "Only One Line In This Capture", "same bytes as sources/one-line.txt")
    # One line of prose and nothing above it: archived (nothing is lost), the line its own body.
    good("one-long-line.txt", " ".join(["A single line that goes on and on about the harbor."] * 60),
         "A single line that goes on and on about the harbor.")

    # Text that would be markup, script, YAML or a template if it were not escaped.
    good("hostile-body.txt", HOSTILE_BODY, SCRIPT)
    good("yaml-title.txt", _story(YAML_TITLE), YAML_TITLE)
    good("leading-dashes.txt", _story("--- Leading Dashes Headline ---"), "--- Leading Dashes Headline ---")
    good("markdown-title.txt", _story(MARKDOWN_TITLE), MARKDOWN_TITLE)
    good("hostile-sidecar.txt", _story("Headline Replaced By The Sidecar"), "Sidecar Title {{ 7*7 }}")
    put("hostile-sidecar.yml", HOSTILE_SIDECAR)
    good("yaml-sidecar.txt", _story("Headline Replaced By A YAML Title"), "---")
    put("yaml-sidecar.yml", "title: '---'\ndescription: \"--- \\n---\\n: # - [ ] { } > | ' \\\" \"\n")
    good(f"{IMG}.txt", _story("A Capture With A Hostile File Name"), "A Capture With A Hostile File Name")
    # Two different stories under one headline (their bodies share nothing).
    good("same-title-a.txt", "Two Captures Share This Title\nThe first story under this headline is about the ferry timetable, which changes in May for the summer season.\nIt adds two late crossings on Fridays and Saturdays, the operator said in a statement on Tuesday.\n")
    good("same-title-b.txt", "Two Captures Share This Title\nThe second story under this headline is about the lighthouse, which reopens to visitors next week after repairs.\nTickets can be bought at the harbour office, and school groups go free until the end of June.\n")

    # Sidecars that try to leave docs/, smuggle a scheme, or are not sidecars at all.
    for name, sidecar, reason in [
        ("slug-escape", "slug: ../../../outside\n", "cannot set 'slug'"),
        ("path-absolute", "path: /etc/passwd\n", "cannot set 'path'"),
        ("url-javascript", f"url: \"javascript:alert('{MARKER}')\"\n", "http(s) address"),
        ("url-data", "url: data:text/html,<script>alert(1)</script>\n", "http(s) address"),
        ("url-relative", "url: ../../secret.html\n", "http(s) address"),
        ("url-file", "url: file:///etc/passwd\n", "http(s) address"),
        ("url-no-host", "url: 'https:///path'\n", "http(s) address"),
        ("url-bad-ipv6", "url: 'http://[::1'\n", "not a valid address"),
        ("malformed", "title: [unclosed\n", "not valid YAML"),
        ("not-mapping", "- a list\n- not a mapping\n", "mapping"),
        ("unknown-key", "titel: typo\n", "unknown key"),
        ("title-list", "title: [a, b]\n", "single value"),
        ("exclude-string", "exclude: 'no'\n", "true or false"),
        ("alias-bomb", "title: [&a [x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a],"
                       " &c [*b, *b, *b, *b, *b, *b, *b, *b], [*c, *c, *c, *c, *c, *c, *c, *c]]\n",
         "single value"),
        # libyaml builds the nested lists (then the title is no single value), or, from the
        # version in PyYAML 6.0.4, stops at its nesting limit of 1,000 levels.
        ("too-deep", "title: " + "[" * 5000 + "]" * 5000 + "\n", ("single value", "nested too deeply")),
    ]:
        put(f"sidecars/{name}.txt", _story(f"Sidecar Case {name}"))
        bad(f"sidecars/{name}.yml", sidecar, reason, reported=f"sidecars/{name}.txt")
    bad("orphan.yml", "title: No Capture Beside Me\n", "sidecar without a capture")
    put("excluded.txt", _story("Excluded By Its Sidecar"))
    put("excluded.yml", "exclude: true\n")
    out.excluded.append("sources/excluded.txt")

    # Files that are not plain captures inside sources/.
    outside = project / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(_story("Secret Outside Sources"))
    (src / "link-out.txt").symlink_to(outside / "secret.txt")
    out.skipped["sources/link-out.txt"] = "symlink pointing outside"
    (src / "link-dir").symlink_to(outside)
    out.skipped["sources/link-dir"] = "symlink pointing outside"
    (src / "broken-link.txt").symlink_to(src / "does-not-exist.txt")
    out.skipped["sources/broken-link.txt"] = "broken symlink"
    os.mkfifo(src / "fifo.txt")
    out.skipped["sources/fifo.txt"] = "not a regular file"
    # A sidecar must not smuggle in a file from elsewhere either; its capture waits for a fix.
    put("sidecar-link-out.txt", _story("Sidecar That Links Outside"))
    (outside / "secret.yml").write_text("title: Secret Title From Outside\n")
    (src / "sidecar-link-out.yml").symlink_to(outside / "secret.yml")
    out.skipped["sources/sidecar-link-out.txt"] = "sidecar-link-out.yml: symlink pointing outside"
    put("sidecar-fifo.txt", _story("Sidecar That Is A FIFO"))
    os.mkfifo(src / "sidecar-fifo.yml")
    out.skipped["sources/sidecar-fifo.txt"] = "sidecar-fifo.yml: not a regular file"
    good("two-sidecars.txt", _story("Headline Of A Capture With Two Sidecars"), "Title From The yml Sidecar")
    put("two-sidecars.yml", "title: Title From The yml Sidecar\n")
    bad("two-sidecars.yaml", "title: Title From The yaml Sidecar\n", "two-sidecars.yml is the sidecar")
    put("newline\nin-name.txt", _story("File Name With A Newline"))
    out.skipped["sources/newline\nin-name.txt"] = "control characters"
    bad_name = os.fsencode(src) + b"/latin1-\xe9.txt"
    with open(bad_name, "wb") as handle:
        handle.write(_story("File Name Not In UTF-8").encode())
    out.skipped["sources/latin1-\udce9.txt"] = "not valid UTF-8"
    (src / ".hidden.txt").write_text(_story("Hidden Files Are Not Captures"))
    return out
