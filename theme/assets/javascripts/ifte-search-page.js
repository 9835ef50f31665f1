// ifte-search-page.js — the /search/ page (theme/search.html): words and filters with live
// counts, four sort orders, pages of result cards, CSV download and a printable list.
//
// The whole state lives in the query string (q, year | year_from + year_to, type, category,
// district, affiliation, subject, level, award, fiscal, academic, sort, page), so a link
// reproduces the page
// and the back button steps through changes. Data: the word index of the header search
// (ifte-search-engine.js, search-index/) and the compact facet columns written by
// build_tools/search/facets.py (search-facets/): document n of one is document n of the
// other. Entry text is untrusted: it reaches the page through textContent only.

import { SearchEngine, rankDocuments, snippetParts, thumbnailPicture } from "./ifte-search-engine.js";

// fiscal and academic (years พ.ศ.) have no boxes: the period pages of /stats/ link with them.
export const FILTER_PARAMS = ["type", "category", "district", "affiliation", "subject", "level", "award",
  "fiscal", "academic"];
export const SORTS = ["relevance", "newest", "oldest", "title"];
const PAGE_SIZE = 20;
const TYPING_DELAY_MS = 250;
const NARROW = "(max-width: 59.984em)";
const BEST_PRACTICE = "best_practice";
const CSV_COLUMNS = [
  "ลำดับ", "รหัสผลงาน", "ชื่อผลงาน", "โรงเรียน/หน่วยงาน", "อำเภอ", "สังกัด", "ปี พ.ศ.",
  "ประเภท", "ด้าน", "กลุ่มสาระการเรียนรู้", "ระดับชั้น", "ระดับรางวัล", "ผู้พัฒนา", "สรุปย่อ", "ลิงก์",
];
// Authors and summaries come from the open-data record of each result (data/entries/),
// fetched only for a CSV: the search data every visitor loads stays small.
const DETAIL_REQUESTS = 6;
const CHIP_PREFIX = { district: "อ." };

// --- the state and its URL (pure) -----------------------------------------------------------

function toYear(value) {
  const year = Number.parseInt(value ?? "", 10);
  return Number.isInteger(year) ? year : null;
}

/** State of the page from a query string. `year=2567` is the range 2567–2567. */
export function readState(search) {
  const params = new URLSearchParams(search);
  const years = params.getAll("year").map(toYear).filter((y) => y !== null);
  let yearFrom = toYear(params.get("year_from"));
  let yearTo = toYear(params.get("year_to"));
  if (years.length && yearFrom === null && yearTo === null) {
    yearFrom = Math.min(...years);
    yearTo = Math.max(...years);
  }
  const filters = {};
  for (const param of FILTER_PARAMS) {
    const codes = [...new Set(params.getAll(param).filter(Boolean))];
    if (codes.length) filters[param] = codes;
  }
  const sort = SORTS.includes(params.get("sort")) ? params.get("sort") : "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "", 10) || 1);
  const q = (params.get("q") ?? "").trim();
  // exact=1: the words as typed, no typo correction (the link beside "หมายถึง … ใช่ไหม?").
  const exact = Boolean(q) && params.get("exact") === "1";
  return { q, exact, yearFrom, yearTo, filters, sort, page };
}

/** The order results are shown in: the chosen one, else relevance with words, newest without. */
export function effectiveSort(state) {
  const hasWords = state.q.trim() !== "";
  if (state.sort && (state.sort !== "relevance" || hasWords)) return state.sort;
  return hasWords ? "relevance" : "newest";
}

/** The query string of a state (defaults left out, parameters in one fixed order). */
export function formatState(state) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q.trim());
  if (state.q.trim() && state.exact) params.set("exact", "1");
  if (state.yearFrom !== null && state.yearFrom === state.yearTo) {
    params.set("year", String(state.yearFrom));
  } else {
    if (state.yearFrom !== null) params.set("year_from", String(state.yearFrom));
    if (state.yearTo !== null) params.set("year_to", String(state.yearTo));
  }
  for (const param of FILTER_PARAMS) {
    for (const code of state.filters[param] || []) params.append(param, code);
  }
  if (state.sort && state.sort === effectiveSort(state) &&
      state.sort !== effectiveSort({ ...state, sort: "" })) {
    params.set("sort", state.sort);
  }
  if (state.page > 1) params.set("page", String(state.page));
  return params.toString();
}

