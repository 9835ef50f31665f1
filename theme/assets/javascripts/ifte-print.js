/* Statistics and search pages: the period selector, the scroll cue of wide tables and
   the print button. Without JavaScript the page still shows every number (the period
   links sit in <noscript>; tables scroll). */
(function () {
  "use strict";

  // The period selector: each period is its own static page, so the URL names it.
  var select = document.getElementById("ifte-period-select");
  if (select) {
    select.addEventListener("change", function () {
      window.location.href = select.value;
    });
  }

  // "Scroll for more columns" above each table wider than its box.
  function updateCues() {
    document.querySelectorAll(".ifte-table-wrap").forEach(function (wrap) {
      var cue = wrap.previousElementSibling;
      if (cue && cue.classList.contains("ifte-scroll-cue")) {
        cue.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
      }
    });
  }
  updateCues();
  window.addEventListener("resize", updateCues);

  // The print header: today's date in the Buddhist Era and this page's address.
  var today = new Intl.DateTimeFormat("th-TH-u-ca-buddhist", {
    day: "numeric", month: "long", year: "numeric"
  }).format(new Date());
  document.querySelectorAll("[data-ifte-print-date]").forEach(function (node) {
    node.textContent = today;
  });
  document.querySelectorAll("[data-ifte-print-url]").forEach(function (node) {
    node.textContent = window.location.href;
  });

  // Print every folded table: open each <details> for printing, then fold it again.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-ifte-print-url]").forEach(function (node) {
      node.textContent = window.location.href;
    });
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
  document.querySelectorAll("[data-ifte-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
