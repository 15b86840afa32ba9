// Search box in Material's look, backed by Pagefind (loaded on first use: a query transfers only
// Pagefind's small runtime plus the index chunks and fragments it needs), over every shard of
// the index at once.
// Every string from the index is inserted as text; excerpts keep only Pagefind's <mark> tags.
(() => {
  "use strict";
  const box = document.querySelector("[data-archivist-search]");
  if (!box) return;
  const input = box.querySelector(".md-search__input");
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const toggle = document.getElementById("__search");
  let pagefind = null;
  let latest = 0;

  // The site root, where Pagefind's site-absolute result URLs ("/stories/...") are rooted.
  const root = new URL(`${box.dataset.base}/`, document.baseURI);
  let skip = new Map();
  let shards = [];  // the shard filter's values, when the index comes in shards

  function engine() {
    if (!pagefind) pagefind = load();  // once, however many events ask for it
    return pagefind;
  }

  async function load() {
    const script = new URL(box.dataset.pagefind, document.baseURI);
    // The build's manifest (search_index.py): the other shards' bundles, and the words found on
    // (almost) every page with the pages that lack them.
    const manifest = fetch(new URL("archivist-search.json", script))
      .then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
    const pf = await import(script.href);
    const options = { excerptLength: 24, baseUrl: root.pathname };
    await pf.options(options);
    const { bundles = [], skip: words = {} } = await manifest;
    // Every page of shard k carries the filter shard=k (Pagefind's mergeFilter, nothing stored in
    // the index), so one search counts its matches per shard and can be restricted to some shards.
    if (bundles.length) await pf.options({ mergeFilter: { shard: "1" } });
    await Promise.all(bundles.map((b, i) => pf.mergeIndex(new URL(b, root).pathname,
      { ...options, mergeFilter: { shard: String(i + 2) } })));
    shards = bundles.map((_, i) => String(i + 2));
    if (bundles.length) shards.unshift("1");
    skip = new Map(Object.entries(words));
    return pf;
  }

  // A query word as Pagefind's index holds it: lower case, no punctuation, no diacritics.
  function indexForm(word) {
    const plain = word.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase().replace(/\p{P}/gu, "");
    return /^[\p{L}\p{N}]+$/u.test(plain) ? plain : null;
  }

  // Pagefind ANDs the words of a query. A word on (almost) every page only costs its large index
  // chunk: drop it, then drop the few pages that lack it from the results (same matches). Quoted
  // phrases are left whole, and so is a query made only of such words.
  function plan(query) {
    const words = query.split(/\s+/).filter(Boolean);
    if (query.includes('"') || skip.size === 0) return { query, lacking: null };
    const kept = words.filter((w) => !skip.has(indexForm(w)));
    if (kept.length === 0 || kept.length === words.length) return { query, lacking: null };
    const lacking = new Set();
    for (const w of words) for (const page of skip.get(indexForm(w)) || []) lacking.add(page);
    return { query: kept.join(" "), lacking };
  }

  // Pagefind ignores a query word missing from an index: merged shards would each match on the
  // words they hold, where one index ignores only words found nowhere in the archive. So count
  // each unquoted word's matches per shard (a one-word search loads the same index chunks as the
  // query, already loaded by then) and keep the shards holding every word found anywhere:
  // null for all of them. A query quoted whole is Pagefind's phrase search: left as it is.
  async function shardsWithEveryWord(pf, query) {
    if (shards.length < 2 || /^\s*".+"\s*$/.test(query)) return null;
    const words = [...new Set(query.split(/\s+/).filter(Boolean))];
    if (words.length < 2) return null;
    const counts = await Promise.all(words.map(async (w) => (await pf.search(w)).filters?.shard || {}));
    const found = counts.filter((c) => Object.values(c).some((n) => n > 0));
    const keep = shards.filter((k) => found.every((c) => c[k] > 0));
    return keep.length === shards.length ? null : keep;
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
    const pf = await engine();
    const asked = plan(query);
    let found = await pf.debouncedSearch(asked.query, {}, 150);
    if (found === null || ticket !== latest) return;
    const only = await shardsWithEveryWord(pf, asked.query);
    if (only) found = only.length ? await pf.search(asked.query, { filters: { shard: { any: only } } })
      : { results: [] };
    if (ticket !== latest) return;
    const results = asked.lacking ? found.results.filter((r) => !asked.lacking.has(r.id)) : found.results;
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
