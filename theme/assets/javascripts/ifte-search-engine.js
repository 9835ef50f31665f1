// ifte-search-engine.js — Thai full-text search over the static files written by
// build_tools/search/export.py. An ES module with no dependencies and no DOM access,
// so it runs the same in a page, a worker and Node (the benchmark).
//
// Every rule here is a twin of the Python query path and must stay in step with it:
//   normalise, splitChunks, isBoundary   ↔ build_tools/thai.py
//   planQuery (segment, correct, expand) ↔ build_tools/search/query.py
//   typoCost, prefixTypoCost              ↔ build_tools/search/typos.py (the cost table
//                                           and the stop words come in the manifest)
//   scoreDocuments, rankDocuments, idf    ↔ build_tools/search/searcher.py, ranking.py
// tests/browser/test_search_parity.py checks that both return the same top 10.

const INVISIBLE = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
const ABOVE_BELOW = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47";
const TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c";
const TONE_BEFORE_VOWEL = new RegExp(`([${TONES}])([${ABOVE_BELOW}])`, "g");
const DOUBLED_MARK = new RegExp(`([${ABOVE_BELOW}${TONES}\u0e4d])\\1+`, "g");
const THAI_LETTER = /[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const NO_BREAK_BEFORE = new Set(
  "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e",
);
const NO_BREAK_AFTER = new Set("\u0e40\u0e41\u0e42\u0e43\u0e44");

/** Fix Thai encoding variants that look the same but compare unequal; keeps case. */
export function normaliseDisplay(text) {
  return text
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(/[\u0e50-\u0e59]/g, (digit) => String(digit.charCodeAt(0) - 0x0e50))
    .replace(/\u0e4d([\u0e48-\u0e4b]?)\u0e32/g, "$1\u0e33")
    .replace(TONE_BEFORE_VOWEL, "$2$1")
    .replace(DOUBLED_MARK, "$1")
    .replaceAll("\u0e40\u0e40", "\u0e41");
}

/** The form both the index and queries are compared in. */
export function normalise(text) {
  return normaliseDisplay(text).toLowerCase();
}

/** Split normalised text into [chunk, isThai] runs; spaces and punctuation separate. */
export function splitChunks(text) {
  const chunks = [];
  let current = "";
  let kind = null;
  for (const char of text) {
    let charKind = null;
    if (THAI_LETTER.test(char)) charKind = "thai";
    else if (WORD_CHAR.test(char) && !(char >= "\u0e00" && char <= "\u0e7f")) charKind = "word";
    if (charKind !== kind) {
      if (kind !== null) chunks.push([current, kind === "thai"]);
      current = "";
      kind = charKind;
    }
    current += char;
  }
  if (kind !== null) chunks.push([current, kind === "thai"]);
  return chunks;
}

/** May a Thai word start (or end) at position i of run? */
export function isBoundary(run, i) {
  if (i <= 0 || i >= run.length) return true;
  return !NO_BREAK_BEFORE.has(run[i]) && !NO_BREAK_AFTER.has(run[i - 1]);
}

/** Terms are sharded by their first two characters. */
function shardKey(term) {
  return term.slice(0, 2);
}

/** 32-bit FNV-1a of the key's code points (export.format_shard_number). */
export function shardOf(key, shardCount) {
  let value = 0x811c9dc5;
  for (const char of key) {
    value = Math.imul(value ^ char.codePointAt(0), 0x01000193) >>> 0;
  }
  return value % shardCount;
}

function typingCosts(table) {
  if (!table.pairs) {
    const pairs = new Map();
    for (const tier of table.alike) {
      for (const group of tier.groups) {
        for (const a of group) {
          for (const b of group) {
            if (a !== b && !pairs.has(a + b)) pairs.set(a + b, tier.cost);
          }
        }
      }
    }
    Object.defineProperty(table, "pairs", { value: pairs }); // not part of the JSON
  }
  return table.pairs;
}

/** The weighted optimal-string-alignment table of a against every prefix of b (typos.py). */
function typoTable(a, b, table) {
  const pairs = typingCosts(table);
  const indel = (char) => (table.marks.includes(char) ? table.markCost : table.otherCost);
  const substitute = (x, y) => {
    if (x === y) return 0;
    if (table.marks.includes(x) && table.marks.includes(y)) return table.markCost;
    return pairs.get(x + y) ?? table.otherCost;
  };
  const rows = [];
  for (let i = 0; i <= a.length; i += 1) rows.push(new Array(b.length + 1).fill(0));
  for (let j = 1; j <= b.length; j += 1) rows[0][j] = rows[0][j - 1] + indel(b[j - 1]);
  for (let i = 1; i <= a.length; i += 1) {
    rows[i][0] = rows[i - 1][0] + indel(a[i - 1]);
    for (let j = 1; j <= b.length; j += 1) {
      let best = Math.min(
        rows[i - 1][j] + indel(a[i - 1]),
        rows[i][j - 1] + indel(b[j - 1]),
        rows[i - 1][j - 1] + substitute(a[i - 1], b[j - 1]),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2][j - 2] + table.transposeCost);
      }
      rows[i][j] = best;
    }
  }
  return rows;
}

