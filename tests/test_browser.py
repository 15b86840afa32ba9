"""Nothing from a capture runs in a reader's browser: a hostile archive opened in real Chromium.

One site is built (``mkdocs build --strict``, the hooks run the ingest) from the hostile fixture
set, served over HTTP, and every story page, archive page and raw capture copy is opened in
headless Debian Chromium through Playwright, plus Material's search for hostile queries. A page
fails on any dialog, any console error or uncaught exception, any request that leaves the site
(other than the theme's web fonts), and any element or attribute that came from capture text.
A deliberately vulnerable control page proves the checks catch an injected ``<img onerror>``.

Playwright drives the system's ``/usr/bin/chromium`` and never downloads a browser. Without it
these tests skip with the reason; with CI=true they fail instead, so CI cannot skip them.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from captures import DATED, EARLIER
from conftest import write_capture
from hostile import MARKER, SCRIPT, write_hostile_sources
from test_hostile import new_project

CHROMIUM = Path(os.environ.get("ARCHIVIST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Material loads its web fonts from Google unless `theme.font: false`; nothing else may leave.
ALLOWED_HOSTS = {"fonts.googleapis.com", "fonts.gstatic.com"}


def _require_browser() -> Any:
    """The Playwright module, or skip (fail in CI) with the reason it cannot run."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found (Debian: apt-get install chromium)"
    try:
        from playwright import sync_api
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[dev]')"
        sync_api = None
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    return sync_api


# Runs in the page: everything that would mean capture text became markup or a live link.
FIND_INJECTIONS = """(marker) => {
  const bad = [];
  const say = (el, what) => bad.push(`<${el.tagName.toLowerCase()}> ${what}`);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base'].includes(tag))
      say(el, 'element');
    // Material's own forms (search, colour palette) sit outside the content and results.
    if (['form', 'input', 'button', 'textarea', 'select'].includes(tag)
        && el.closest('.md-content, .md-search-result')) say(el, 'form control');
    if (tag === 'meta' && el.httpEquiv) say(el, 'http-equiv');
    if (tag === 'script' && el.src && new URL(el.src).origin !== location.origin) say(el, el.src);
    if ((tag === 'script' || tag === 'style') && el.textContent.includes(marker)) say(el, 'inline');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value;
      if (name.startsWith('on')) say(el, `handler ${name}`);
      if (name.includes(marker)) say(el, `attribute ${name}`);
      if (['class', 'style'].includes(name) && value.includes(marker)) say(el, `${name}=${value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data', 'poster'].includes(name)
          && /^\\s*(javascript|data|vbscript):/i.test(value) && !value.startsWith('data:image/'))
        say(el, `${name}=${value}`);
    }
  }
  if (window[marker] !== undefined) bad.push(`window.${marker} was set`);
  return bad;
}"""


