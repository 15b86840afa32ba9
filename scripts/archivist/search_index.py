"""Full-text search for large archives: Pagefind over the stories' search records, in shards.

Material's built-in search ships one index for the whole site (48 MB at 10,000 pages), which
the browser downloads and builds before the first result. Pagefind splits its index into
chunks, so a query loads a few tens of kilobytes per word whatever the archive's size.

Pagefind does not index the built site: MkDocs writes the pages only at the end of a build and
then the build had to wait for Pagefind (about 50 s at 12,000 stories). The MkDocs hooks start
it from ``on_files``, once the ingest has written ``docs/`` and MkDocs knows each page's built
path, over a **record** of each story page (search_records.py: the page's searchable text as
minimal HTML, at the page's built path in a scratch folder, so it gets the page's URL), on the
core MkDocs' single thread leaves idle; ``on_post_build`` waits for it and moves the bundles
into ``site/`` (MkDocs empties ``site/`` when a build starts). Pagefind runs as its command
line (multi-threaded Rust) over files: its Python API answers at most ten calls a second (its
reader sleeps 0.1 s before each response), 20 minutes for 12,000 records.

Its memory grows with the pages it indexes (about 0.35 MB a story record: 4.1 GB at 12,000). So an
archive of more than ``SHARD_PAGES`` story pages is indexed in **shards** of at most that many
pages (``extra: archivist: search_shard_pages: N`` to change it, 0 for one index), contiguous
runs of ``stories/<year>/<month>/`` folders in build order, one Pagefind process each
(``--output-subdir``), one at a time; the browser
merges them (Pagefind's ``mergeIndex``), each with a filter ``shard`` of its own number
(``mergeFilter``: nothing in the index). Pagefind ignores a query word missing from an index,
so merged shards would each match on the words they hold; the search box counts each word's
matches per shard (a one-word search, over the index chunks the query loads anyway) and runs
the query only on the shards holding every word found anywhere: the matches of one index. The
cost: a query loads one index chunk per word per shard.

A word found on (almost) every page adds nothing to an AND query but costs a large chunk (the
postings of "the" are 600 KB at 12,000 pages). After each shard is written, ``common_words``
reads its index and lists the words whose chunk the query would load and that are missing from
at most a few pages, with those pages. The search box drops such words from an unquoted query
and removes the pages listed for them from the results: the same pages match as with the
words, without loading their chunks. Nothing here is tied to a language: the list comes from
the archive's own index.

The manifest also holds each shard's chunk table (``chunk_table``: every chunk's word bounds and
the KB of the few far larger than the rest) and the share of pages holding each frequent word
(``common``), so the search box can order a long query's words by what they cost to load and
how much they narrow it, and settle the costly ones on the few matching pages' text first.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STORY_GLOB = "stories/**/*.html"  # stories only: archive listings would crowd the results
ROOT_SELECTOR = ".md-content"  # the article, without header, nav and footer
EXCLUDE = [".archivist-capture"]
BUNDLE = "pagefind"  # the first shard's bundle; its pagefind.js runs the search for all shards
MANIFEST = "archivist-search.json"  # in BUNDLE: the other shards and the droppable words
SHARD_PAGES = 6500  # more story pages than this: shards (2 at 12,000 pages, 2.3 GB a Pagefind process)
SKIP_MIN_PAGES = 500  # list a word only where its postings are large enough to matter
SKIP_MAX_MISSING = 0.02  # ... and it is missing from at most this share of a shard's pages
SKIP_MAX_WORDS = 64
COMMON_MIN_SHARE = 0.05  # the search box's list of frequent words: those on this share of pages
COMMON_MAX_WORDS = 500  # ... the most frequent first, at most this many


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says which and why."""


def _require_pagefind() -> None:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        raise SearchIndexError("search: pagefind needs the 'pagefind[bin]' package") from None


