/* modelcards: filters and offline search on the home page. No framework, no network:
   the search index is a script (search-index.js) that sets window.MODELCARDS_SEARCH. */
(function () {
  "use strict";

  function values(row, key) {
    try { return JSON.parse(row.getAttribute("data-" + key) || "[]"); } catch (e) { return []; }
  }

  function setup() {
    var form = document.getElementById("model-filters");
    var table = document.getElementById("models");
    if (!form || !table) { return; }
    var index = {};
    (window.MODELCARDS_SEARCH || []).forEach(function (entry) { index[entry.id] = entry.text; });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var search = document.getElementById("filter-q");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var count = document.getElementById("result-count");
    var empty = document.getElementById("no-results");

    function apply() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = index[row.getAttribute("data-model")] || row.textContent.toLowerCase();
        var ok = words.every(function (word) { return text.indexOf(word) !== -1; });
        selects.forEach(function (select) {
          if (ok && select.value) { ok = values(row, select.getAttribute("data-filter")).indexOf(select.value) !== -1; }
        });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown === rows.length
        ? rows.length + (rows.length === 1 ? " model" : " models")
        : shown + " of " + rows.length + " models";
      empty.hidden = shown !== 0;
    }

    var params = new URLSearchParams(window.location.search);
    search.value = params.get("q") || "";
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted) { select.value = wanted; }
    });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
