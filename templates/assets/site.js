/* modelcards: the home page's list of models. Search, filters, sorting and pages, all kept in
   the address (so a view can be shared, and Back returns to it). No framework, no network:
   every model's row comes from assets/search-index.js, a script that sets
   window.MODELCARDS_SEARCH (a script and not JSON: fetch() of a local file is blocked under
   file://). Rows are drawn as the model_row macro of index.html draws the first page. */
(function () {
  "use strict";

  var FILTERS = ["owner", "task", "tag", "stage"];
  // Each sort: the key of a row (null sorts last), and whether its first direction is
  // descending (newest, best, most alive first). "name" is the data's own order.
  var SORTS = {
    name: {key: null, down: false},
    owner: {key: function (r) { return (r.owners[0] || "").toLowerCase(); }, down: false},
    task: {key: function (r) { return r.task.toLowerCase(); }, down: false},
    latest: {key: function (r) { return r.released; }, down: true},
    primary: {key: function (r) { return r.primary ? [r.primary[0].toLowerCase(), r.primary[4]] : null; }, down: false},
    status: {key: function (r) { return r.status; }, down: false}
  };
  var CHARS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"};

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return CHARS[c]; });
  }

  function number(n) { return n.toLocaleString("en-US"); }

  function versionLink(v) { return "<a href=\"" + esc(v[1]) + "\">" + esc(v[0]) + "</a>"; }

  function latestCell(row) {
    var out = row.latest ? versionLink(row.latest) : "";
    if (row.pre) {
      out += row.latest
        ? " <span class=\"small\">(pre-release " + versionLink(row.pre) + ")</span>"
        : versionLink(row.pre) + " <span class=\"small\">(pre-release)</span>";
    }
    return out || "<span class=\"muted\">none</span>";
  }

  function liveCell(row) {
    if (!row.live.length) { return "<span class=\"muted\">none</span>"; }
    return row.live.map(function (v) {
      return versionLink(v) + (v[2] === null ? "" : " <span class=\"share\">(" + esc(v[2]) + "%)</span>");
    }).join(", ");
  }

  function primaryCell(row) {
    var p = row.primary;
    if (!p) { return "<span class=\"muted\">\u2014</span>"; }
    return esc(p[0]) + ": <strong>" + esc(p[1]) + "</strong> <span class=\"small muted\">on " +
      esc(p[2]) + " (" + esc(p[3]) + ")</span>";
  }

  function rowHtml(row) {
    var status = row.status
      ? "<span class=\"stage stage-" + esc(row.status) + "\">" + esc(row.status) + "</span>"
      : "<span class=\"muted\">no versions</span>";
    return "<tr data-model=\"" + esc(row.id) + "\"><th scope=\"row\"><a href=\"" + esc(row.href) +
      "\">" + esc(row.name) + "</a><div class=\"small muted\"><code>" + esc(row.id) +
      "</code></div><div class=\"small\">" + esc(row.summary) + "</div></th>" +
      "<td data-label=\"Owner\">" + esc(row.owners.join(", ")) + "</td>" +
      "<td data-label=\"Task\">" + esc(row.task) + "</td>" +
      "<td data-label=\"Tags\">" + row.tags.map(function (t) {
        return "<span class=\"tag\">" + esc(t) + "</span>";
      }).join(" ") + "</td>" +
      "<td data-label=\"Latest\">" + latestCell(row) + "</td>" +
      "<td data-label=\"In production\">" + liveCell(row) + "</td>" +
      "<td data-label=\"Primary metric\">" + primaryCell(row) + "</td>" +
      "<td data-label=\"Status\">" + status + "</td></tr>";
  }

  function values(row, key) {
    return key === "owner" ? row.owners : key === "tag" ? row.tags
      : key === "stage" ? row.stages : [row.task];
  }

  function readState() {
    var params = new URLSearchParams(window.location.search), state = {};
    state.q = params.get("q") || "";
    FILTERS.forEach(function (key) { state[key] = params.get(key) || ""; });
    var sort = params.get("sort") || "name";
    state.sort = SORTS.hasOwnProperty(sort.replace(/^-/, "")) ? sort : "name";
    state.page = Math.max(1, parseInt(params.get("page"), 10) || 1);
    return state;
  }

  function address(state) {
    var params = new URLSearchParams(window.location.search);
    var wanted = {q: state.q, sort: state.sort === "name" ? "" : state.sort,
                  page: state.page > 1 ? String(state.page) : ""};
    FILTERS.forEach(function (key) { wanted[key] = state[key]; });
    Object.keys(wanted).forEach(function (key) {
      if (wanted[key]) { params.set(key, wanted[key]); } else { params.delete(key); }
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function sorted(rows, sort) {
    var name = sort.replace(/^-/, ""), spec = SORTS[name];
    var down = spec.down !== (sort.charAt(0) === "-");
    if (!spec.key) { return down ? rows.slice().reverse() : rows; }
    var keyed = rows.map(function (row) { return [spec.key(row), row.index, row]; });
    keyed.sort(function (a, b) {
      if (a[0] === null || b[0] === null) {
        return a[0] === b[0] ? a[1] - b[1] : a[0] === null ? 1 : -1;  // none last, always
      }
      var x = a[0], y = b[0], order = 0;
      if (Array.isArray(x)) {
        order = x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1];
      } else {
        order = x < y ? -1 : x > y ? 1 : 0;
      }
      return (down ? -order : order) || a[1] - b[1];
    });
    return keyed.map(function (item) { return item[2]; });
  }

  function start(data, parts) {
    var rows = data.models, size = data.page_size || 50, stages = data.stages || [];
    rows.forEach(function (row, index) {
      row.index = index;
      row.text = [row.id, row.name, row.summary, row.task, row.tags.join(" "),
                  row.owners.join(" "), row.text].join(" ").toLowerCase();
    });
    SORTS.status.key = function (r) { return r.status === null ? null : stages.indexOf(r.status); };
    var form = parts.form, body = parts.table.tBodies[0], search = parts.search;
    var selects = FILTERS.map(function (key) { return document.getElementById("filter-" + key); });
    var sortSelect = document.getElementById("filter-sort");
    var pager = document.getElementById("pager"), state = readState();
    var headers = Array.prototype.slice.call(parts.table.querySelectorAll("th[data-sort]"));

    headers.forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var name = th.getAttribute("data-sort");
        state.sort = state.sort === name ? "-" + name : name;
        state.page = 1;
        apply("push");
      });
    });

    function controls() {
      search.value = state.q;
      selects.forEach(function (select, i) {
        if (!select) { return; }
        var wanted = state[FILTERS[i]];
        if (wanted && !Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
          var option = document.createElement("option");  // a value no model has (yet)
          option.value = option.textContent = wanted;
          select.appendChild(option);
        }
        select.value = wanted;
      });
      if (sortSelect) {
        if (!Array.prototype.some.call(sortSelect.options, function (o) { return o.value === state.sort; })) {
          var reversed = document.createElement("option");
          reversed.value = state.sort;
          reversed.textContent = "By " + state.sort.replace(/^-/, "") + " (reversed)";
          sortSelect.appendChild(reversed);
        }
        sortSelect.value = state.sort;
      }
    }

    function apply(history) {
      var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
      var counts = {}, shown = [], active = words.length > 0;
      FILTERS.forEach(function (key) { counts[key] = {}; active = active || !!state[key]; });
      function count(row, key) {
        values(row, key).forEach(function (v) { counts[key][v] = (counts[key][v] || 0) + 1; });
      }
      for (var i = 0; i < rows.length; i += 1) {
        var row = rows[i], ok = true;
        for (var w = 0; w < words.length && ok; w += 1) { ok = row.text.indexOf(words[w]) !== -1; }
        if (!ok) { continue; }
        var failed = [];
        for (var f = 0; f < FILTERS.length; f += 1) {
          var key = FILTERS[f];
          if (state[key] && values(row, key).indexOf(state[key]) === -1) { failed.push(key); }
        }
        if (failed.length === 0) { shown.push(row); FILTERS.forEach(function (k) { count(row, k); }); }
        else if (failed.length === 1) { count(row, failed[0]); }  // a facet counts its own misses
      }
      var pages = Math.max(1, Math.ceil(shown.length / size));
      state.page = Math.min(state.page, pages);
      var first = (state.page - 1) * size, page = sorted(shown, state.sort).slice(first, first + size);
      body.innerHTML = page.map(rowHtml).join("");
      selects.forEach(function (select, i) {
        if (!select) { return; }
        Array.prototype.forEach.call(select.options, function (option) {
          if (option.value) {
            option.textContent = option.value + " (" + number(counts[FILTERS[i]][option.value] || 0) + ")";
          }
        });
      });
      var total = number(rows.length) + (rows.length === 1 ? " model" : " models");
      var said = active ? number(shown.length) + " of " + total : total;
      if (pages > 1) { said += "; showing " + number(first + 1) + "\u2013" + number(first + page.length); }
      parts.count.textContent = said;
      parts.empty.hidden = shown.length !== 0;
      headers.forEach(function (th) {
        var name = th.getAttribute("data-sort"), spec = SORTS[name];
        if (state.sort.replace(/^-/, "") !== name) { th.removeAttribute("aria-sort"); return; }
        var down = spec.down !== (state.sort.charAt(0) === "-");
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
      });
      if (pager) {
        pager.hidden = pages <= 1;
        pager.querySelector("[data-page=previous]").disabled = state.page <= 1;
        pager.querySelector("[data-page=next]").disabled = state.page >= pages;
        pager.querySelector(".pages").textContent = "Page " + number(state.page) + " of " + number(pages);
      }
      var target = address(state);
      if (history === "push" && target !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState(null, "", target);
      } else if (history) {
        window.history.replaceState(null, "", target);
      }
    }

    search.addEventListener("input", function () { state.q = search.value; state.page = 1; apply("replace"); });
    selects.forEach(function (select, i) {
      if (!select) { return; }
      select.addEventListener("change", function () { state[FILTERS[i]] = select.value; state.page = 1; apply("push"); });
    });
    if (sortSelect) {
      sortSelect.addEventListener("change", function () { state.sort = sortSelect.value; state.page = 1; apply("push"); });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      state = {q: "", owner: "", task: "", tag: "", stage: "", sort: "name", page: 1};
      controls();
      apply("push");
    });
    if (pager) {
      pager.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-page]");
        if (!button || button.disabled) { return; }
        state.page += button.getAttribute("data-page") === "next" ? 1 : -1;
        apply("push");
        if (parts.table.getBoundingClientRect().top < 0) { parts.table.scrollIntoView(); }
      });
    }
    window.addEventListener("popstate", function () { state = readState(); controls(); apply(null); });
    controls();
    apply(null);
    form.hidden = false;
    parts.table.setAttribute("data-ready", "");
  }

  function setup() {
    var table = document.getElementById("models"), form = document.getElementById("model-filters");
    if (!table || !form || !table.getAttribute("data-index")) { return; }
    var parts = {table: table, form: form, search: document.getElementById("filter-q"),
                 count: document.getElementById("result-count"),
                 empty: document.getElementById("no-results")};
    var script = document.createElement("script");
    script.src = table.getAttribute("data-index");
    script.onload = function () { start(window.MODELCARDS_SEARCH, parts); };
    script.onerror = function () { parts.count.textContent += " (the search index did not load)"; };
    document.body.appendChild(script);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