def pagefind_command(site: Path, glob: str = STORY_GLOB, output_subdir: str | None = None,
                     records: bool = False) -> list[str]:
    """Pagefind's command line over ``glob`` in ``site``: built pages (their article only), or
    search records (search_records.py: nothing but the record in them)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob, "--quiet"]
    if not records:
        command += ["--root-selector", ROOT_SELECTOR, "--exclude-selectors", ",".join(EXCLUDE)]
    if output_subdir:
        command += ["--output-subdir", output_subdir]
    return command


def _failure(done: subprocess.CompletedProcess[str] | Any, what: str) -> SearchIndexError:
    detail = (done.stderr or done.stdout or "").strip().splitlines()[-1:] or ["no output"]
    return SearchIndexError(f"pagefind failed on {what}: {detail[0]}")


def run_pagefind(site: Path) -> None:
    """Write ``site/pagefind/`` over every story page in one go (one shard)."""
    _require_pagefind()
    done = subprocess.run(pagefind_command(site), capture_output=True, text=True)
    if done.returncode != 0:
        raise _failure(done, "the story pages")


# --- shards ----------------------------------------------------------------------------------

@dataclass
class Shard:
    """Story pages indexed by one Pagefind process: whole ``stories/<year>/<month>/`` folders."""

    number: int
    folders: list[str]
    pages: int
    written: int = 0

    @property
    def subdir(self) -> str:
        return BUNDLE if self.number == 1 else f"{BUNDLE}-{self.number}"

    @property
    def glob(self) -> str:
        names = self.folders[0] if len(self.folders) == 1 else "{" + ",".join(self.folders) + "}"
        return f"stories/{names}/**/*.html"


def story_folder(src_uri: str, stories_dir: str = "stories") -> str | None:
    """The folder under ``stories/`` of a story page (``2019/03`` for ``stories/2019/03/x.md``)."""
    parts = src_uri.split("/")
    if len(parts) < 3 or parts[0] != stories_dir:
        return None
    return "/".join(parts[1:-1])


def plan_shards(folders: Iterable[tuple[str, int]], shard_pages: int = SHARD_PAGES) -> list[Shard]:
    """Cut the story folders, in build order, into as few contiguous shards as keep each under
    ``shard_pages`` pages (a folder is never split), of about equal size."""
    folders = [(name, n) for name, n in folders if n > 0]
    total = sum(n for _, n in folders)
    if not folders:
        return []
    if shard_pages <= 0:
        return [Shard(1, [name for name, _ in folders], total)]
    count = max(1, -(-total // shard_pages))
    target = total / count
    shards: list[Shard] = []
    current: list[str] = []
    pages = done = 0
    for name, n in folders:
        boundary = target * (len(shards) + 1)
        if current and (pages + n > shard_pages or done + n / 2 > boundary):
            shards.append(Shard(len(shards) + 1, current, pages))
            current, pages = [], 0
        current.append(name)
        pages += n
        done += n
    shards.append(Shard(len(shards) + 1, current, pages))
    return shards


@dataclass
class ShardRunner:
    """Indexes the shards' search records one after another on a background thread.

    Each shard is one process (``python -m archivist.search_index JOB``): it writes the shard's
    records as HTML (search_records.py) and runs Pagefind over them, into ``scratch``, since
    MkDocs empties ``site/`` when a build starts; ``finish`` moves the bundles into ``site/``.
    """

    scratch: Path
    shards: list[Shard]
    pages: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # (markdown source, built path)
    language: str = "en"
    skip_min_pages: int = SKIP_MIN_PAGES
    started: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    results: dict[int, dict[str, Any]] = field(default_factory=dict)
    _queue: list[Shard] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _thread: threading.Thread | None = None
    _closed: bool = False
    _abandoned: bool = False

    def start(self, shard: Shard) -> None:
        """Queue a shard (its records are read from ``docs/``, which the ingest has written)."""
        if shard.number in self.started or self._abandoned:
            return
        _require_pagefind()
        self.started.add(shard.number)
        with self._cond:
            self._queue.append(shard)
            self._cond.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="pagefind-shards", daemon=True)
            self._thread.start()

    def start_all(self) -> None:
        for shard in self.shards:
            self.start(shard)

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                shard = self._queue.pop(0)
            self._index(shard)

    def _index(self, shard: Shard) -> None:
        job = self.scratch / f"shard-{shard.number}.json"
        job.parent.mkdir(parents=True, exist_ok=True)
        job.write_text(json.dumps({
            "site": str(self.scratch / "site"), "glob": shard.glob, "subdir": shard.subdir,
            "min_pages": self.skip_min_pages, "language": self.language,
            "pages": self.pages.get(shard.number, []),
        }), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
            str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))}
        done = subprocess.run([sys.executable, "-m", "archivist.search_index", str(job)],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0:
            self.errors.append(str(_failure(done, f"stories/{','.join(shard.folders)}")))
            return
        try:
            self.results[shard.number] = json.loads(done.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            self.errors.append(f"pagefind: no summary for stories/{','.join(shard.folders)}")

    def wait(self) -> None:
        """Start what is left and wait for every shard."""
        self.start_all()
        with self._cond:
            self._closed = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join()

    def finish(self, site: Path) -> dict[str, Any]:
        """Wait for every shard, move the bundles into ``site`` and write the manifest the search
        box reads; the scratch folder is removed whatever happens."""
        try:
            self.wait()
            if self.errors:
                raise SearchIndexError("; ".join(self.errors))
            for old in site.glob(f"{BUNDLE}-*"):  # a shard of an earlier (--dirty) build
                if old.is_dir() and old.name[len(BUNDLE) + 1:].isdigit():
                    shutil.rmtree(old)
            for shard in self.shards:
                built = self.scratch / "site" / shard.subdir
                if built.is_dir():
                    shutil.rmtree(site / shard.subdir, ignore_errors=True)
                    site.mkdir(parents=True, exist_ok=True)
                    shutil.move(built, site / shard.subdir)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        manifest = merge_manifest(self.shards, self.results)
        bundle = site / BUNDLE
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        return manifest

    def abandon(self) -> None:
        """The build failed: run no further shard, and remove the scratch folder once the
        running one ends (in the background: a failed build does not wait for it)."""
        self._abandoned = True
        with self._cond:
            self._queue.clear()
            self._closed = True
            self._cond.notify()

        def clean() -> None:
            if self._thread is not None:
                self._thread.join()
            shutil.rmtree(self.scratch, ignore_errors=True)

        threading.Thread(target=clean, name="pagefind-cleanup", daemon=True).start()


def merge_manifest(shards: Sequence[Shard], results: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The other shards' bundles, and the words droppable in every shard with the pages (by
    Pagefind page hash) that lack them. A word is kept only if every shard lists it. ``chunks``
    has each bundle's chunk table, the first bundle's first, in the search box's shard order."""
    others = [s for s in shards if s.number != 1 and results.get(s.number, {}).get("pages")]
    bundles = [f"{s.subdir}/" for s in others]
    chunks = [results.get(n, {}).get("chunks") or {} for n in [1, *(s.number for s in others)]]
    skip: dict[str, list[str]] | None = None
    for shard in shards:
        found = results.get(shard.number, {})
        if not found.get("pages"):
            continue
        words = found.get("skip") or {}
        if skip is None:
            skip = {w: list(pages) for w, pages in words.items()}
        else:
            skip = {w: skip[w] + list(pages) for w, pages in words.items() if w in skip}
    return {"bundles": bundles, "skip": dict(sorted((skip or {}).items())), "common": _common(results),
            "chunks": chunks}


