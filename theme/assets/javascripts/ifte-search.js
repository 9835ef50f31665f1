// ifte-search.js — the header search box (partials/ifte-search-box.html): results as you
// type, a keyboard-accessible combobox (WAI-ARIA 1.2 pattern), Enter opens the search page.
// Nothing is downloaded until the first keystroke: then the engine module and the index
// manifest, then only the shards a query needs. Entry text is untrusted: every string
// reaches the page through textContent, never innerHTML.
(() => {
  "use strict";
  const ENGINE_URL = new URL("ifte-search-engine.js", document.currentScript.src).href;
  const RESULTS_SHOWN = 8;
  const PARTIAL_DIVIDER = "ผลงานที่ตรงบางคำ (some words only)"; // as on /search/ and in ifte search
  const DEBOUNCE_MS = 60;
  let enginePromise = null;
  let thumbnailPicture = null; // from the engine module, once loaded

  function loadEngine(root) {
    if (!enginePromise) {
      enginePromise = import(ENGINE_URL).then((module) => {
        thumbnailPicture = module.thumbnailPicture;
        return new module.SearchEngine(new URL("search-index/", root).href);
      });
      enginePromise.catch(() => (enginePromise = null));
    }
    return enginePromise;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setup(form) {
    // Resolved now: Material's instant navigation keeps the header across pages.
    const root = new URL(form.dataset.ifteRoot, window.location.href).href;
    const input = form.querySelector(".ifte-search__input");
    const panel = form.querySelector(".ifte-search__panel");
    const list = form.querySelector(".ifte-search__results");
    const note = form.querySelector(".ifte-search__note");
    const more = form.querySelector(".ifte-search__more");
    const status = form.querySelector("[role=status]");
    let sequence = 0;
    let timer = 0;
    let active = -1;
    let asTyped = null; // the query the visitor asked to search exactly as typed

    const searchPage = (query, exact = false) => {
      const url = new URL("search/", root);
      url.searchParams.set("q", query);
      if (exact) url.searchParams.set("exact", "1");
      return url.href;
    };

    function open(isOpen) {
      panel.hidden = !isOpen;
      input.setAttribute("aria-expanded", String(isOpen));
      if (!isOpen) setActive(-1);
    }

    function setActive(index) {
      const options = list.querySelectorAll("[role=option]");
      active = options.length ? Math.max(-1, Math.min(index, options.length - 1)) : -1;
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function renderHit(hit, index) {
      const option = element("li", "ifte-search__option");
      option.id = `ifte-search-option-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      // An option may not contain a link (nested interactive controls): the option
      // itself navigates, on click or Enter.
      option.dataset.href = new URL(hit.url, root).href;
      const link = element("span", "ifte-search__link");
      link.append(element("span", "ifte-search__title", hit.title));
      const meta = [`พ.ศ. ${hit.year}`, hit.school, hit.district && `อ.${hit.district}`];
      link.append(element("span", "ifte-search__meta", meta.filter(Boolean).join(" · ")));
      const snippet = element("span", "ifte-search__snippet");
      for (const part of hit.snippet) {
        snippet.append(part.mark ? element("mark", "", part.text) : document.createTextNode(part.text));
      }
      link.append(snippet);
      option.append(link);
      if (hit.picture) {
        // A small square beside the text; alt is empty: the option's name has the title.
        option.classList.add("ifte-search__option--picture");
        link.prepend(thumbnailPicture(option.dataset.href, "", "48px"));
      }
      option.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
      option.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey) window.open(option.dataset.href);
        else window.location.href = option.dataset.href;
      });
      option.addEventListener("auxclick", (event) => {
        if (event.button === 1) window.open(option.dataset.href);
      });
      return option;
    }

    function render(query, results, exact) {
      const items = [];
      results.hits.forEach((hit, i) => {
        if (!hit.everyWord && (i === 0 || results.hits[i - 1].everyWord)) {
          const divider = element("li", "ifte-search__divider", PARTIAL_DIVIDER);
          divider.setAttribute("role", "presentation");
          items.push(divider);
        }
        items.push(renderHit(hit, i));
      });
      list.replaceChildren(...items);
      list.hidden = !results.hits.length; // an empty listbox is an ARIA error
      note.replaceChildren();
      const button = (text, className, onClick) => {
        const node = element("button", className, text);
        node.type = "button";
        node.addEventListener("click", onClick);
        return node;
      };
      if (results.corrected) {
        const fix = button(results.corrected, "ifte-search__fix", () => {
          input.value = results.corrected;
          input.focus();
          schedule();
        });
        const typed = button(`ค้นหาตามที่พิมพ์ “${query}”`, "ifte-search__typed", () => {
          asTyped = input.value;
          input.focus();
          schedule();
        });
        note.append("หมายถึง ", fix, " ใช่ไหม? (did you mean) · ", typed);
      }
      if (results.ignored.length) {
        const words = results.ignored.map((w) => `“${w}”`).join(" ");
        note.append(element("span", "ifte-search__ignored", `ไม่นับคำทั่วไป ${words} (common words)`));
      }
      const partial = results.partial
        ? ` · ตรงบางคำอีก ${results.partial.toLocaleString("th-TH")} รายการ`
        : "";
      const found = results.total + results.partial
        ? `พบ ${results.total.toLocaleString("th-TH")} รายการ${partial}`
        : `ไม่พบผลงานที่ตรงกับ “${query}”`;
      status.textContent = found;
      note.append(element("span", "ifte-search__count", found));
      more.href = searchPage(query, exact);
      more.hidden = results.total + results.partial <= results.hits.length;
      open(true);
      setActive(-1);
    }

    async function run() {
      const query = input.value;
      const mine = ++sequence;
      if (!query.trim()) {
        open(false);
        status.textContent = "";
        return;
      }
      try {
        const engine = await loadEngine(root);
        const exact = asTyped === query;
        const results = await engine.search(query, { limit: RESULTS_SHOWN, correct: !exact });
        if (mine === sequence) render(query.trim(), results, exact);
      } catch (error) {
        if (mine !== sequence) return;
        list.replaceChildren();
        list.hidden = true;
        note.textContent = "ค้นหาไม่ได้ในขณะนี้ กด Enter เพื่อเปิดหน้าค้นหา (Search unavailable)";
        open(true);
        console.error("ifte-search:", error);
      }
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DEBOUNCE_MS);
    }

    input.addEventListener("input", schedule);
    input.addEventListener("focus", () => {
      if (input.value.trim() && list.childElementCount) open(true);
    });
    input.addEventListener("keydown", (event) => {
      const count = list.querySelectorAll("[role=option]").length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (panel.hidden) {
          if (count) open(true);
          return;
        }
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive(active + step < -1 ? count - 1 : active + step >= count ? -1 : active + step);
      } else if (event.key === "Enter" && active >= 0 && !panel.hidden) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("[role=option]")[active].dataset.href;
      } else if (event.key === "Escape") {
        if (!panel.hidden) {
          event.preventDefault();
          open(false);
        }
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.value.trim()) {
        window.location.href = searchPage(input.value.trim(), asTyped === input.value);
      }
    });
    document.addEventListener("click", (event) => {
      if (!form.contains(event.target)) open(false);
    });
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]");
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  document.querySelectorAll("[data-ifte-search]").forEach(setup);
})();
