/* Accessibility helpers Material lacks (WCAG 2.1 AA / TWCAG, DGA website standard).
   1. Text-size control: the choice is kept in localStorage only, on the reader's device;
      main.html re-applies it before the first paint.
   2. Tables too wide for the screen scroll inside their box; such a box must be reachable
      by keyboard to scroll it (WCAG 2.1.1), so it gets a tab stop while it scrolls. */
(function () {
  "use strict";
  var KEY = "ifte-font-size", MIN = -1, MAX = 3, root = document.documentElement;

  var bar = document.querySelector("[data-ifte-font-size-control]");
  function current() {
    return parseInt(root.getAttribute("data-ifte-font-size") || "0", 10) || 0;
  }
  function apply(level) {
    level = Math.max(MIN, Math.min(MAX, level));
    if (level === 0) root.removeAttribute("data-ifte-font-size");
    else root.setAttribute("data-ifte-font-size", String(level));
    try {
      if (level === 0) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, String(level));
    } catch (e) { /* private mode: the size still applies to this page */ }
    bar.querySelectorAll("button").forEach(function (button) {
      var step = parseInt(button.getAttribute("data-step"), 10);
      button.disabled = (step < 0 && level <= MIN) || (step > 0 && level >= MAX);
      if (step === 0) button.setAttribute("aria-pressed", String(level === 0));
    });
    markScrollRegions();
  }
  if (bar) {
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-step]");
      if (!button) return;
      var step = parseInt(button.getAttribute("data-step"), 10);
      apply(step === 0 ? 0 : current() + step);
    });
    apply(current());
    bar.hidden = false; // the control needs this script, so it shows only when it runs
  }

  var WRAPS = ".md-typeset__scrollwrap, .ifte-table-wrap";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function markScrollRegions() {
    document.querySelectorAll(WRAPS).forEach(function (box) {
      var ours = box.hasAttribute("data-ifte-scroll-region");
      if (box.hasAttribute("tabindex") && !ours) return; // the template already made it one
      var scrolls = box.scrollWidth > box.clientWidth + 1 && !box.querySelector(FOCUSABLE);
      if (scrolls && !ours) {
        var caption = box.querySelector("caption");
        box.setAttribute("data-ifte-scroll-region", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + " — " : "") +
          "ตาราง เลื่อนดูด้านข้างได้ (scrollable table)");
      } else if (!scrolls && ours) {
        ["data-ifte-scroll-region", "tabindex", "role", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markScrollRegions, 200);
  });
  window.addEventListener("load", markScrollRegions); // after Material has wrapped the tables
})();
