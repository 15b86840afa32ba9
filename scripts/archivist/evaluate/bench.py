"""``archivist bench``: build archives of given sizes from a corpus and print what they cost.

For each size it writes the first N articles as captures with sidecars into a scratch project
(this repository's mkdocs.yml, switched to Pagefind search), then measures, each as its own
process so that time and peak memory are whole-process figures:

- the whole pipeline: ``mkdocs build`` from nothing (its hooks ingest, link and run Pagefind);
- the floor: a plain ``mkdocs build`` of the same generated pages with the Material theme and
  only its built-in search plugin, side by side in the same run;
- an incremental re-run: ``archivist ingest`` after adding one capture;
- optionally, cleaning on a local Dask cluster (``--dask``), and a first search in headless
  Chromium (bytes transferred, time to the right result).
"""

from __future__ import annotations

import functools
import http.server
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import click
import yaml

from archivist.evaluate.related import read_corpus, write_captures

REPO = Path(__file__).resolve().parents[3]
GNU_TIME = Path("/usr/bin/time")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; its wall time, peak memory (GNU time, when present) and output."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        wrapped = [str(GNU_TIME), "-f", "%e %M", "-o", stats.name, *cmd] if GNU_TIME.exists() else cmd
        start = time.perf_counter()
        done = subprocess.run(wrapped, cwd=cwd, env=full_env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        peak = None
        if GNU_TIME.exists():
            fields = stats.read().split()
            peak = int(fields[-1]) * 1024 if fields else None
    if done.returncode != 0:
        raise click.ClickException(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return {"seconds": seconds, "peak": peak, "out": done.stdout + done.stderr}


def scratch_project(root: Path) -> Path:
    """An empty archive project in ``root``: this repository's mkdocs.yml, theme overrides,
    assets and hooks (linked), and an empty ``sources/``. The tests build their sites in these."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    (root / "scripts").symlink_to(REPO / "scripts")
    (root / "sources").mkdir()
    return root


def make_project(root: Path, rows: list[dict[str, Any]]) -> Path:
    """A scratch archive: captures with sidecars, this repository's theme files and hooks."""
    if root.exists():
        shutil.rmtree(root)
    scratch_project(root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nplugins:\n  - search\n", "\nplugins: []\n", config)
    config = config.replace("search: material", "search: pagefind")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    write_captures(rows, root / "sources")
    return root


def floor_config(root: Path) -> Path:
    """Material with only its built-in search, no hooks, no tags, over the same docs/ and with
    the same small nav (without one, MkDocs lists every page in every page: quadratic)."""
    ours = yaml.load((root / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    floor = {
        "site_name": "Floor", "docs_dir": "docs", "site_dir": "site-floor", "nav": ours["nav"],
        "theme": {"name": "material"}, "plugins": ["search"],
        "markdown_extensions": ["attr_list", {"toc": {"permalink": False}}],
        "validation": ours.get("validation", {}),
    }
    path = root / "floor.yml"
    path.write_text(yaml.safe_dump(floor), encoding="utf-8")
    return path


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _stage_times(log: str) -> dict[str, float]:
    match = re.search(r"time: (.*)", log)
    if not match:
        return {}
    return {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", match.group(1))}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _body_size(request: Any) -> int:
    """Bytes of a finished response; a request that ends as the browser closes counts as 0."""
    try:
        return int((request.sizes() or {}).get("responseBodySize", 0))
    except Exception:  # playwright raises its own Error once the page is closed
        return 0


def first_searches(site: Path, queries: list[tuple[str, str]]) -> list[dict[str, Any]] | None:
    """Open the built site in headless Chromium and, for each (query, expected title start), type
    the query as a first search on a fresh page (nothing cached) and wait for the story: the
    bytes the search transferred and the seconds to the right result."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for query, expect in queries:
                context = browser.new_context()
                page = context.new_page()
                sizes: list[int] = []
                page.on("requestfinished", lambda r, sizes=sizes: sizes.append(_body_size(r)))
                page.goto(f"http://127.0.0.1:{server.server_port}/")
                page.wait_for_load_state("networkidle")
                sizes.clear()
                start = time.perf_counter()
                page.click(".md-search__input")
                page.fill(".md-search__input", query)
                page.wait_for_function(
                    "e => [...document.querySelectorAll('.md-search-result__item h1')]"
                    ".some(h => h.textContent.includes(e))", arg=expect, timeout=15000)
                seconds = time.perf_counter() - start
                page.wait_for_load_state("networkidle")
                context.close()
                found.append({"query": query, "seconds": seconds, "bytes": sum(sizes)})
            browser.close()
        return found
    finally:
        server.shutdown()


def headline_sample(rows: list[dict[str, Any]], n: int, count: int) -> list[tuple[str, str]]:
    """``count`` whole headlines of the first ``n`` stories, drawn with a fixed seed (the same
    ones on every run), each with the start of its title to wait for."""
    titles = [r["title"].strip() for r in random.Random(7).sample(rows[:n], min(count, n))]
    return [(t, t[:40]) for t in titles if t]


def search_site(site: Path, rows: list[dict[str, Any]], n: int,
                headlines: int) -> tuple[Any, Any, Any] | None:
    """First searches on the site of the first ``n`` stories: the middle story's whole headline,
    its first three words, and ``headlines`` more whole headlines; None without a browser."""
    title = rows[n // 2]["title"].strip()
    searched = first_searches(site, [(title, title[:40]), (" ".join(title.split()[:3]), ""),
                                     *headline_sample(rows, n, headlines)])
    return (searched[0], searched[1], searched[2:]) if searched else None


def _search_line(search: dict[str, Any], short: dict[str, Any], sample: list[dict[str, Any]]) -> str:
    return (f"{search['bytes'] / 1024:.0f} KB in {search['seconds']:.2f} s (whole headline), "
            f"{short['bytes'] / 1024:.0f} KB in {short['seconds']:.2f} s (three words)"
            + (f"; {_sample_line(sample)}" if sample else ""))


def _sample_line(sample: list[dict[str, Any]]) -> str:
    kb = sorted(s["bytes"] / 1024 for s in sample)
    over = sum(s["bytes"] > 1_000_000 for s in sample)
    return (f"{len(sample)} headlines: median {statistics.median(kb):.0f} KB, max {kb[-1]:.0f} KB, "
            f"{over} over 1 MB, slowest {max(s['seconds'] for s in sample):.2f} s")


def _dask_ingest(root: Path) -> dict[str, Any] | None:
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        return measure([sys.executable, "-m", "archivist", "ingest", "-q", "--no-cache",
                        "--docs", str(root / "docs-dask"), "--executor", address], root)


def _mb(n: int | None) -> str:
    return f"{n / 2**20:,.0f} MB" if n else "n/a"


def one_more(rows: list[dict[str, Any]], n: int) -> dict[str, Any]:
    """The capture added for the re-ingest figure: the corpus' next article, or when the corpus
    has no more (12,000 of 12,000), a new follow-up story made from one in the middle of it,
    with its own id, URL and title and its paragraphs in reverse order."""
    if n < len(rows):
        return rows[n]
    base = rows[n // 2]
    body = "\n\n".join(reversed([p for p in base["body"].split("\n\n") if p.strip()]))
    url = base.get("url") or ""
    return {**base, "id": f"{base['id']}-follow-up", "title": f"Follow-up: {base['title'].strip()}",
            "url": url.rstrip("/") + "-follow-up" if url else None, "body": body}


def _search_only(rows: list[dict[str, Any]], counts: list[int], workdir: Path | None, headlines: int) -> None:
    """First searches on sites already built (e.g. after a change to the search box alone)."""
    if workdir is None:
        raise click.UsageError("--search-only needs --workdir, where an earlier run built the sites.")
    for n in counts:
        site = workdir / f"n{n}" / "site"
        if not site.is_dir():
            raise click.UsageError(f"{site} does not exist: run the bench with this --workdir first.")
        searched = search_site(site, rows, n, headlines)
        if not searched:
            raise click.ClickException("playwright or /usr/bin/chromium is missing.")
        click.echo(f"{n:>6} stories: first search {_search_line(*searched)}")


@click.command("bench")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Articles as JSON lines (id, title, date, source, url, authors, body), gzip or not.")
@click.option("--sizes", default="1000,5000,12000", show_default=True, help="Archive sizes to build.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the scratch archives go [default: a temporary folder, removed after].")
@click.option("--browser/--no-browser", default=True, show_default=True,
              help="Measure a first search in headless Chromium (needs playwright and /usr/bin/chromium).")
@click.option("--headlines", default=10, show_default=True,
              help="Whole headlines of random stories (fixed seed) also searched first, for the spread.")
@click.option("--dask", is_flag=True, help="Also clean the largest size on a local Dask cluster.")
@click.option("--search-only", is_flag=True,
              help="Build nothing: measure first searches on the sites an earlier run left in --workdir.")
def bench_command(corpus: Path, sizes: str, workdir: Path | None, browser: bool, headlines: int,
                  dask: bool, search_only: bool) -> None:
    """Build archives of several sizes and print time, memory, size and search cost for each."""
    counts = sorted(int(s) for s in sizes.split(",") if s.strip())
    rows = read_corpus(corpus, limit=max(counts) + 1)
    if search_only:
        _search_only(rows, counts, workdir, headlines)
        return
    scratch = Path(tempfile.mkdtemp(prefix="archivist-bench-")) if workdir is None else workdir
    results = []
    try:
        for n in counts:
            root = make_project(scratch / f"n{n}", rows[:n])
            run = measure([sys.executable, "-m", "mkdocs", "build"], root)
            stages = _stage_times(run["out"])
            floor = measure([sys.executable, "-m", "mkdocs", "build", "-f", str(floor_config(root))], root)
            site = tree_bytes(root / "site")
            write_captures([one_more(rows, n)], root / "sources")
            again = measure([sys.executable, "-m", "archivist", "ingest", "-q"], root)
            search = short = sample = None
            searched = search_site(root / "site", rows, n, headlines) if browser else None
            if searched:
                search, short, sample = searched
            row = {"n": n, "total": run["seconds"], "peak": run["peak"], "stages": stages,
                   "floor": floor["seconds"], "floor_peak": floor["peak"],
                   "bytes_per_story": site / n, "incremental": again["seconds"], "search": search,
                   "short": short, "sample": sample}
            results.append(row)
            click.echo(
                f"{n:>6} stories: pipeline {row['total']:.1f} s (cleaning {stages.get('cleaning', 0):.1f}, "
                f"linking {stages.get('linking', 0):.1f}, writing {stages.get('writing', 0):.1f}, "
                f"rest = MkDocs + Pagefind), peak {_mb(row['peak'])}; floor {row['floor']:.1f} s, "
                f"peak {_mb(row['floor_peak'])}; ratio {row['total'] / row['floor']:.2f}; "
                f"site {row['bytes_per_story'] / 1024:.1f} KB/story; re-ingest after adding one "
                f"capture {row['incremental']:.1f} s; first search "
                + (_search_line(search, short, sample) if search and short else "not run")
            )
        if dask:
            shown = _dask_ingest(scratch / f"n{counts[-1]}")
            click.echo("dask: " + (f"{counts[-1]} captures cleaned on a 2-worker local cluster in "
                                   f"{shown['seconds']:.1f} s" if shown else "distributed is not installed"))
    finally:
        if workdir is None:
            shutil.rmtree(scratch, ignore_errors=True)
    click.echo("\n| stories | pipeline (s) | floor (s) | ratio | peak memory | KB per story "
               "| re-ingest +1 (s) | first search: headline / three words |")
    click.echo("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        s, t = r["search"], r["short"]
        click.echo(f"| {r['n']:,} | {r['total']:.1f} | {r['floor']:.1f} | {r['total'] / r['floor']:.2f} "
                   f"| {_mb(r['peak'])} | {r['bytes_per_story'] / 1024:.1f} | {r['incremental']:.1f} | "
                   + (f"{s['bytes'] / 1024:.0f} KB, {s['seconds']:.2f} s / {t['bytes'] / 1024:.0f} KB, "
                      f"{t['seconds']:.2f} s |" if s and t else "n/a |"))