/** Weighted edit distance from typed to word, with the Thai typing costs of `table`. */
export function typoCost(typed, word, table) {
  return typoTable(typed, word, table)[typed.length][word.length];
}

/** The cheapest [cost, length] of typed against a start of word ending at a boundary. */
export function prefixTypoCost(typed, word, table) {
  const last = typoTable(typed, word, table)[typed.length];
  let best = null;
  for (let j = 1; j <= word.length; j += 1) {
    if (isBoundary(word, j) && (best === null || last[j] < best[0])) best = [last[j], j];
  }
  return best;
}

export function idf(documentCount, documentFrequency) {
  const value = Math.log(
    1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5),
  );
  return Math.floor(value * 1e6 + 0.5) / 1e6;
}

/** The term dictionary shards a query needs before it can be planned. */
export function shardKeysFor(query) {
  const keys = new Set();
  for (const [chunk, isThai] of splitChunks(normalise(query))) {
    if (!isThai) {
      keys.add(shardKey(chunk));
      continue;
    }
    for (let i = 0; i < chunk.length; i += 1) {
      if (!isBoundary(chunk, i)) continue;
      keys.add(chunk.slice(i, i + 2));
      if (isBoundary(chunk, i + 1)) keys.add(chunk.slice(i, i + 1));
    }
  }
  return keys;
}

/**
 * Plan a query against a lexicon ({documentFrequency(term), termsWithPrefix(prefix)}).
 * Same steps and tie-breaks as build_tools/search/query.py: read its docstring.
 */
export function planQuery(query, lexicon, params, prefix = true, phrases = null, correct = true) {
  const text = normalise(query);
  const chunks = splitChunks(text);
  const atEndOpen = prefix && chunks.length > 0 && text.endsWith(chunks[chunks.length - 1][0]);
  let fixedRun = false;
  const runs = chunks.map(([chunk, isThai], position) => {
    const atEnd = atEndOpen && position === chunks.length - 1;
    let pieces;
    if (isThai) {
      pieces = segmentRun(chunk, lexicon, atEnd, params);
      const fix = correct && findRunCorrection(chunk, pieces, lexicon, phrases, atEnd, params);
      if (fix) {
        pieces = segmentRun(fix, lexicon, atEnd, params);
        fixedRun = true;
      }
    } else {
      const openEnd = atEnd && chunk.length >= params.minPrefixChars;
      if (lexicon.documentFrequency(chunk) > 0) {
        pieces = [{ text: chunk, kind: openEnd ? "prefix" : "term" }];
      } else if (openEnd && lexicon.termsWithPrefix(chunk).length > 0) {
        pieces = [{ text: chunk, kind: "prefix" }];
      } else {
        pieces = [{ text: chunk, kind: "unknown" }];
      }
    }
    return correctRun(pieces, lexicon, params, correct);
  });
  const stopWords = new Set(params.stopWords);
  const clauses = [];
  const ignored = [];
  for (const piece of runs.flat()) {
    let alternatives;
    if (piece.kind === "term") alternatives = [[piece.text, 1.0]];
    else if (piece.kind === "prefix") alternatives = expandPrefix(lexicon, piece.text, params);
    else if (piece.kind === "fuzzy") alternatives = [[piece.correction, params.fuzzyFactor]];
    else continue;
    const key = JSON.stringify(alternatives);
    if (stopWords.has(piece.correction || piece.text)) {
      if (!ignored.includes(piece.text)) ignored.push(piece.text);
    } else if (clauses.every((clause) => JSON.stringify(clause.alternatives) !== key)) {
      clauses.push({ text: piece.text, kind: piece.kind, alternatives });
    }
  }
  let corrected = null;
  if (fixedRun || runs.some((run) => run.some((p) => p.kind === "fuzzy"))) {
    corrected = runs.map((run) => run.map((p) => p.correction || p.text).join("")).join(" ");
  }
  const unmatched = runs.flat().filter((p) => p.kind === "unmatched").map((p) => p.text);
  return { clauses, corrected, unmatched, ignored };
}

