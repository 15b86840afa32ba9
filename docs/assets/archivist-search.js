// Search box in Material's look, backed by Pagefind (loaded on first use: a query transfers only
// Pagefind's small runtime plus the index chunks and fragments it needs).
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

  async function engine() {
    if (!pagefind) {
      pagefind = await import(new URL(box.dataset.pagefind, document.baseURI).href);
      // Result URLs are site-absolute ("/stories/..."): root them where the site is served.
      const root = new URL(`${box.dataset.base}/`, document.baseURI).pathname;
      await pagefind.options({ excerptLength: 24, baseUrl: root });
    }
    return pagefind;
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
    const found = await pf.debouncedSearch(query, {}, 150);
    if (found === null || ticket !== latest) return;
    const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    if (ticket !== latest) return;
    list.replaceChildren(...data.map(item));
    const n = found.results.length;
    meta.textContent = n === 0 ? "No matching stories" : n === 1 ? "1 matching story" : `${n} matching stories`;
  }

  input.addEventListener("input", () => run().catch((e) => { meta.textContent = "Search is unavailable"; console.warn(e); }));
  input.addEventListener("focus", () => { if (toggle) toggle.checked = true; engine().catch(() => {}); });
  box.querySelector("form").addEventListener("submit", (e) => e.preventDefault());
  box.querySelector("form").addEventListener("reset", () => { input.value = ""; run(); });
  if (toggle) toggle.addEventListener("change", () => { if (toggle.checked) setTimeout(() => input.focus(), 50); });
  document.addEventListener("keydown", (e) => {
    const typing = ["INPUT", "TEXTAREA"].includes(document.activeElement?.tagName);
    if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) { e.preventDefault(); input.focus(); }
    if (e.key === "Escape" && toggle?.checked) { toggle.checked = false; input.blur(); }
  });
})();