@dataclass
class Findings:
    """What went wrong while a page was open."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    injected: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return ([f"dialog: {d}" for d in self.dialogs] + [f"console: {e}" for e in self.errors]
                + [f"request: {u}" for u in self.foreign] + [f"markup: {i}" for i in self.injected])


class Browser:
    """One Chromium for the module; each page is opened in a fresh tab with its listeners."""

    def __init__(self, sync_api: Any, base: str) -> None:
        self._pw = sync_api.sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self.context = self.browser.new_context(service_workers="block")
        self.context.set_default_timeout(15_000)
        self.base = base
        self.origin = f"{urlsplit(base).scheme}://{urlsplit(base).netloc}"
        self.findings = Findings()
        # Only requests leaving the site are routed (through Python): they are all refused.
        self.context.route(lambda url: not url.startswith(self.origin + "/"), self._refuse)

    def _refuse(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname not in ALLOWED_HOSTS:
            self.findings.foreign.append(url)
        route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            if urlsplit(where).hostname not in ALLOWED_HOSTS and "fonts.g" not in message.text:
                self.findings.errors.append(message.text)

    def open(self, path: str) -> tuple[Any, Findings]:
        """Load ``path`` (relative to the site), let it settle, and check it."""
        self.findings = Findings()
        page = self.context.new_page()
        page.on("dialog", lambda d: (self.findings.dialogs.append(d.message), d.dismiss()))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.findings.errors.append(f"uncaught {e}"))
        page.goto(self.base + path, wait_until="load")
        page.wait_for_timeout(50)  # handlers on lazily loaded elements fire right after load
        self.findings.injected = page.evaluate(FIND_INJECTIONS, MARKER)
        return page, self.findings

    def close(self) -> None:
        self.context.close()
        self.browser.close()
        self._pw.stop()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile archive, built by MkDocs exactly as a user would."""
    sync_api = _require_browser()
    assert sync_api
    project = new_project(tmp_path_factory.mktemp("browser") / "project")
    write_hostile_sources(project, huge=False)
    write_capture(project, "harbor.txt", DATED)
    write_capture(project, "earlier.txt", EARLIER)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    return project / "site"


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[Browser]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    chromium = Browser(_require_browser(), f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        yield chromium
    finally:
        chromium.close()
        server.shutdown()
        server.server_close()


def _story_pages(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/"
                  for p in (site / "stories").rglob("index.html"))


def test_checks_catch_an_injected_payload(browser: Browser, site: Path) -> None:
    """Negative control: the same checks on a page that really is vulnerable must fail it."""
    control = site / "control-vulnerable"
    control.mkdir(exist_ok=True)
    (control / "index.html").write_text(
        f"<!doctype html><p>{SCRIPT}</p><img src=x onerror=\"alert('{MARKER}')\">"
        f"<a href=\"javascript:alert(1)\" class={MARKER}>x</a>")
    try:
        page, findings = browser.open("control-vulnerable/")
        page.close()
    finally:
        (control / "index.html").unlink()
        control.rmdir()
    assert MARKER in findings.dialogs
    assert "window.xss0 was set" in findings.injected
    assert any("handler onerror" in i for i in findings.injected)
    assert any("href=javascript:" in i for i in findings.injected)
    assert findings.errors  # the broken image's 404


def test_every_story_page_is_inert(browser: Browser, site: Path) -> None:
    pages = _story_pages(site)
    assert len(pages) >= 18
    problems = {}
    shown = ""
    for path in pages:
        page, findings = browser.open(path)
        if findings.all():
            problems[path] = findings.all()
        shown += page.inner_text("article")
        page.close()
    assert problems == {}
    # The payloads are on the pages as text a reader can see, not dropped.
    for text in (SCRIPT, f"onerror=\"alert('{MARKER}')\"", "{{ 7*7 }}", "{% raw %}", "<!-- xss0",
                 "<iframe", "javascript:alert", "--- : # - [ ] { } > |"):
        assert text in shown, text


def test_archive_pages_are_inert(browser: Browser) -> None:
    problems = {}
    for path in ["", "timeline/", "outlets/", "tags/", "404.html"]:
        page, findings = browser.open(path)
        if findings.all():
            problems[path] = findings.all()
        page.close()
    assert problems == {}


def test_raw_capture_copies_are_served_as_plain_text(browser: Browser, site: Path) -> None:
    """The published raw captures hold every payload unescaped: they must never be HTML."""
    copies = sorted(p.relative_to(site).as_posix() for p in (site / "captures").glob("*.txt"))
    assert copies
    hostile = [c for c in copies if SCRIPT.encode() in (site / c).read_bytes()]
    assert hostile
    for path in copies:
        response = browser.context.request.get(browser.base + path)
        assert response.headers["content-type"].startswith("text/plain"), path
    for path in hostile:
        page, findings = browser.open(path)
        assert page.evaluate("document.contentType") == "text/plain"
        assert SCRIPT in page.inner_text("body")
        page.close()
        assert not findings.all(), findings.all()


def test_tags_and_titles_from_a_sidecar_show_as_text(browser: Browser, site: Path) -> None:
    page, findings = browser.open("tags/")
    text = page.inner_text("body")
    page.close()
    assert not findings.all()
    assert "<!-- xss0 -->" in text and "{{ 7*7 }}" in text and "<svg onload" in text
    story = next(p for p in _story_pages(site) if "sidecar-title" in p)
    page, findings = browser.open(story)
    assert not findings.all()
    assert page.title().startswith(SCRIPT)
    assert page.inner_text(".md-header__topic >> nth=1").startswith(SCRIPT)
    assert page.get_attribute('meta[name="description"]', "content").startswith("<img src=x")
    page.close()


@pytest.mark.parametrize("query", [MARKER, f"<img src=x onerror=alert('{MARKER}')>", "script"])
def test_search_results_for_hostile_queries_are_inert(browser: Browser, query: str) -> None:
    page, findings = browser.open("")
    meta = page.locator(".md-search-result__meta")
    # Wait for the search worker; keystrokes typed while it loads can be dropped, so retype.
    page.wait_for_function("!/Initializing/i.test(document.querySelector("
                           "'.md-search-result__meta').textContent)")
    box = page.locator("input.md-search__input")
    for _ in range(5):
        box.fill("")
        box.press_sequentially(query, delay=5)
        try:
            page.wait_for_function(
                "!/Type to start/i.test(document.querySelector('.md-search-result__meta')"
                ".textContent)", timeout=3_000)
            break
        except Exception:
            continue
    assert "Type to start" not in meta.inner_text(), "the search never ran"
    page.wait_for_timeout(200)
    results = page.locator(".md-search-result__item").count()
    shown = page.inner_text(".md-search-result")
    findings.injected += page.evaluate(FIND_INJECTIONS, MARKER)
    page.close()
    assert not findings.all(), findings.all()
    if query == MARKER:  # hostile titles, deks and tags are in the results, as text
        assert SCRIPT in shown and "<svg onload" in shown and "<!-- xss0 -->" in shown
    if query != f"<img src=x onerror=alert('{MARKER}')>":
        assert results > 0, f"search for {query!r} found nothing: the test did not search"