function segmentRun(run, lexicon, atEnd, params) {
  const n = run.length;
  const bounds = [];
  for (let i = 0; i <= n; i += 1) if (isBoundary(run, i)) bounds.push(i);
  const best = new Map([[n, [0, 0]]]);
  const step = new Map();
  const less = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  for (let k = bounds.length - 2; k >= 0; k -= 1) {
    const i = bounds[k];
    let choice = null;
    let cost = null;
    for (let m = bounds.length - 1; m > k; m -= 1) {
      const j = bounds[m];
      if (j - i > params.maxTokenChars) continue;
      const piece = run.slice(i, j);
      const openEnd = atEnd && j === n && j - i >= params.minPrefixChars;
      let kind;
      if (lexicon.documentFrequency(piece) > 0) kind = openEnd ? "prefix" : "term";
      else if (openEnd && lexicon.termsWithPrefix(piece).length > 0) kind = "prefix";
      else continue;
      const candidate = [best.get(j)[0], best.get(j)[1] + 1];
      if (cost === null || less(candidate, cost)) {
        cost = candidate;
        choice = [j, kind];
      }
    }
    const j = bounds[k + 1];
    const candidate = [best.get(j)[0] + 1, best.get(j)[1]];
    if (cost === null || less(candidate, cost)) {
      cost = candidate;
      choice = [j, "unknown"];
    }
    best.set(i, cost);
    step.set(i, choice);
  }
  const pieces = [];
  let i = 0;
  while (i < n) {
    const [j, kind] = step.get(i);
    const last = pieces[pieces.length - 1];
    if (kind === "unknown" && last && last.kind === "unknown") last.text += run.slice(i, j);
    else pieces.push({ text: run.slice(i, j), kind });
    i = j;
  }
  return pieces;
}

/** The candidate [word, frequency] closest to text within maxCost (query._closest). */
function closest(text, candidates, openEnd, table, maxCost = 0) {
  const limit = maxCost || table.maxCost;
  const gap = Math.trunc(table.maxCost / table.markCost);
  let best = null;
  for (const [candidate, frequency] of candidates) {
    let word = candidate;
    let cost;
    if (openEnd) {
      if (word.length < text.length - gap) continue;
      const [prefixCost, cut] = prefixTypoCost(text, word, table);
      cost = prefixCost;
      word = word.slice(0, cut);
    } else {
      if (Math.abs(word.length - text.length) > gap) continue;
      cost = typoCost(text, word, table);
    }
    if (cost > limit) continue;
    if (
      best === null ||
      cost < best[0] ||
      (cost === best[0] && (frequency > best[1] || (frequency === best[1] && word < best[2])))
    ) {
      best = [cost, frequency, word];
    }
  }
  return best === null || best[0] === 0 ? null : best[2];
}

function findCorrection(lexicon, text, params) {
  if (text.length < params.minFuzzyChars) return null;
  const terms = lexicon.termsWithPrefix(text.slice(0, params.fuzzyPrefixChars));
  return closest(text, terms.map((t) => [t, lexicon.documentFrequency(t)]), false, params.typing);
}