// --- filtering, counting and ordering (pure) ------------------------------------------------

/** Typed columns of facets.json (build_tools/search/facets.py). */
export function prepareFacets(json) {
  const filters = {};
  for (const [param, column] of Object.entries(json.filters)) {
    const multi = column.docs.some(Array.isArray);
    filters[param] = {
      codes: column.codes,
      labels: column.labels,
      index: new Map(column.codes.map((code, i) => [code, i])),
      multi,
      docs: multi ? column.docs : Int32Array.from(column.docs),
    };
  }
  const years = filters.year.codes.map(Number);
  const yearOf = Int32Array.from(filters.year.docs, (i) => (i >= 0 ? years[i] : 0));
  return { documents: json.documents, filters, yearOf, titleRank: Int32Array.from(json.titleRank) };
}

function activeConditions(facets, state) {
  const conditions = [];
  if (state.yearFrom !== null || state.yearTo !== null) {
    const column = facets.filters.year;
    const allowed = Uint8Array.from(column.codes, (code) => {
      const year = Number(code);
      return (state.yearFrom === null || year >= state.yearFrom) &&
        (state.yearTo === null || year <= state.yearTo) ? 1 : 0;
    });
    conditions.push({ param: "year", column, allowed });
  }
  for (const param of FILTER_PARAMS) {
    const codes = state.filters[param];
    const column = facets.filters[param];
    if (!codes || !column) continue;
    const allowed = new Uint8Array(column.codes.length);
    for (const code of codes) if (column.index.has(code)) allowed[column.index.get(code)] = 1;
    conditions.push({ param, column, allowed }); // only unknown codes: nothing matches
  }
  return conditions;
}

function holds(condition, n) {
  const value = condition.column.docs[n];
  if (condition.column.multi) return value.some((i) => condition.allowed[i] === 1);
  return value >= 0 && condition.allowed[value] === 1;
}

function tally(counts, column, n) {
  const value = column.docs[n];
  if (column.multi) for (const i of value) counts[i] += 1;
  else if (value >= 0) counts[value] += 1;
}

/**
 * Documents that satisfy every condition, and for each filter value the number of
 * documents it would give: all other conditions applied, its own filter's left out
 * (so ticking a second district adds to the first instead of ANDing with it).
 */
export function evaluate(facets, state, scores = null) {
  const conditions = activeConditions(facets, state);
  const counts = {};
  for (const [param, column] of Object.entries(facets.filters)) {
    counts[param] = new Uint32Array(column.codes.length);
  }
  const matches = [];
  const visit = (n) => {
    let failed = -1;
    for (let c = 0; c < conditions.length; c += 1) {
      if (!holds(conditions[c], n)) {
        if (failed >= 0) return;
        failed = c;
      }
    }
    if (failed >= 0) {
      const { param, column } = conditions[failed];
      tally(counts[param], column, n);
      return;
    }
    matches.push(n);
    for (const [param, column] of Object.entries(facets.filters)) tally(counts[param], column, n);
  };
  if (scores) for (const n of scores.keys()) visit(n);
  else for (let n = 0; n < facets.documents; n += 1) visit(n);
  return { matches, counts };
}

/** The document numbers of one page of results (a page past the end shows the last). */
export function pageOf(matches, requested) {
  const pageCount = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
  const page = Math.min(requested, pageCount);
  return { page, pageCount, shown: matches.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) };
}

/** Sort document numbers in place. Documents are numbered oldest year first, then date
 * submitted, then id (searcher.format_order_key): "newest" is the highest number first. */
