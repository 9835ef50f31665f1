/* Text-size control (DGA website standard; Material has none). The choice is kept in
   localStorage only, on the reader's device; main.html re-applies it before first paint. */
(function () {
  "use strict";
  var KEY = "ifte-font-size", MIN = -1, MAX = 3, root = document.documentElement;
  var bar = document.querySelector("[data-ifte-font-size-control]");
  if (!bar) return;
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
  }
  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-step]");
    if (!button) return;
    var step = parseInt(button.getAttribute("data-step"), 10);
    apply(step === 0 ? 0 : current() + step);
  });
  apply(current());
  bar.hidden = false; // the control needs this script, so it shows only when it runs
})();