/** What a weak Thai run (only short or function words) was probably meant to be. */
function findRunCorrection(run, pieces, lexicon, phrases, atEnd, params) {
  if (run.length < params.minFuzzyChars || lexicon.documentFrequency(run) > 0) return null;
  const stopWords = new Set(params.stopWords);
  const strong = (p) =>
    ["term", "prefix"].includes(p.kind) && p.text.length >= params.minFuzzyChars && !stopWords.has(p.text);
  const key = run.slice(0, params.fuzzyPrefixChars);
  const candidates = [...(phrases ? phrases.phrasesWithPrefix(key) : [])];
  // Not weak, but one mark away from a known phrase (หนองมวง → หนองม่วง): that phrase.
  if (pieces.some(strong)) return closest(run, candidates, false, params.typing, params.typing.markCost);
  for (const term of lexicon.termsWithPrefix(key)) candidates.push([term, lexicon.documentFrequency(term)]);
  return closest(run, candidates, atEnd, params.typing);
}

function correctRun(pieces, lexicon, params, correct) {
  for (;;) {
    const unknown = pieces.findIndex((p) => p.kind === "unknown");
    if (unknown < 0) return pieces;
    let lo = unknown;
    while (lo > 0 && ["term", "prefix"].includes(pieces[lo - 1].kind)) lo -= 1;
    let hi = unknown + 1;
    while (hi < pieces.length && ["term", "prefix", "unknown"].includes(pieces[hi].kind)) hi += 1;
    const windows = [];
    for (let a = lo; a <= unknown; a += 1) {
      for (let b = unknown + 1; b <= hi; b += 1) {
        const length = pieces.slice(a, b).reduce((sum, p) => sum + p.text.length, 0);
        windows.push([a, b, length]);
      }
    }
    windows.sort((x, y) => y[2] - x[2] || x[0] - y[0]);
    let fixed = false;
    for (const [a, b] of correct ? windows : []) {
      const text = pieces.slice(a, b).map((p) => p.text).join("");
      const correction = findCorrection(lexicon, text, params);
      if (correction !== null) {
        pieces.splice(a, b - a, { text, kind: "fuzzy", correction });
        fixed = true;
        break;
      }
    }
    if (!fixed) pieces[unknown].kind = "unmatched";
  }
}