export function sortMatches(matches, sort, facets, scores) {
  const { yearOf, titleRank } = facets;
  // With words, entries holding every word come first in every order (the same rule as
  // the header box and `ifte search`), then those holding some of them.
  const group = scores ? (a, b) => scores.get(b)[2] - scores.get(a)[2] : () => 0;
  if (sort === "relevance" && scores) {
    rankDocuments(scores, matches);
  } else if (sort === "oldest") {
    matches.sort((a, b) => group(a, b) || yearOf[a] - yearOf[b] || a - b);
  } else if (sort === "title") {
    matches.sort((a, b) => group(a, b) || titleRank[a] - titleRank[b]);
  } else {
    matches.sort((a, b) => group(a, b) || b - a);
  }
  return matches;
}

/** "23 พฤศจิกายน 2569": a date as Thai readers write it (Buddhist Era). */
export function thaiDate(date) {
  return new Intl.DateTimeFormat("th-TH-u-ca-buddhist", { day: "numeric", month: "long", year: "numeric" }).format(date);
}

/** "2569-11-23": an ISO-shaped date with the Buddhist-Era year, for file names. */
export function buddhistIsoDate(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear() + 543}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** One CSV field: quoted when needed; a leading = + - @ cannot start a spreadsheet formula. */
export function formatCsvField(value) {
  let text = String(value ?? "");
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text with a byte order mark, so Excel opens Thai as UTF-8. */
export function formatCsv(rows) {
  return `\ufeff${[CSV_COLUMNS, ...rows].map((row) => row.map(formatCsvField).join(",")).join("\r\n")}\r\n`;
}

// --- data ---------------------------------------------------------------------------------

async function fetchJson(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** The two exports of one build: word index and facet columns. */
class SearchData {
  constructor(root) {
    this.root = root;
    this.engine = new SearchEngine(new URL("search-index/", root).href);
    this.base = new URL("search-facets/", root).href;
    this.loading = null;
    this.computed = null; // {key, promise} of the latest state asked for
    this.lists = new Map();
  }

  ready() {
    if (!this.loading) {
      this.loading = this.load();
      this.loading.catch(() => (this.loading = null));
    }
    return this.loading;
  }

  async load() {
    const [manifest, index] = await Promise.all([
      // Revalidated on every visit, like the engine's: it names this build's files.
      fetchJson(`${this.base}manifest.json`, { cache: "no-cache" }),
      this.engine.ready(),
    ]);
    if (manifest.index && manifest.index !== index.version) {
      throw new Error(`search-facets ${manifest.index} ≠ search-index ${index.version}`);
    }
    this.manifest = manifest;
    this.facets = prepareFacets(await fetchJson(`${this.base}${manifest.version}/facets.json`));
    return this.facets;
  }

  /** Matches (in order), filter counts and word scores of a state; the page is ignored. */
  compute(state) {
    const key = formatState({ ...state, page: 1, sort: effectiveSort(state) });
    if (this.computed?.key !== key) {
      const promise = this.evaluateState(state);
      promise.catch(() => {
        if (this.computed?.promise === promise) this.computed = null; // try again next time
      });
      this.computed = { key, promise };
    }
    return this.computed.promise;
  }

  async evaluateState(state) {
    await this.ready();
    const words = state.q ? await this.engine.match(state.q, { correct: !state.exact }) : null;
    const { matches, counts } = evaluate(this.facets, state, words?.scores);
    sortMatches(matches, effectiveSort(state), this.facets, words?.scores);
    const every = words ? matches.filter((n) => words.scores.get(n)[2]).length : matches.length;
    return { matches, counts, scores: words?.scores ?? null, plan: words?.plan ?? null, every };
  }

  /** [id, title, school] of documents, from the list files (CSV and print only). */
  async rows(numbers) {
    const size = this.manifest.listChunk;
    const chunks = [...new Set(numbers.map((n) => Math.floor(n / size)))];
    const files = await Promise.all(chunks.map((k) => {
      if (!this.lists.has(k)) {
        const promise = fetchJson(`${this.base}${this.manifest.version}/list-${k}.json`);
        promise.catch(() => this.lists.delete(k));
        this.lists.set(k, promise);
      }
      return this.lists.get(k);
    }));
    const loaded = new Map(chunks.map((k, i) => [k, files[i]]));
    return numbers.map((n) => loaded.get(Math.floor(n / size))[n % size]);
  }

  /** {authors, summary} of entries by id, from their open-data records, a few at a time. */
  async details(ids) {
    const found = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        const record = await fetchJson(new URL(`data/entries/${ids[i]}.json`, this.root).href);
        found[i] = { authors: (record.authors || []).join("; "), summary: record.summary || "" };
      }
    };
    await Promise.all(Array.from({ length: Math.min(DETAIL_REQUESTS, ids.length) }, worker));
    return found;
  }
}