def _common(results: dict[int, dict[str, Any]]) -> dict[str, float]:
    """The share of all records holding each frequent word, summed over the shards (a word below
    a shard's threshold counts 0 there, so shares are at least those of the listed words). The
    search box tries a query's rarest words first: they narrow it to a few pages soonest, and
    the frequent words, whose index chunks are the largest, are then checked on those pages."""
    total = sum(int(r.get("records") or 0) for r in results.values())
    counts: Counter[str] = Counter()
    for found in results.values():
        counts.update(found.get("common") or {})
    if not total:
        return {}
    shares = {w: round(n / total, 3) for w, n in counts.most_common(COMMON_MAX_WORDS)}
    return {w: v for w, v in shares.items() if v >= COMMON_MIN_SHARE}


# --- reading Pagefind's index ----------------------------------------------------------------

def _read(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    sig = b"pagefind_dcd"
    return raw[len(sig):] if raw.startswith(sig) else raw


def _decode(path: Path) -> Any:
    """One index file: gzip, Pagefind's signature, then CBOR (read with the cbor2 library)."""
    import cbor2

    return cbor2.loads(_read(path))


def _page_numbers(entries: list[Any]) -> list[int]:
    """Pagefind stores a word's pages as ``[page, locations, ...]`` in page order, the page
    numbers as differences from the previous one."""
    numbers, page = [], 0
    for item in entries:
        page += item[0]
        numbers.append(page)
    return numbers


def _pages_of(word: list[Any]) -> set[int]:
    """Every page holding an index word: its own, and those of its spellings with diacritics
    (``cafe`` lists ``café``), which a query without diacritics also matches."""
    pages = set(_page_numbers(word[1]))
    for extra in word[2:]:
        for variant in extra or []:
            if isinstance(variant, list) and len(variant) > 1 and isinstance(variant[1], list):
                pages.update(_page_numbers(variant[1]))
    return pages


def _languages(bundle: Path) -> dict[str, Any]:
    """The bundle's languages (one index each) with their hash and page count."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry.get("languages") or {}


def _index(bundle: Path) -> tuple[list[Any], list[int]] | None:
    """The metadata of a single-language bundle (pf_meta, decoded: its pages, then its chunks as
    ``[from, to, hash]`` in word order, ...) and the sizes of its index chunks in that order;
    None for a bundle of several languages (one index and one stemmer each)."""
    languages = _languages(bundle)
    if len(languages) != 1:
        return None
    (language,) = languages.values()
    meta = _decode(bundle / f"pagefind.{language['hash']}.pf_meta")
    return meta, [(bundle / "index" / f"{c[2]}.pf_index").stat().st_size for c in meta[2]]


def common_words(bundle: Path, min_pages: int = SKIP_MIN_PAGES, max_missing: float = SKIP_MAX_MISSING,
                 max_words: int = SKIP_MAX_WORDS) -> dict[str, Any]:
    """The words of a Pagefind bundle that an AND query can drop, each with the pages lacking it.

    Pagefind answers a query word by loading the index chunk(s) whose word range holds it and
    matching every word of those chunks that starts with it (``the`` also matches ``them`` if
    both sit in that chunk). So a page "has" a word here if it holds any word of those chunks
    with that prefix: exactly the pages Pagefind would match. Listed: words whose chunk is the
    largest kind (postings on ``min_pages`` pages or more) and that are missing from at most
    ``max_missing`` of the pages. Only for single-language bundles (one stemmer, one index).
    """
    index = _index(bundle)
    if index is None:
        return {"pages": sum(v.get("page_count", 0) for v in _languages(bundle).values()), "skip": {}}
    meta, sizes = index
    pages = [page[0] for page in meta[1]]
    chunks = meta[2]  # [from, to, hash], sorted by word
    total = len(pages)
    allowed = int(total * max_missing)
    if total < min_pages:
        return {"pages": total, "skip": {}}
    large = _large(sorted(sizes))
    decoded: dict[str, list[Any]] = {}

    def words_of(chunk_hash: str) -> list[Any]:
        if chunk_hash not in decoded:
            decoded[chunk_hash] = _decode(bundle / "index" / f"{chunk_hash}.pf_index")[0]
        return decoded[chunk_hash]

    candidates: list[tuple[int, str]] = []
    for (_, _, chunk_hash), size in zip(chunks, sizes, strict=True):
        if len(chunks) >= 8 and size < large:
            continue
        for word in words_of(chunk_hash):
            if len(word[1]) >= max(min_pages, total - allowed):
                candidates.append((len(_pages_of(word)), word[0]))
    skip: dict[str, list[str]] = {}
    for _, word in sorted(candidates, reverse=True)[:max_words]:
        holding = [c[2] for c in chunks if c[0] <= word <= c[1]]  # as the browser picks them
        present: set[int] = set()
        for chunk_hash in holding:
            for entry_word in words_of(chunk_hash):
                if entry_word[0].startswith(word):
                    present.update(_pages_of(entry_word))
        missing = [pages[n] for n in range(total) if n not in present]
        if len(missing) <= allowed:
            skip[word] = missing
    return {"pages": total, "skip": skip}


def _large(sizes: list[int]) -> int:
    """A word on most pages fills a chunk larger than most (twice the median in a large index)."""
    return sizes[len(sizes) // 2] * (2 if len(sizes) >= 200 else 1)


def chunk_table(bundle: Path) -> dict[str, Any]:
    """A Pagefind bundle's index chunks, for the search box to tell what a query word costs:
    ``bounds``, each chunk's first and last word (cut short, as Pagefind stores them) joined by
    spaces, ``large``, the KB of the chunks over twice the median size (by position), and ``kb``,
    the mean KB of the others (what a word usually costs).

    A query word costs the chunks Pagefind loads for it: about 30 KB, but a word next to one on
    most pages may share its chunk ("84" loads the 180 KB of "a"), and a word in a gap between
    chunk bounds ("their" after "the_"-"thei") loads every chunk whose bounds, cut to the word's
    length, hold it ("thata"-"the", 300 KB). The search box then checks such a word of a long
    query on a few pages' text before it loads the chunk.
    """
    index = _index(bundle)
    if index is None:
        return {}
    (_, _, chunks, *_), sizes = index  # chunks: [from, to, hash]
    if not chunks or any(" " in c[0] or " " in c[1] for c in chunks):
        return {}
    large = 2 * sorted(sizes)[len(sizes) // 2]
    usual = [size for size in sizes if size < large]
    return {"bounds": " ".join(f"{c[0]} {c[1]}" for c in chunks),
            "kb": round(sum(usual) / len(usual) / 1024),
            "large": {str(i): round(size / 1024) for i, size in enumerate(sizes) if size >= large}}


def index_shard(site: Path, glob: str, subdir: str, min_pages: int = SKIP_MIN_PAGES,
                records: bool = False) -> dict[str, Any]:
    """One shard: Pagefind over ``glob`` into ``site/subdir``, then its droppable words."""
    done = subprocess.run(pagefind_command(site, glob, subdir, records), capture_output=True, text=True)
    if done.returncode != 0:
        raise _failure(done, glob)
    bundle = site / subdir
    if not (bundle / "pagefind-entry.json").exists():
        return {"pages": 0, "skip": {}}
    try:
        return {**common_words(bundle, min_pages=min_pages), "chunks": chunk_table(bundle)}
    except Exception as exc:  # an index format this code does not know: search works, unshortened
        print(f"warning: cannot read the index's common words ({type(exc).__name__}: {exc})",
              file=sys.stderr)
        return {"pages": 1, "skip": {}}  # pages: any non-zero count keeps the bundle in the manifest


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """One shard's job (written by ``ShardRunner``): its records as HTML under ``site``, then
    Pagefind over them."""
    from archivist.search_records import write_records

    site = Path(job["site"])
    site.mkdir(parents=True, exist_ok=True)
    words: Counter[str] = Counter()
    count = write_records(((src, dest) for src, dest in job["pages"]), site, job.get("language") or "en",
                          words)
    summary = index_shard(site, job["glob"], job["subdir"], int(job.get("min_pages", SKIP_MIN_PAGES)),
                          records=True)
    least = max(1, int(count * COMMON_MIN_SHARE))
    summary["records"] = count
    summary["common"] = {w: n for w, n in words.most_common(COMMON_MAX_WORDS) if n >= least}
    return summary


def main(argv: Sequence[str]) -> int:
    """``python -m archivist.search_index JOB.json``: index one shard and print its summary as
    one JSON line (run by the MkDocs hooks, one process per shard)."""
    if hasattr(os, "nice"):  # yield to MkDocs, whose single thread is the build's critical path
        os.nice(19)  # only idle cycles: on a busy machine the index waits, never MkDocs
    try:
        summary = run_job(json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    except (SearchIndexError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps(summary, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