function expandPrefix(lexicon, text, params) {
  const alternatives = lexicon.documentFrequency(text) > 0 ? [[text, 1.0]] : [];
  const longer = lexicon.termsWithPrefix(text).filter((t) => t !== text);
  longer.sort(
    (a, b) =>
      lexicon.documentFrequency(b) - lexicon.documentFrequency(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const term of longer.slice(0, params.prefixExpansions)) {
    alternatives.push([term, params.prefixFactor]);
  }
  return alternatives;
}

/**
 * Sum, clause by clause, the best idf × weight × factor among each clause's terms;
 * a document matching k of n clauses keeps k/n of its sum, and holds every word when it
 * matches every clause whose postings are complete (searcher.score_documents).
 * number → [score, matched terms, holds every word].
 */
export function scoreDocuments(plan, postingsOf, documentFrequency, documentCount, params) {
  const totals = new Map();
  const counts = new Map();
  const required = new Map();
  const matched = new Map();
  let completeClauses = 0;
  for (const clause of plan.clauses) {
    const best = new Map();
    const bestTerm = new Map();
    let complete = true;
    for (const [term, factor] of clause.alternatives) {
      const postings = postingsOf(term);
      const termIdf = idf(documentCount, documentFrequency(term));
      complete = complete && postings.length / 2 === documentFrequency(term);
      for (let p = 0; p < postings.length; p += 2) {
        const value = termIdf * (postings[p + 1] / params.weightScale) * factor;
        if (value > (best.get(postings[p]) ?? 0)) {
          best.set(postings[p], value);
          bestTerm.set(postings[p], term);
        }
      }
    }
    if (complete) completeClauses += 1;
    for (const [documentNumber, value] of best) {
      totals.set(documentNumber, (totals.get(documentNumber) ?? 0) + value);
      counts.set(documentNumber, (counts.get(documentNumber) ?? 0) + 1);
      required.set(documentNumber, (required.get(documentNumber) ?? 0) + (complete ? 1 : 0));
      if (!matched.has(documentNumber)) matched.set(documentNumber, []);
      matched.get(documentNumber).push(bestTerm.get(documentNumber));
    }
  }
  const scores = new Map();
  for (const [documentNumber, total] of totals) {
    scores.set(documentNumber, [
      (total * counts.get(documentNumber)) / plan.clauses.length,
      matched.get(documentNumber),
      required.get(documentNumber) === completeClauses,
    ]);
  }
  return scores;
}

/** Document numbers: every word first, then by score, highest first; ties by number,
 * highest (newest) first. */
export function rankDocuments(scores, numbers = [...scores.keys()]) {
  return numbers.sort((a, b) => {
    const [scoreA, , everyA] = scores.get(a);
    const [scoreB, , everyB] = scores.get(b);
    return everyB - everyA || scoreB - scoreA || b - a;
  });
}

/**
 * Split text into [{text, mark}] parts around the matched terms: a window of `width`
 * characters starting a little before the first match. Callers render parts with
 * textContent (never innerHTML): entry text is untrusted.
 */
export function snippetParts(text, terms, width = 140) {
  const lowered = text.toLowerCase();
  const spans = [];
  if (lowered.length === text.length) {
    for (const term of [...terms].sort((a, b) => b.length - a.length)) {
      let start = lowered.indexOf(term);
      while (start >= 0) {
        const end = start + term.length;
        if (spans.every(([a, b]) => end <= a || start >= b)) spans.push([start, end]);
        start = lowered.indexOf(term, end);
      }
    }
  }
  spans.sort((x, y) => x[0] - y[0]);
  const first = spans.length ? spans[0][0] : 0;
  const begin = Math.max(0, Math.min(first - Math.floor(width / 4), text.length - width));
  const end = begin + width;
  const parts = [];
  if (begin > 0) parts.push({ text: "…", mark: false });
  let cursor = begin;
  for (const [a, b] of spans) {
    if (a >= cursor && b <= end) {
      if (a > cursor) parts.push({ text: text.slice(cursor, a), mark: false });
      parts.push({ text: text.slice(a, b), mark: true });
      cursor = b;
    }
  }
  if (end > cursor) parts.push({ text: text.slice(cursor, end), mark: false });
  if (end < text.length) parts.push({ text: "…", mark: false });
  return parts;
}

/** A result's picture (browser only), when its record has `p`: the 16:10 copies that
 * `build_tools/images.py` writes beside the entry's page (THUMB_NAME, THUMB_WIDTHS), WebP
 * with a JPEG fallback, fetched only near the screen. Attributes, never markup: `alt` is
 * entry text. */
export function thumbnailPicture(entryUrl, alt, sizes) {
  const url = (width, suffix) => new URL(`cover@${width}.${suffix}`, entryUrl).href;
  const srcset = (suffix) => [320, 640].map((w) => `${url(w, suffix)} ${w}w`).join(", ");
  const picture = document.createElement("picture");
  picture.className = "ifte-thumb";
  const source = document.createElement("source");
  Object.assign(source, { type: "image/webp", sizes, srcset: srcset("webp") });
  const img = document.createElement("img");
  // Lazy and inside the picture before it has an address: otherwise it is fetched at once.
  Object.assign(img, { loading: "lazy", decoding: "async", width: 320, height: 200, alt });
  picture.append(source, img);
  Object.assign(img, { sizes, srcset: srcset("jpg"), src: url(320, "jpg") });
  return picture;
}

/** [delta, weight, delta, weight, …] → [document, weight, document, weight, …]. */
export function decodePostings(encoded) {
  const decoded = new Array(encoded.length);
  let document = 0;
  for (let p = 0; p < encoded.length; p += 2) {
    document += encoded[p];
    decoded[p] = document;
    decoded[p + 1] = encoded[p + 1];
  }
  return decoded;
}

/** A search engine reading the export at `baseUrl` (ending in "search-index/"). */
export class SearchEngine {
  constructor(baseUrl, { fetch: fetchFn = globalThis.fetch.bind(globalThis) } = {}) {
    this.baseUrl = baseUrl;
    this.fetch = fetchFn;
    this.manifest = null;
    this.files = new Map(); // file name → Promise of parsed JSON
    this.loaded = new Map(); // file name → parsed JSON (once resolved)
    this.suggestions = new Map(); // search-suggest file name → {phrase: entries}
  }

  async load(name, options) {
    if (!this.files.has(name)) {
      const promise = this.fetch(this.baseUrl + name, options).then((response) => {
        if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
        return response.json();
      });
      promise.then((data) => this.loaded.set(name, data)).catch(() => this.files.delete(name));
      this.files.set(name, promise);
    }
    return this.files.get(name);
  }

  async ready() {
    if (this.manifest === null) {
      // Revalidated every page load: it names this build's folder and version.
      this.manifest = await this.load("manifest.json", { cache: "no-cache" });
    }
    return this.manifest;
  }

  versioned(name) {
    // The folder keeps unchanged files at their address (a deploy sends only what
    // changed); the version in the query keeps two builds' files from mixing in caches.
    return `${this.manifest.folder}/${name}?v=${this.manifest.version}`;
  }

  /** The phrases of planQuery (suggestions.py), over the shards loaded so far; the keys
   * of shards it needed and did not have go to `missing`. */
  phrases(missing) {
    const shards = this.manifest.params.suggestShards;
    const sorted = new Map();
    return {
      phrasesWithPrefix: (prefix) => {
        const name = `${shardOf(shardKey(prefix), shards)}.json`;
        const shard = this.suggestions.get(name);
        if (shard === undefined) {
          missing.add(name);
          return [];
        }
        if (!sorted.has(name)) sorted.set(name, Object.keys(shard).sort().map((p) => [p, shard[p]]));
        return sorted.get(name).filter(([phrase]) => phrase.startsWith(prefix));
      },
    };
  }

  /** Vocabulary phrases for corrections: `../search-suggest/`, fetched when first needed;
   * a site without them (or a failed fetch) just has no phrase suggestions. */
  async loadSuggestions(names) {
    await Promise.all(
      [...names].map(async (name) => {
        let data = {};
        try {
          const url = new URL(`../search-suggest/${name}`, this.baseUrl).href;
          const response = await this.fetch(url, { cache: "no-cache" });
          if (response.ok) data = await response.json();
        } catch {
          // keep {}: correction falls back to the index's own words
        }
        this.suggestions.set(name, data);
      }),
    );
  }

  termShard(term) {
    const number = shardOf(shardKey(term), this.manifest.termShards);
    return this.loaded.get(this.versioned(`terms-${number}.json`)) || {};
  }

  /** The names of the files a text's keys need: dictionary shards, then the delta
   * segment's (the newest documents, export.py), when it holds any. */
  shardNames(keys) {
    const { termShards, deltaShards, deltaBase, documents } = this.manifest;
    const names = new Set([...keys].map((key) => this.versioned(`terms-${shardOf(key, termShards)}.json`)));
    if (documents > deltaBase) {
      for (const key of keys) names.add(this.versioned(`delta-${shardOf(key, deltaShards)}.json`));
    }
    return [...names];
  }

  /** The delta segment's {term: [document frequency, doc, weight, …]} of `term`'s key. */
  deltaShard(term) {
    const { deltaShards, deltaBase, documents } = this.manifest;
    if (!(documents > deltaBase)) return {};
    const number = shardOf(shardKey(term), deltaShards);
    return this.loaded.get(this.versioned(`delta-${number}.json`)) || {};
  }

  /** The lexicon of planQuery, over the term shards loaded so far: both segments. */
  lexicon() {
    const sortedTerms = new Map();
    const sortedKeys = (shard) => {
      if (!sortedTerms.has(shard)) sortedTerms.set(shard, Object.keys(shard).sort());
      return sortedTerms.get(shard);
    };
    return {
      documentFrequency: (term) => {
        const entry = this.termShard(term)[term];
        const delta = this.deltaShard(term)[term];
        return (entry ? entry[0] : 0) + (delta ? delta[0] : 0);
      },
      termsWithPrefix: (prefix) => {
        const main = sortedKeys(this.termShard(prefix)).filter((term) => term.startsWith(prefix));
        const delta = sortedKeys(this.deltaShard(prefix)).filter((term) => term.startsWith(prefix));
        if (!delta.length) return main;
        // Code point order, as Python sorts (the planner's ties depend on it).
        return [...new Set([...main, ...delta])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      },
    };
  }

  async plan(query, { prefix = true, correct = true } = {}) {
    const manifest = await this.ready();
    const loadTerms = (text) => {
      const names = this.shardNames(shardKeysFor(text));
      if (names.every((name) => this.loaded.has(name))) return null;
      return Promise.all(names.map((name) => this.load(name)));
    };
    await loadTerms(query);
    // A correction may need phrases, then the term shards of the corrected words: plan
    // again until nothing is missing (at most twice more).
    for (;;) {
      const missing = new Set();
      const plan = planQuery(query, this.lexicon(), manifest.params, prefix, this.phrases(missing), correct);
      const more = missing.size ? this.loadSuggestions(missing) : loadTerms(plan.corrected || "");
      if (!more) return plan;
      await more;
    }
  }

  /** Every document containing some of the query's words:
   * number → [score, matched terms, holds every word]. */
  async match(query, { prefix = true, correct = true } = {}) {
    const manifest = await this.ready();
    const plan = await this.plan(query, { prefix, correct });
    const terms = [...new Set(plan.clauses.flatMap((c) => c.alternatives.map(([t]) => t)))];
    const dictionary = new Map(terms.map((term) => [term, this.termShard(term)[term]]));
    const delta = new Map(terms.map((term) => [term, this.deltaShard(term)[term]]));
    const postingShards = new Set([...dictionary.values()].filter(Boolean).map((entry) => entry[1]));
    await Promise.all(
      [...postingShards].map((k) => this.load(this.versioned(`postings-${k}.json`))),
    );
    // The main segment's postings, then the delta's (higher numbers): as searcher.py.
    const postingsOf = (term) => {
      const entry = dictionary.get(term);
      const main = entry ? decodePostings(this.loaded.get(this.versioned(`postings-${entry[1]}.json`))[term]) : [];
      const newest = delta.get(term);
      return newest ? main.concat(decodePostings(newest.slice(1))) : main;
    };
    const frequency = (term) => {
      const entry = dictionary.get(term);
      const newest = delta.get(term);
      return (entry ? entry[0] : 0) + (newest ? newest[0] : 0);
    };
    const scores = scoreDocuments(
      plan,
      postingsOf,
      frequency,
      manifest.documents,
      manifest.params,
    );
    return { plan, scores };
  }

  /** Display records ({id, u, t, y, s, d, k, x, and p: 1 when it has a picture}) of
   * documents, by number. */
  async records(numbers) {
    const size = (await this.ready()).docsPerShard;
    const name = (n) => this.versioned(`docs-${Math.floor(n / size)}.json`);
    await Promise.all([...new Set(numbers.map(name))].map((file) => this.load(file)));
    return numbers.map((n) => this.loaded.get(name(n))[n % size]);
  }

  /** The top `limit` entries for `query`, with highlighted snippets: those holding every
   * word first (`total` of them), then those holding some (`partial`). */
  async search(query, { limit = 10, prefix = true, correct = true } = {}) {
    const { plan, scores } = await this.match(query, { prefix, correct });
    const numbers = rankDocuments(scores);
    const every = numbers.filter((n) => scores.get(n)[2]).length;
    const top = numbers.slice(0, limit);
    const records = await this.records(top);
    const hits = top.map((n, i) => {
      const record = records[i];
      const [score, matched, everyWord] = scores.get(n);
      return {
        id: record.id,
        url: record.u,
        title: record.t,
        year: record.y,
        school: record.s,
        district: record.d,
        kind: record.k,
        picture: record.p === 1,
        score,
        matched,
        everyWord,
        snippet: snippetParts(record.x, matched),
      };
    });
    return {
      query,
      corrected: plan.corrected,
      unmatched: plan.unmatched,
      ignored: plan.ignored,
      clauses: plan.clauses,
      total: every,
      partial: numbers.length - every,
      hits,
    };
  }
}
