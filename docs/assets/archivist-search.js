// Search box in Material's look, backed by Pagefind (loaded on first use: a query transfers only
// Pagefind's small runtime plus the index chunks and fragments it needs), over every shard of
// the index, one Pagefind instance each, so that a shard loads chunks only for the words it is
// tested on.
// Every string from the index is inserted as text; excerpts keep only Pagefind's <mark> tags.
(() => {
  "use strict";
  const box = document.querySelector("[data-archivist-search]");
  if (!box) return;
  const input = box.querySelector(".md-search__input");
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const toggle = document.getElementById("__search");
  let pagefind = null;  // the engine, once loading has started
  let latest = 0;

  // The site root, where Pagefind's site-absolute result URLs ("/stories/...") are rooted.
  const root = new URL(`${box.dataset.base}/`, document.baseURI);

  function engine() {
    if (!pagefind) pagefind = load();  // once, however many events ask for it
    return pagefind;
  }

  // One Pagefind instance per shard of the index (the build's manifest, search_index.py, lists
  // the shards after the first, and the words found on (almost) every page with the pages that
  // lack them), so that a query loads a shard's index chunks only where it needs them. They run
  // on the page's thread: no worker script to fetch, and one WebAssembly module for them all.
  async function load() {
    const script = new URL(box.dataset.pagefind, document.baseURI);
    const base = new URL(".", script);
    const manifest = fetch(new URL("archivist-search.json", script))
      .then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
    const paths = manifest.then(({ bundles = [] }) => bundles.map((b) => new URL(b, root).pathname));
    const restore = shareWasm(base, paths);
    try {
      const pf = await import(script.href);
      const options = { excerptLength: 24, baseUrl: root.pathname, noWorker: true };
      // Each page of an instance carries the filter shard=1 (nothing stored in the index): a
      // word test filtered on shard=0 counts the word's pages without building results for them.
      const open = (path) => pf.createInstance({ ...options, basePath: path, mergeFilter: { shard: "1" } });
      // Every instance sets itself up at once (search("") loads no chunk), in parallel.
      const shards = [open(base.pathname), ...(await paths).map(open)];
      await Promise.all(shards.map((shard) => shard.search("")));
      const { skip = {}, common = {} } = await manifest;
      return { shards, skip: new Map(Object.entries(skip)), common: new Map(Object.entries(common)), held: new Map() };
    } finally {
      restore();
    }
  }

  // Every shard's bundle holds the same Pagefind runtime, and each instance fetches its
  // WebAssembly, which the page sets up once (the first to be set up; later ones find it set
  // up). While the shards load, the WebAssembly is fetched once, from the first bundle (72 KB
  // less per shard), and handed to the other instances only once the first WebAssembly module
  // is running: two set up at once would clash. Everything else of their setup (entry, meta,
  // filters) runs in parallel. Returns the undo.
  function shareWasm(first, paths) {
    const plain = window.fetch;
    const instantiate = WebAssembly.instantiate;
    let began = null;
    const running = new Promise((r) => { began = r; });  // settles once the first module is set up
    WebAssembly.instantiate = function (...args) {
      const made = instantiate.apply(this, args);
      // A macrotask later, the runtime has stored the module (its own microtasks have run).
      began(made.then(() => new Promise((r) => setTimeout(r)), () => {}));
      return made;
    };
    const bytes = new Map();  // file name -> its bytes from the first bundle
    let handed = false;  // the first request gets the bytes at once, the others once it runs
    window.fetch = async function (input, init) {
      const path = typeof input === "string" ? new URL(input, document.baseURI).pathname : "";
      const file = /[^/]*$/.exec(path)[0];
      const dir = path.slice(0, path.length - file.length);
      if (!/^wasm\.[\w-]+\.pagefind$/.test(file) || !(dir === first.pathname || (await paths).includes(dir))) {
        return plain.call(this, input, init);
      }
      if (!bytes.has(file)) {
        bytes.set(file, plain.call(window, new URL(file, first)).then((r) => (r.ok ? r.arrayBuffer() : null)));
      }
      const body = await bytes.get(file).catch(() => null);
      if (handed) await running;
      handed = true;
      return body ? new Response(body) : plain.call(this, input, init);
    };
    return () => { window.fetch = plain; WebAssembly.instantiate = instantiate; };
  }

  // A query word as Pagefind's index holds it: lower case, no punctuation, no diacritics.
  function indexForm(word) {
    const plain = word.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase().replace(/\p{P}/gu, "");
    return /^[\p{L}\p{N}]+$/u.test(plain) ? plain : null;
  }

  // Pagefind ANDs the words of a query. A word on (almost) every page only costs its large index
  // chunk: drop it, then drop the few pages that lack it from the results (same matches). Quoted
  // phrases are left whole, and so is a query made only of such words.
  function plan(query, skip) {
    const words = query.split(/\s+/).filter(Boolean);
    if (query.includes('"') || skip.size === 0) return { query, lacking: null };
    const kept = words.filter((w) => !skip.has(indexForm(w)));
    if (kept.length === 0 || kept.length === words.length) return { query, lacking: null };
    const lacking = new Set();
    for (const w of words) for (const page of skip.get(indexForm(w)) || []) lacking.add(page);
    return { query: kept.join(" "), lacking };
  }

  // Does shard k match this one word? A one-word search loads the word's index chunk in that
  // shard only; the query's own search then finds it loaded. Filtered on a shard no page is in,
  // it only counts the pages (a word on half the pages would build thousands of results).
  // Remembered for later queries.
  function holds(pf, k, word) {
    const key = `${k} ${word}`;
    if (!pf.held.has(key)) {
      pf.held.set(key, pf.shards[k].search(word, { filters: { shard: "0" } }).then((r) => r.unfilteredResultCount > 0));
    }
    return pf.held.get(key);
  }

  // A quoted phrase, or at most three words: short enough to test every word at once.
  const SHORT = 3;
  function isShort(query) {
    return /^\s*".+"\s*$/.test(query) || new Set(query.split(/\s+/).filter(Boolean)).size <= SHORT;
  }

  // A long query's words are loaded in rounds: the rarest, then the next NARROW - 1, then STEP
  // at a time while the pages holding them all are more than VERIFY (a result list's worth:
  // their fragments are fetched anyway to show them), whose text then decides the other words.
  const NARROW = 4;
  const STEP = 2;
  const VERIFY = 10;

  // How many pages of shard k hold all these words (each held by it or by no shard)? Counted
  // only, on chunks its word tests have loaded. Remembered for later queries.
  function together(pf, k, words) {
    const key = `${k} ${words.join(" ")}`;
    if (!pf.held.has(key)) {
      pf.held.set(key, pf.shards[k].search(words.join(" "), { filters: { shard: "0" } }).then((r) => r.unfilteredResultCount));
    }
    return pf.held.get(key);
  }

  // A query's distinct words, rarest first: by the share of pages holding them (the build lists
  // the frequent words; a word not listed is rare), then longest first.
  function byRarity(pf, query) {
    const share = (w) => pf.common.get(indexForm(w)) ?? 0;
    return [...new Set(query.split(/\s+/).filter(Boolean))].sort((a, b) => share(a) - share(b) || b.length - a.length);
  }

  // Pagefind ignores a query word missing from an index: shards searched alike would each match
  // on the words they hold, where one index ignores only words found nowhere in the archive. So
  // search only the shards holding every word found in any shard. A short query tests all its
  // words in every shard at once (one round: its chunks are few). A long one tests its rarest
  // word first (byRarity), then the next few, then the rest; a shard stops at a word
  // it lacks that another shard holds, or once none of its pages holds the words so far
  // together (none can then hold them all), so a shard that cannot match loads a few chunks
  // instead of one a word. With narrow, the rest come STEP at a time and the rounds stop once
  // the pages holding the words so far are at most VERIFY: `tried` says how many words (the
  // rarest) the shards were tested on. A query quoted whole is Pagefind's phrase search, and
  // one word needs no test: every shard searches it. The rarest word is tried at once, the
  // rest once the typing has settled (null if a later query came meanwhile).
  async function shardsWithEveryWord(pf, query, settled, current, narrow = false) {
    const all = pf.shards.map((_, k) => k);
    const quoted = /^\s*".+"\s*$/.test(query);
    const words = byRarity(pf, query);
    const first = quoted || all.length < 2 ? [] : all.map((k) => holds(pf, k, words[0]));
    await (isShort(query) ? settled : Promise.all([settled, ...first]));
    if (!current()) return null;
    if ((all.length < 2 && !narrow) || quoted || words.length < 2) return { shards: all, tried: words.length };
    const anywhere = async (w) => (await Promise.all(all.map((k) => holds(pf, k, w)))).some(Boolean);
    const batches = isShort(query) ? [words] : [words.slice(0, 1), words.slice(1, NARROW)];
    for (let i = NARROW; i < words.length; i += narrow ? STEP : words.length) batches.push(words.slice(i, i + (narrow ? STEP : words.length)));
    let live = all;
    let tried = 0;
    for (const batch of batches.filter((b) => b.length)) {
      tried += batch.length;
      const pages = await Promise.all(live.map(async (k) => {
        if (all.length > 1) {
          const held = await Promise.all(batch.map((w) => holds(pf, k, w)));
          for (const [j, w] of batch.entries()) if (!held[j] && await anywhere(w)) return 0;
        }
        return tried > 1 && tried < words.length ? together(pf, k, words.slice(0, tried)) : Infinity;
      }));
      if (!current()) return null;
      live = live.filter((_, j) => pages[j] > 0);
      if (narrow && pages.reduce((a, b) => a + b, 0) <= VERIFY) break;
    }
    return { shards: live, tried };
  }

  // A long query on the shards holding its first `tried` (rarest) words together, on at most
  // VERIFY pages. A page whose text holds one of the other words as typed matches it (Pagefind
  // would match it there): only the words some page lacks as typed (an inflection may still
  // match them) have their index chunks loaded, in a search for them and the first words. A
  // headline typed whole is found without loading its other words. Pages are ordered by their
  // score on the words searched.
  async function verify(pf, query, near, current) {
    const words = byRarity(pf, query);
    const head = words.slice(0, near.tried);
    const found = await Promise.all(near.shards.map((k) => pf.shards[k].search(head.join(" "))));
    const pages = found.flatMap((f) => f.results);
    if (pages.length > VERIFY) return null;
    const texts = (await Promise.all(pages.map((r) => r.data())))
      .map((data) => new Set(data.content.split(/\s+/).map(indexForm)));
    const lacking = words.slice(near.tried).filter((w) => {
      const form = indexForm(w);
      return form === null || texts.some((seen) => !seen.has(form));
    });
    if (lacking.length === 0) return pages.sort((a, b) => b.score - a.score);
    const rest = [...head, ...lacking].join(" ");
    const again = await shardsWithEveryWord(pf, rest, Promise.resolve(), current);
    if (again === null) return null;
    return search(pf, rest, near.shards.filter((k) => again.shards.includes(k)), new Map());
  }

  // The query on some shards, their results in one list by score (as Pagefind merges indexes).
  // A short query's search starts on every shard once the typing has settled, alongside its
  // word tests (the same chunks; a shard found lacking a word has its results left out).
  async function search(pf, query, only, started) {
    const found = await Promise.all(only.map((k) => started.get(k) ?? pf.shards[k].search(query)));
    return found.flatMap((f) => f.results).sort((a, b) => b.score - a.score);
  }

  function excerpt(html) {
    const out = document.createElement("p");
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body;
    for (const node of parsed.querySelectorAll("p")[0].childNodes) {
      if (node.nodeType === Node.TEXT_NODE) out.append(node.textContent);
      else if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.append(mark);
      } else out.append(node.textContent || "");
    }
    return out;
  }

  function humanDate(iso) {
    const day = iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : null;
    return day ? day.toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }) : "";
  }

  function item(data) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.className = "md-search-result__link";
    a.tabIndex = -1;
    const url = new URL(data.url, document.baseURI);
    if (url.protocol === "http:" || url.protocol === "https:") a.href = url.href;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const title = document.createElement("h1");
    title.textContent = data.meta.title || data.url;
    const line = document.createElement("p");
    line.className = "archivist-search-meta";
    line.textContent = [data.meta.outlet, humanDate(data.meta.date)].filter(Boolean).join(" · ");
    article.append(title, line, excerpt(data.excerpt));
    a.append(article);
    li.append(a);
    return li;
  }

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      list.replaceChildren();
      meta.textContent = "";
      return;
    }
    const settled = new Promise((r) => setTimeout(r, 150));  // typing on: only the last query runs
    const pf = await engine();
    if (ticket !== latest) return;
    const asked = plan(query, pf.skip);
    const started = new Map();  // shard -> its search of this query, begun early
    if (isShort(asked.query)) {
      settled.then(() => {
        if (ticket === latest) pf.shards.forEach((shard, k) => started.set(k, shard.search(asked.query)));
      });
    }
    const current = () => ticket === latest;
    let results = null;
    const count = new Set(asked.query.split(/\s+/).filter(Boolean)).size;
    if (!isShort(asked.query) && count > NARROW) {
      const near = await shardsWithEveryWord(pf, asked.query, settled, current, true);
      if (near === null) return;
      if (near.tried < count) results = await verify(pf, asked.query, near, current);
      if (!current()) return;
    }
    if (!results) {
      const only = await shardsWithEveryWord(pf, asked.query, settled, current);
      if (only === null) return;
      results = await search(pf, asked.query, only.shards, started);
      if (!current()) return;
    }
    if (asked.lacking) results = results.filter((r) => !asked.lacking.has(r.id));
    const data = await Promise.all(results.slice(0, 10).map((r) => r.data()));
    if (ticket !== latest) return;
    list.replaceChildren(...data.map(item));
    const n = results.length;
    meta.textContent = n === 0 ? "No matching stories" : n === 1 ? "1 matching story" : `${n} matching stories`;
  }

  input.addEventListener("input", () => run().catch((e) => { meta.textContent = "Search is unavailable"; console.warn(e); }));
  input.addEventListener("focus", () => {
    if (toggle) toggle.checked = true;
    engine().catch(() => { pagefind = null; });
  });
  box.querySelector("form").addEventListener("submit", (e) => e.preventDefault());
  box.querySelector("form").addEventListener("reset", () => { input.value = ""; run(); });
  if (toggle) toggle.addEventListener("change", () => { if (toggle.checked) setTimeout(() => input.focus(), 50); });
  document.addEventListener("keydown", (e) => {
    const typing = ["INPUT", "TEXTAREA"].includes(document.activeElement?.tagName);
    if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) { e.preventDefault(); input.focus(); }
    if (e.key === "Escape" && toggle?.checked) { toggle.checked = false; input.blur(); }
  });
})();
