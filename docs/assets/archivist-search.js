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
      const { skip = {}, common = {}, chunks = [] } = await manifest;
      const table = (t) => ({ bounds: (t?.bounds || "").split(" ").filter(Boolean), large: t?.large || {}, usual: t?.kb || CHUNK_KB, kb: new Map() });
      return { shards, skip: new Map(Object.entries(skip)), common: new Map(Object.entries(common)), chunks: shards.map((_, k) => table(chunks[k])), held: new Map() };
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

  // A query word as Pagefind's index holds it (plainForm: lower case, no punctuation, no
  // diacritics), or null if that leaves more than letters and digits.
  function indexForm(word) {
    const form = plainForm(word);
    return /^[\p{L}\p{N}]+$/u.test(form) ? form : null;
  }
  function plainForm(word) {
    return word.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase().replace(/\p{P}/gu, "");
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

  // How many pages of shard k hold all these words (each held by it or by no shard)? The search
  // loads the words' index chunks in that shard only; the query's own search then finds them
  // loaded. Filtered on a shard no page is in, it only counts the pages (a word on half the
  // pages would build thousands of results). Remembered for later queries.
  function together(pf, k, words) {
    const key = `${k} ${words.join(" ")}`;
    if (!pf.held.has(key)) {
      pf.held.set(key, pf.shards[k].search(words.join(" "), { filters: { shard: "0" } }).then((r) => r.unfilteredResultCount));
    }
    return pf.held.get(key);
  }

  // Does shard k match this one word?
  const holds = (pf, k, word) => together(pf, k, [word]).then((n) => n > 0);

  // A quoted phrase, or at most three words: short enough to test every word at once.
  const SHORT = 3;
  function isShort(query) {
    return /^\s*".+"\s*$/.test(query) || new Set(query.split(/\s+/).filter(Boolean)).size <= SHORT;
  }

  // A long query's words are loaded in rounds: the rarest, then the next NARROW - 1, then STEP
  // at a time while the pages holding them all are more than VERIFY (a result list's worth:
  // their fragments are fetched anyway to show them), whose text then decides the other words.
  // Before a word with a large chunk (`weight`), they also stop at up to VERIFY_MAX pages if
  // those pages' fragments (FRAGMENT_KB each) cost less than the chunk. Past BUDGET_KB of
  // chunks, they stop anyway: the best-scored pages on the words so far are then checked on
  // their text for the rest, up to SAMPLE_MAX of them, until a result list's worth holds them.
  const NARROW = 4;
  const STEP = 2;
  const VERIFY = 10;
  const VERIFY_MAX = 40;
  const FRAGMENT_KB = 8;  // a matching page's fragment (long pages match long queries)
  const CHUNK_KB = 32;  // a word's chunk, unless it is large (the manifest gives each shard's usual KB)
  const BUDGET_KB = 400;
  const SAMPLE_MAX = 30;

  // KB of the large index chunks that shard k loads for a word, from its chunk table (the
  // build's search_index.chunk_table), as Pagefind picks chunks for a query word: the one whose
  // bounds hold it, else (a word in a gap: bounds are cut short) every one whose bounds, cut to
  // the word's length, do. Remembered.
  function weight(pf, k, word) {
    const { bounds, large, kb } = pf.chunks[k];
    const t = indexForm(word) ?? word.toLocaleLowerCase();
    if (!kb.has(t)) {
      const n = bounds.length / 2;
      const from = (i) => bounds[2 * i];
      const to = (i) => bounds[2 * i + 1];
      let picked = [];
      for (let i = 0; i < n && picked.length === 0; i++) if (t >= from(i) && t <= to(i)) picked = [i];
      if (picked.length === 0) {
        const cut = (a, b) => a.slice(0, Math.min(a.length, b.length));
        for (let i = 0; i < n; i++) if (cut(t, from(i)) >= cut(from(i), t) && cut(t, to(i)) <= cut(to(i), t)) picked.push(i);
      }
      kb.set(t, picked.reduce((sum, i) => sum + (large[i] || 0), 0));
    }
    return kb.get(t);
  }
  const heavy = (pf, word, shards) => shards.reduce((kb, k) => kb + weight(pf, k, word), 0);
  // KB a word's chunks cost on these shards, large or not.
  const cost = (pf, word, shards) => shards.reduce((kb, k) => kb + (weight(pf, k, word) || pf.chunks[k].usual), 0);

  // A query's distinct words, rarest first: by the share of pages holding them (the build lists
  // the frequent words; a word not listed is rare), then longest first; words with a large
  // chunk last, the lightest first.
  function byRarity(pf, query) {
    const share = (w) => pf.common.get(indexForm(w)) ?? 0;
    const all = pf.shards.map((_, k) => k);
    const words = new Set(query.split(/\s+/).filter((w) => plainForm(w) !== ""));  // "—" is no word
    const kb = new Map([...words].map((w) => [w, heavy(pf, w, all)]));
    return [...kb.keys()].sort((a, b) => kb.get(a) - kb.get(b) || share(a) - share(b) || b.length - a.length);
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
  // rest once the typing has settled (null if a later query came meanwhile). `only`: the
  // shards that may match (the others are tested only where a word's absence needs it).
  // `sample`: the rounds stopped at BUDGET_KB with more than VERIFY pages.
  async function shardsWithEveryWord(pf, query, settled, current, narrow = false, only = null) {
    const all = pf.shards.map((_, k) => k);
    const quoted = /^\s*".+"\s*$/.test(query);
    const words = byRarity(pf, query);
    const first = quoted || all.length < 2 ? [] : all.map((k) => holds(pf, k, words[0]));
    await (isShort(query) ? settled : Promise.all([settled, ...first]));
    if (!current()) return null;
    if ((all.length < 2 && !narrow) || quoted || words.length < 2) return { shards: only ?? all, tried: words.length };
    const anywhere = async (w) => (await Promise.all(all.map((k) => holds(pf, k, w)))).some(Boolean);
    // With narrow, a word with a large chunk (last in byRarity) comes alone, after the others.
    const light = narrow ? words.filter((w) => heavy(pf, w, all) === 0).length : words.length;
    const second = Math.max(1, Math.min(NARROW, light));
    const batches = isShort(query) ? [words] : [words.slice(0, 1), words.slice(1, second)];
    for (let i = second; i < words.length && !isShort(query);) {
      const size = !narrow ? words.length : i < light ? Math.min(STEP, light - i) : 1;
      batches.push(words.slice(i, i + size));
      i += size;
    }
    let live = only ?? all;
    let tried = 0;
    let total = Infinity;  // pages holding the words tried so far together, over the live shards
    let spent = 0;  // KB of the chunks loaded so far, as estimated
    for (const batch of batches.filter((b) => b.length)) {
      const kb = batch.reduce((sum, w) => sum + heavy(pf, w, live), 0);
      const next = batch.reduce((sum, w) => sum + cost(pf, w, live), 0);
      if (narrow && tried > 1 && (total <= VERIFY || (total <= VERIFY_MAX && total * FRAGMENT_KB < kb))) break;
      const readable = words.slice(tried).every((w) => indexForm(w) !== null);  // text can tell
      if (narrow && tried > 1 && spent + next > BUDGET_KB && readable) return { shards: live, tried, spent, sample: true };
      spent += next;
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
      total = pages.reduce((a, b) => a + b, 0);
    }
    return { shards: live, tried, spent };
  }

  // A page's words as Pagefind's index matches them: each whitespace-separated word in lower
  // case without diacritics and punctuation (“unforgettable” is also unforgettable), and
  // the parts of one with ASCII punctuation ("Trump's" is also "trump"), which Pagefind indexes.
  function pageWords(content) {
    const seen = new Set();
    for (const token of content.split(/\s+/)) {
      seen.add(plainForm(token));
      if (/[!-/:-@[-`{-~]/.test(token)) for (const part of token.split(/[!-/:-@[-`{-~]+/)) seen.add(plainForm(part));
    }
    return seen;
  }

  // A long query on the shards holding its first `tried` (rarest) words together, on at most
  // VERIFY_MAX pages. A page whose text holds one of the other words (pageWords) matches it
  // (Pagefind would match it there): only words some page lacks (an inflection may still match
  // them) have their index chunks loaded, one at a time, in a search for it and the words
  // before, whose results (fewer pages, holding it) then decide the next. Next is the word
  // lacking on the most pages per KB of its chunks (`weight`): a page left out by one word
  // needs no other. Past BUDGET_KB of chunks (with those of the rounds), the text decides the
  // rest: a page holding only an inflection of a word is then left out. A headline typed whole
  // is found without loading most of its words. Pages are ordered by their score on the words
  // searched.
  async function verify(pf, query, near, current) {
    const words = byRarity(pf, query);
    let searched = words.slice(0, near.tried);
    let shards = near.shards;
    let spent = near.spent;
    const found = await Promise.all(shards.map((k) => pf.shards[k].search(searched.join(" "))));
    let pages = found.flatMap((f) => f.results);
    if (near.sample) return sample(pages.sort((a, b) => b.score - a.score), words.slice(near.tried), current);
    if (pages.length > VERIFY_MAX) return null;
    const texts = new Map();  // page id -> its words
    await Promise.all(pages.map(async (r) => texts.set(r.id, pageWords((await r.data()).content))));
    const lacks = (r, w) => indexForm(w) === null || !texts.get(r.id)?.has(indexForm(w));
    for (let rest = words.slice(near.tried); ;) {
      rest = rest.filter((w) => pages.some((r) => lacks(r, w)));  // held by every page: matched
      if (rest.length === 0) break;
      const gain = (w) => pages.filter((r) => lacks(r, w)).length / cost(pf, w, shards);
      const next = rest.reduce((best, w) => (gain(w) > gain(best) ? w : best));
      rest = rest.filter((w) => w !== next);
      const kb = cost(pf, next, shards);
      if (spent + kb > BUDGET_KB && indexForm(next) !== null) {  // the text decides
        pages = pages.filter((r) => !lacks(r, next));
        if (pages.length === 0) return null;  // none left: the whole query decides
        continue;
      }
      spent += kb;
      searched = [...searched, next];
      const again = await shardsWithEveryWord(pf, searched.join(" "), Promise.resolve(), current, false, shards);
      if (again === null) return null;
      shards = again.shards;
      pages = await search(pf, searched.join(" "), shards, new Map());  // a subset of the pages before
      if (!current()) return null;
    }
    return { pages: pages.sort((a, b) => b.score - a.score), about: false };
  }

  // The first VERIFY of these pages (best first) whose text holds every one of these words,
  // looking at no more than SAMPLE_MAX: each holding a word as typed, Pagefind matches it (one
  // holding only an inflection of it is left out). The pages' count is then estimated from the
  // share of those looked at that hold them. None of them: null.
  async function sample(pages, rest, current) {
    const kept = [];
    let seen = 0;
    while (kept.length < VERIFY && seen < Math.min(pages.length, SAMPLE_MAX)) {
      const wanted = VERIFY - kept.length;
      const rate = seen ? Math.max(kept.length / seen, 0.25) : 1;
      const batch = pages.slice(seen, Math.min(seen + Math.ceil(wanted / rate), SAMPLE_MAX));
      seen += batch.length;
      const texts = await Promise.all(batch.map(async (r) => pageWords((await r.data()).content)));
      if (!current()) return null;
      batch.forEach((r, j) => { if (rest.every((w) => texts[j].has(indexForm(w)))) kept.push(r); });
    }
    if (kept.length === 0) return null;  // none: the whole query decides
    return { pages: kept, about: seen < pages.length ? Math.round((pages.length * kept.length) / seen) : false };
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
    let about = false;  // an estimate of the count, or false
    const count = byRarity(pf, asked.query).length;
    if (!isShort(asked.query) && count > NARROW) {
      const near = await shardsWithEveryWord(pf, asked.query, settled, current, true);
      if (near === null) return;
      const checked = near.tried < count ? await verify(pf, asked.query, near, current) : null;
      if (!current()) return;
      if (checked) ({ pages: results, about } = checked);
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
    const n = about === false ? results.length : about;
    const counted = n === 0 ? "No matching stories" : n === 1 ? "1 matching story" : `${n} matching stories`;
    meta.textContent = about === false ? counted : `About ${counted.toLowerCase()}`;
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