// --- the page -------------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const number = (n) => n.toLocaleString("th-TH");

function setup(container, data) {
  const root = data.root;
  const form = document.getElementById("ifte-sp-form");
  const input = document.getElementById("ifte-sp-q");
  const sortSelect = document.getElementById("ifte-sp-sort");
  const yearFrom = document.getElementById("ifte-sp-year-from");
  const yearTo = document.getElementById("ifte-sp-year-to");
  const filtersPanel = document.getElementById("ifte-sp-filters");
  const heading = document.getElementById("ifte-sp-heading");
  const status = document.getElementById("ifte-sp-status");
  const list = document.getElementById("ifte-sp-results");
  const printList = document.getElementById("ifte-sp-print");
  const note = container.querySelector("[data-ifte-sp-note]");
  const chips = container.querySelector("[data-ifte-sp-chips]");
  const pages = container.querySelector("[data-ifte-sp-pages]");
  const activeCount = container.querySelector("[data-ifte-sp-active-count]");
  const toResults = container.querySelector("[data-ifte-sp-to-results]");
  const exportButtons = container.querySelectorAll("[data-ifte-sp-csv], [data-ifte-sp-print]");
  const boxes = [...container.querySelectorAll("input[type=checkbox][form=ifte-sp-form]")];
  let state = readState(window.location.search);
  let typingEntry = false; // the current history entry was made by typing
  let typingTimer = 0;
  let sequence = 0;
  let current = null; // what `compute` gave for the state shown
  let marked = false;

  const urlOf = (s) => {
    const query = formatState(s);
    return `${window.location.pathname}${query ? `?${query}` : ""}`;
  };

  function labelOf(param, code) {
    const column = data.facets?.filters[param];
    const i = column?.index.get(code);
    return i === undefined ? code : column.labels[i];
  }

  // form ⇄ state
  function showState(s, { query = true } = {}) {
    if (query) input.value = s.q;
    for (const box of boxes) box.checked = (s.filters[box.name] || []).includes(box.value);
    if (yearFrom) yearFrom.value = s.yearFrom === null ? "" : String(s.yearFrom);
    if (yearTo) yearTo.value = s.yearTo === null ? "" : String(s.yearTo);
    sortSelect.value = effectiveSort(s);
    sortSelect.querySelector("option[value=relevance]").disabled = !s.q.trim();
  }

  function readForm({ sortChosen = false } = {}) {
    const filters = {};
    for (const param of FILTER_PARAMS) {
      // Codes a link asked for that this build has no box for are kept (they match nothing).
      const known = new Set(boxes.filter((b) => b.name === param).map((b) => b.value));
      const codes = [
        ...boxes.filter((b) => b.name === param && b.checked).map((b) => b.value),
        ...(state.filters[param] || []).filter((code) => !known.has(code)),
      ];
      if (codes.length) filters[param] = codes;
    }
    let from = toYear(yearFrom?.value);
    let to = toYear(yearTo?.value);
    if (from !== null && to !== null && from > to) [from, to] = [to, from];
    const q = input.value.trim();
    return {
      q,
      exact: Boolean(state.exact) && q === state.q, // a new query is corrected again
      yearFrom: from,
      yearTo: to,
      filters,
      sort: sortChosen ? sortSelect.value : state.sort,
      page: 1,
    };
  }

  function commit(next, { typing = false, focus = false } = {}) {
    const url = urlOf(next);
    const changed = url !== urlOf(state);
    state = next;
    if (changed) {
      if (typing && typingEntry) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    }
    typingEntry = typing;
    showState(state, { query: !typing });
    run({ focus });
  }

  // rendering
  function renderCounts(counts) {
    for (const box of boxes) {
      const column = data.facets.filters[box.name];
      const i = column?.index.get(box.value);
      const count = i === undefined ? 0 : counts[box.name][i];
      const label = box.closest("label");
      label.querySelector("[data-ifte-count]").textContent = number(count);
      label.classList.toggle("ifte-sp__option--none", count === 0 && !box.checked);
    }
    const yearColumn = data.facets.filters.year;
    for (const select of [yearFrom, yearTo]) {
      if (!select) continue;
      for (const option of select.options) {
        const i = yearColumn.index.get(option.value);
        if (i !== undefined) option.textContent = `${option.value} (${number(counts.year[i])})`;
      }
    }
    const active = Object.values(state.filters).reduce((sum, codes) => sum + codes.length, 0) +
      (state.yearFrom !== null || state.yearTo !== null ? 1 : 0);
    activeCount.textContent = active ? `(${number(active)})` : "";
  }

  function chip(label, remove) {
    const item = element("li");
    const button = element("button", "ifte-sp__chip", label);
    button.type = "button";
    button.setAttribute("aria-label", `${label} — เอาตัวกรองนี้ออก (remove filter)`);
    button.append(element("span", "", " ×"));
    button.lastChild.setAttribute("aria-hidden", "true");
    button.addEventListener("click", () => {
      const next = remove({ ...state, filters: { ...state.filters }, page: 1 });
      commit(next);
      heading.focus(); // the chip itself is gone
    });
    item.append(button);
    return item;
  }

  function renderChips() {
    const items = [];
    if (state.yearFrom !== null || state.yearTo !== null) {
      const text = state.yearFrom === state.yearTo ? `พ.ศ. ${state.yearFrom}`
        : `พ.ศ. ${state.yearFrom ?? "…"}–${state.yearTo ?? "…"}`;
      items.push(chip(text, (s) => ({ ...s, yearFrom: null, yearTo: null })));
    }
    for (const param of FILTER_PARAMS) {
      for (const code of state.filters[param] || []) {
        const label = `${CHIP_PREFIX[param] || ""}${labelOf(param, code)}`;
        items.push(chip(label, (s) => {
          const rest = s.filters[param].filter((c) => c !== code);
          if (rest.length) s.filters[param] = rest;
          else delete s.filters[param];
          return s;
        }));
      }
    }
    chips.replaceChildren(...items);
    chips.hidden = items.length === 0;
  }

  function renderCard(n, record, highlighted) {
    const { filters } = data.facets;
    const value = (param) => {
      const i = filters[param]?.docs[n];
      return i === undefined || i < 0 ? "" : filters[param].labels[i];
    };
    const item = element("li", record.p ? "ifte-card ifte-sp__card ifte-sp__card--picture" : "ifte-card ifte-sp__card");
    item.dataset.entryId = record.id;
    const title = element("h3", "ifte-card__title");
    const link = element("a", "", record.t);
    link.href = new URL(record.u, root).href;
    title.append(link);
    item.append(title);
    // After the title for screen readers, as on listing cards; beside it on screen.
    if (record.p) item.append(thumbnailPicture(link.href, record.t, "(min-width: 45em) 8rem, 6rem"));
    const meta = element("p", "ifte-card__meta");
    if (filters.type.codes[filters.type.docs[n]] === BEST_PRACTICE) {
      meta.append(element("span", "ifte-badge ifte-badge--bp", "Best Practice"), " ");
    }
    const award = value("award");
    if (award) meta.append(element("span", "ifte-badge ifte-sp__award", `รางวัลระดับ${award}`), " ");
    const facts = [record.s, `อ.${value("district") || record.d}`, `พ.ศ. ${record.y}`,
      value("type") || record.k, value("category")];
    facts.filter(Boolean).forEach((fact, i) => {
      if (i) meta.append(" · ");
      // Short labels (district, year, type, area) never break inside a Thai word.
      meta.append(element("span", i ? "ifte-sp__fact" : "", fact));
    });
    const snippet = element("p", "ifte-card__summary ifte-sp__snippet");
    for (const part of snippetParts(record.x, highlighted)) {
      snippet.append(part.mark ? element("mark", "", part.text) : document.createTextNode(part.text));
    }
    item.append(meta, snippet);
    return item;
  }

  function pageLink(page, text, label, isCurrent = false) {
    const link = element("a", "ifte-sp__page", text);
    link.href = urlOf({ ...state, page });
    if (label) link.setAttribute("aria-label", label);
    if (isCurrent) link.setAttribute("aria-current", "page");
    link.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      commit({ ...state, page }, { focus: true });
    });
    return link;
  }

  function renderPages(page, pageCount) {
    pages.hidden = pageCount <= 1;
    if (pageCount <= 1) {
      pages.replaceChildren();
      return;
    }
    const items = [];
    const add = (node) => items.push(node);
    if (page > 1) add(pageLink(page - 1, "‹ ก่อนหน้า", `ก่อนหน้า (หน้า ${page - 1})`));
    const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pageCount])]
      .filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
    shown.forEach((p, i) => {
      if (i && p - shown[i - 1] > 1) add(element("span", "ifte-sp__gap", "…"));
      add(pageLink(p, number(p), `หน้า ${p}`, p === page));
    });
    if (page < pageCount) add(pageLink(page + 1, "ถัดไป ›", `ถัดไป (หน้า ${page + 1})`));
    pages.replaceChildren(...items);
  }

  function describe(total, every, page, pageCount) {
    const words = state.q ? `ที่ตรงกับ “${state.q}”` : "";
    if (!total) {
      return `ไม่พบผลงาน${words} — ลองลดตัวกรองหรือเปลี่ยนคำค้น (no results)`;
    }
    const pageText = pageCount > 1 ? ` · หน้า ${number(page)} จาก ${number(pageCount)}` : "";
    const partial = total > every ? ` · ตรงบางคำอีก ${number(total - every)} ผลงาน` : "";
    return `พบ ${number(every)} ผลงาน${words}${partial}${pageText}`;
  }

  function renderNote(plan) {
    note.replaceChildren();
    if (plan?.ignored.length) {
      note.append(`ไม่นับคำทั่วไป ${plan.ignored.map((w) => `“${w}”`).join(" ")} (common words). `);
    }
    if (plan?.unmatched.length) {
      note.append(`ไม่พบคำว่า ${plan.unmatched.map((w) => `“${w}”`).join(" ")} ในคลัง (not found). `);
    }
    if (plan?.corrected) {
      const fix = element("button", "ifte-sp__fix", plan.corrected);
      fix.type = "button";
      fix.addEventListener("click", () => {
        input.value = plan.corrected;
        commit(readForm());
      });
      // A real link: it can be opened, shared and comes back with the back button.
      const typed = element("a", "ifte-sp__typed", `ค้นหาตามที่พิมพ์ “${state.q}”`);
      typed.href = urlOf({ ...state, exact: true, page: 1 });
      typed.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        commit({ ...state, exact: true, page: 1 });
      });
      note.append("หมายถึง ", fix, " ใช่ไหม? (did you mean) · ", typed);
    }
    note.hidden = !note.childNodes.length;
  }

  async function run({ focus = false } = {}) {
    const mine = ++sequence;
    const shownState = state;
    list.setAttribute("aria-busy", "true");
    try {
      const result = await data.compute(shownState);
      const { page, pageCount, shown } = pageOf(result.matches, shownState.page);
      const records = await data.engine.records(shown);
      if (mine !== sequence) return;
      current = result;
      renderCounts(result.counts);
      renderChips();
      renderNote(result.plan);
      // Every form of every word is marked, not only the one that scored best.
      const highlighted = result.plan?.clauses.flatMap((c) => c.alternatives.map(([t]) => t)) ?? [];
      const cards = shown.map((n, i) => renderCard(n, records[i], highlighted));
      shown.forEach((n, i) => {
        // The divider opens the first card holding only some of the words on this page.
        const partial = result.scores && !result.scores.get(n)[2];
        if (partial && (i === 0 || result.scores.get(shown[i - 1])[2])) {
          cards[i].prepend(element("p", "ifte-sp__divider", "ผลงานที่ตรงบางคำ (some words only)"));
        }
      });
      list.replaceChildren(...cards);
      list.start = (page - 1) * PAGE_SIZE + 1;
      renderPages(page, pageCount);
      status.textContent = describe(result.matches.length, result.every, page, pageCount);
      toResults.textContent = `ดูผลงาน ${number(result.matches.length)} รายการ`;
      for (const button of exportButtons) button.disabled = result.matches.length === 0;
      if (!marked) {
        marked = true;
        performance.mark("ifte-search-page:results"); // bench/bench_search_page.py reads it
      }
      if (focus) {
        heading.focus();
        heading.scrollIntoView({ block: "start" });
      }
    } catch (error) {
      if (mine !== sequence) return;
      status.textContent = "โหลดข้อมูลการค้นหาไม่ได้ ลองโหลดหน้านี้ใหม่ (Search data could not be loaded)";
      console.error("ifte-search-page:", error);
    } finally {
      if (mine === sequence) list.removeAttribute("aria-busy");
    }
  }

  // exports
  async function resultRows({ details = false } = {}) {
    const matches = current.matches;
    const rows = await data.rows(matches);
    const more = details ? await data.details(rows.map(([id]) => id)) : null;
    const { filters } = data.facets;
    const labels = (param, n) => {
      const column = filters[param];
      const value = column.docs[n];
      const indexes = column.multi ? value : value >= 0 ? [value] : [];
      return indexes.map((i) => column.labels[i]).join("; ");
    };
    return matches.map((n, i) => {
      const [id, title, school] = rows[i];
      return {
        id, title, school,
        cells: [i + 1, id, title, school, labels("district", n), labels("affiliation", n),
          data.facets.yearOf[n], labels("type", n), labels("category", n), labels("subject", n),
          labels("level", n), labels("award", n),
          ...(more ? [more[i].authors, more[i].summary] : []),
          new URL(`innovations/${id}/`, root).href],
      };
    });
  }

  function describeFilters() {
    const parts = [];
    if (state.q) parts.push(`คำค้น “${state.q}”`);
    if (state.yearFrom !== null || state.yearTo !== null) {
      parts.push(`ปี พ.ศ. ${state.yearFrom ?? "…"}–${state.yearTo ?? "…"}`);
    }
    for (const param of FILTER_PARAMS) {
      const codes = state.filters[param];
      if (codes) {
        const legend = container.querySelector(`fieldset[data-param=${param}] legend`);
        const values = codes.map((c) => labelOf(param, c)).join(", ");
        // Period labels name themselves ("ปีงบประมาณ พ.ศ. 2568").
        parts.push(legend ? `${legend.firstChild.textContent.trim()}: ${values}` : values);
      }
    }
    return parts.length ? parts.join(" · ") : "ทุกผลงาน";
  }

  async function downloadCsv() {
    const rows = await resultRows({ details: true });
    // A first line says what was searched and when (date in the Buddhist Era).
    const today = new Date();
    const criteria = [`เงื่อนไขการค้นหา (criteria): ${describeFilters()}`,
      `ข้อมูล ณ วันที่ ${thaiDate(today)}`, window.location.href];
    const text = formatCsv(rows.map((row) => row.cells));
    const lines = `\ufeff${criteria.map(formatCsvField).join(",")}\r\n${text.slice(1)}`;
    const blob = new Blob([lines], { type: "text/csv;charset=utf-8" });
    const link = element("a");
    link.href = URL.createObjectURL(blob);
    link.download = `ifte-search-${buddhistIsoDate(today)}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  async function printResults() {
    const rows = await resultRows();
    const table = element("table", "ifte-sp__print-table");
    const head = element("tr");
    for (const name of ["ลำดับ", "ชื่อผลงาน", "โรงเรียน/หน่วยงาน", "อำเภอ", "ปี พ.ศ.", "ประเภท", "ด้าน"]) {
      const cell = element("th", "", name);
      cell.scope = "col";
      head.append(cell);
    }
    const body = element("tbody");
    for (const row of rows) {
      const tr = element("tr");
      tr.dataset.entryId = row.id;
      for (const value of [row.cells[0], row.title, row.school, row.cells[4], row.cells[6],
        row.cells[7], row.cells[8]]) {
        tr.append(element("td", "", String(value)));
      }
      body.append(tr);
    }
    table.append(element("thead"), body);
    table.tHead.append(head);
    const title = element("p", "ifte-sp__print-title",
      `รายการผลงาน ${number(rows.length)} รายการ — เงื่อนไข: ${describeFilters()} · พิมพ์เมื่อ ${thaiDate(new Date())}`);
    const source = element("p", "ifte-sp__print-source", window.location.href);
    printList.replaceChildren(title, source, table);
    container.classList.add("ifte-sp--print-list");
    window.print();
  }

  function exporting(button, task) {
    button.addEventListener("click", async () => {
      if (!current) return;
      button.disabled = true;
      try {
        await task();
      } catch (error) {
        status.textContent = "สร้างรายการไม่สำเร็จ ลองอีกครั้ง (Export failed)";
        console.error("ifte-search-page:", error);
      } finally {
        button.disabled = false;
      }
    });
  }

  // events
  input.addEventListener("input", () => {
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(() => commit(readForm(), { typing: true }), TYPING_DELAY_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(typingTimer);
    typingEntry = false; // Enter ends a typing run: the next words get their own entry
    commit(readForm(), { focus: window.matchMedia(NARROW).matches });
  });
  // Filters and sort sit outside the <form> (form="ifte-sp-form"): their events bubble here.
  container.addEventListener("change", (event) => {
    if (event.target === input || event.target.form !== form) return;
    commit(readForm({ sortChosen: event.target === sortSelect }));
  });
  container.querySelector("[data-ifte-sp-clear]").addEventListener("click", () => {
    commit({ ...state, yearFrom: null, yearTo: null, filters: {}, page: 1 });
  });
  toResults.addEventListener("click", () => {
    filtersPanel.open = false;
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  });
  exporting(container.querySelector("[data-ifte-sp-csv]"), downloadCsv);
  exporting(container.querySelector("[data-ifte-sp-print]"), printResults);
  window.addEventListener("afterprint", () => container.classList.remove("ifte-sp--print-list"));
  window.addEventListener("popstate", () => {
    state = readState(window.location.search);
    typingEntry = false;
    showState(state);
    run();
  });

  // Phones: the filters start folded under their toggle (the chips show what is chosen).
  if (window.matchMedia(NARROW).matches) filtersPanel.open = false;
  showState(state);
  run();
}

// The script is loaded async from <head>: the data of the URL's state starts loading while
// the rest of the page (and Material's bundle) is still on its way.
if (typeof document !== "undefined") {
  const data = new SearchData(new URL("../../", import.meta.url).href); // assets/javascripts/
  const state = readState(window.location.search);
  data.compute(state)
    .then((result) => data.engine.records(pageOf(result.matches, state.page).shown))
    .catch(() => {}); // setup() runs the same steps again and reports failures
  const start = () => {
    const container = document.querySelector("[data-ifte-search-page]");
    if (container) setup(container, data);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
