/* modelcards: compare two versions. No framework, no network: the task's models come from
   compare/<task>/models.js and each model's versions from models/<model>/compare.js, both
   loaded by <script> tags, so the page works from disk (file://) too. The address names the
   pair (?a=model@1.0.0&b=other@2.0.0). What is comparable, and with which direction, was
   decided when the site was built: this script lines up equal keys and writes text with
   textContent only. */
(function () {
  "use strict";
  var DATA = "MODELCARDS_COMPARE", INDEX = "MODELCARDS_COMPARE_MODELS", SIDES = ["a", "b"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined) { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function number(value) {
    if (Number.isInteger(value) && Math.abs(value) >= 1e5) { return value.toLocaleString("en-US"); }
    return String(Number(value.toPrecision(6)));
  }

  function withUnit(text, unit) {
    if (!unit) { return text; }
    return unit === "%" ? text + "%" : text + " " + unit;
  }

  function delta(value) {
    if (value === 0) { return "±0"; }
    return (value > 0 ? "+" : "") + String(Number(value.toPrecision(4)));
  }

  function place(reading) {
    var split = reading.split ? "(" + reading.split + ")" : "";
    return [reading.dataset, split].filter(Boolean).join(" ") || "no named dataset";
  }

  function setup() {
    var form = document.getElementById("compare-form");
    if (!form) { return; }
    var root = form.getAttribute("data-root") || "";
    var task = form.getAttribute("data-task");
    var status = document.getElementById("compare-status");
    var view = document.getElementById("compare-view");
    var models = ((window[INDEX] || {})[task]) || [];
    var byId = {};
    models.forEach(function (m) { byId[m.id] = m; });
    var chosen = { a: null, b: null }; // {model: data, version: entry}

    function say(message) { status.textContent = message; status.hidden = !message; }

    function modelData(id, done) {
      var all = window[DATA] || {};
      if (all[id]) { done(all[id]); return; }
      if (!byId[id]) { done(null); return; }
      var script = document.createElement("script");
      script.src = root + byId[id].data;
      script.onload = function () { done((window[DATA] || {})[id] || null); };
      script.onerror = function () { done(null); };
      document.head.appendChild(script);
    }

    function parts(ref) {
      var at = (ref || "").indexOf("@");
      return at < 0 ? { model: ref || "", version: "" } : { model: ref.slice(0, at), version: ref.slice(at + 1) };
    }

    function select(side, part) { return document.getElementById("compare-" + side + "-" + part); }

    function fillModels() {
      SIDES.forEach(function (side) {
        var box = select(side, "model");
        models.forEach(function (m) {
          box.appendChild(el("option", { value: m.id }, [m.name + " (" + m.id + ")"]));
        });
      });
    }

    function fillVersions(side, data, wanted) {
      var box = select(side, "version");
      box.textContent = "";
      data.versions.slice().reverse().forEach(function (v) {
        box.appendChild(el("option", { value: v.version }, [v.version + " · " + v.stage]));
      });
      var found = data.versions.filter(function (v) { return v.version === wanted; })[0];
      var entry = found || data.versions[data.versions.length - 1];
      box.value = entry ? entry.version : "";
      return entry || null;
    }

    function address() {
      var query = SIDES.map(function (side) {
        var pick = chosen[side];
        return side + "=" + encodeURIComponent(pick ? pick.version.ref : "");
      }).join("&");
      return "?" + query;
    }

    function choose(side, ref, done) {
      var wanted = parts(ref);
      select(side, "model").value = wanted.model;
      modelData(wanted.model, function (data) {
        if (!data) {
          chosen[side] = null;
          say((ref ? ref : "A version") + " is not a version of a model whose task is " + task +
              "; pick one below.");
          done();
          return;
        }
        var entry = fillVersions(side, data, wanted.version);
        chosen[side] = entry ? { model: data, version: entry } : null;
        done();
      });
    }

    function refresh() {
      var query = address();
      document.getElementById("compare-permalink").setAttribute("href", query);
      try { window.history.replaceState(null, "", query); } catch (e) { /* some hosts refuse */ }
      if (!chosen.a || !chosen.b) { view.hidden = true; return; }
      say("");
      render(chosen.a, chosen.b);
      view.hidden = false;
    }

    function render(a, b) {
      cards(a, b);
      metrics(a, b);
      settings(a, b);
      lifecycles(a, b);
    }

    function link(path, text) { return el("a", { href: root + path }, [text]); }

    function stageText(v) {
      return v.stage + (v.traffic !== null && v.traffic !== undefined ? " (" + number(v.traffic) + "% of traffic)" : "");
    }

    function cards(a, b) {
      var box = document.getElementById("compare-cards");
      box.textContent = "";
      [["A", a], ["B", b]].forEach(function (pair) {
        var m = pair[1].model, v = pair[1].version;
        box.appendChild(el("article", { "class": "compare-card" }, [
          el("h3", {}, [pair[0] + ": ", link(v.page, m.name + " " + v.version)]),
          el("p", {}, [el("span", { "class": "stage stage-" + v.stage }, [v.stage]),
            v.traffic !== null && v.traffic !== undefined ? " " + number(v.traffic) + "% of traffic" : "",
            " · released " + v.released]),
          el("p", {}, [v.summary]),
          el("p", { "class": "small" }, [link(m.page, "All versions of " + m.name)])
        ]));
      });
    }

    function keyed(readings) {
      var found = {};
      readings.forEach(function (r) {
        if (!r.key) { return; }
        var key = JSON.stringify(r.key);
        if (!(key in found)) { found[key] = r; }
      });
      return found;
    }

    function valueCell(reading, info, side) {
      var children = [el("strong", {}, [withUnit(number(reading.value), info.unit)])];
      if (reading.ci) {
        children.push(el("div", { "class": "small muted" }, ["[" + number(reading.ci[0]) + ", " + number(reading.ci[1]) + "]"]));
      }
      return el("td", { "class": "num", "data-label": side }, children);
    }

    function info(model, name) {
      return model.metrics[name] || { label: name, goal: null, unit: null };
    }

    function verdict(goal, before, after) {
      if (!goal) { return null; }
      if (after === before) { return "same"; }
      var higher = after > before;
      return (goal === "maximize") === higher ? "better" : "worse";
    }

    function metrics(a, b) {
      var inA = keyed(a.version.readings), inB = keyed(b.version.readings);
      var shared = Object.keys(inA).filter(function (key) { return key in inB; });
      function rank(key) {
        var first = inA[key].reading || inB[key].reading ? 0 : 1;
        var label = info(a.model, inA[key].name).label;
        return [first, label.toLowerCase(), key];
      }
      shared.sort(function (x, y) {
        var p = rank(x), q = rank(y);
        for (var i = 0; i < p.length; i += 1) { if (p[i] !== q[i]) { return p[i] < q[i] ? -1 : 1; } }
        return 0;
      });
      var body = document.querySelector("#compare-metrics tbody");
      body.textContent = "";
      shared.forEach(function (key) {
        var ra = inA[key], rb = inB[key], meaning = info(a.model, ra.name);
        var judged = verdict(meaning.goal, ra.value, rb.value);
        var where = el("div", { "class": "small muted" }, [place(ra)]);
        if (ra.board) {
          where.appendChild(document.createTextNode(" · "));
          where.appendChild(el("a", { href: root + ra.board }, ["leaderboard"]));
        }
        var direction = meaning.goal === "maximize" ? " (higher is better)" : meaning.goal === "minimize" ? " (lower is better)" : "";
        body.appendChild(el("tr", {}, [
          el("th", { scope: "row" }, [meaning.label, el("span", { "class": "small muted" }, [direction]), where]),
          valueCell(ra, meaning, "A"), valueCell(rb, meaning, "B"),
          el("td", { "data-label": "B against A" }, [judged
            ? el("span", { "class": "change change-" + judged }, [withUnit(delta(rb.value - ra.value), meaning.unit) + " ", el("span", { "class": "verdict" }, ["(" + judged + ")"])])
            : withUnit(delta(rb.value - ra.value), meaning.unit) + (meaning.goal ? "" : " (direction unknown)")])
        ]));
      });
      document.getElementById("compare-metrics").hidden = shared.length === 0;
      document.getElementById("compare-metrics-none").hidden = shared.length !== 0;
      apart(a, b, inA, inB);
    }

    function apart(a, b, inA, inB) {
      var box = document.getElementById("compare-apart");
      box.textContent = "";
      [["A", a, inB], ["B", b, inA]].forEach(function (side) {
        var items = side[1].version.readings.filter(function (r) {
          return !r.key || !(JSON.stringify(r.key) in side[2]);
        }).map(function (r) {
          var why = r.slice ? "on the slice " + r.slice : !r.dataset ? "names no dataset" : "the other has none there";
          var meaning = info(side[1].model, r.name);
          return el("li", {}, [meaning.label + " " + withUnit(number(r.value), meaning.unit) + " on " + place(r) + " (" + why + ")"]);
        });
        if (items.length) {
          box.appendChild(el("h3", {}, ["Only in " + side[0] + ", or not comparable"]));
          box.appendChild(el("ul", { "class": "small" }, items));
        }
      });
    }

    var STATES = { changed: "differs", added: "only in B", removed: "only in A", same: "same" };

    function settings(a, b) {
      var rowsA = {}, rowsB = {}, areas = [], keys = {};
      function take(rows, into) {
        rows.forEach(function (r) {
          var k = r[0] + "\u0000" + r[1];
          into[k] = r;
          if (!(r[0] in keys)) { keys[r[0]] = []; areas.push(r[0]); }
          if (keys[r[0]].indexOf(k) < 0) { keys[r[0]].push(k); }
        });
      }
      take(a.version.settings, rowsA);
      take(b.version.settings, rowsB);
      var body = document.querySelector("#compare-settings tbody");
      var showSame = document.getElementById("compare-same").checked;
      body.textContent = "";
      var differing = 0, total = 0;
      areas.forEach(function (area) {
        var group = [], shown = 0;
        keys[area].forEach(function (k) {
          var ra = rowsA[k], rb = rowsB[k], row = ra || rb;
          var state = !ra ? "added" : !rb ? "removed" : ra[2] === rb[2] ? "same" : "changed";
          total += 1;
          if (state !== "same") { differing += 1; }
          var tr = el("tr", { "class": "diff-" + state }, [
            el("th", { scope: "row" }, [row[1], el("div", { "class": "small muted" }, [STATES[state]])]),
            el("td", { "class": "full", "data-label": "A" }, [ra ? el("code", {}, [ra[2]]) : el("span", { "class": "muted" }, ["(absent)"])]),
            el("td", { "class": "full", "data-label": "B" }, [rb ? el("code", {}, [rb[2]]) : el("span", { "class": "muted" }, ["(absent)"])])
          ]);
          tr.hidden = state === "same" && !showSame;
          if (!tr.hidden) { shown += 1; }
          group.push(tr);
        });
        var head = el("tr", { "class": "diff-area" }, [el("th", { scope: "colgroup", colspan: "3" }, [area])]);
        head.hidden = shown === 0;
        body.appendChild(head);
        group.forEach(function (tr) { body.appendChild(tr); });
      });
      document.getElementById("compare-settings-count").textContent =
        differing + " of " + total + " settings differ";
    }

    function lifecycles(a, b) {
      var box = document.getElementById("compare-lifecycles");
      box.textContent = "";
      [["A", a], ["B", b]].forEach(function (pair) {
        var v = pair[1].version;
        var rows = v.lifecycle.map(function (e) {
          var notes = [];
          if (e.approved_by) { notes.push("approved by " + e.approved_by.join(", ")); }
          if (e.traffic !== undefined) { notes.push(number(e.traffic) + "% of traffic"); }
          if (e.reason) { notes.push("reason: " + e.reason); }
          if (e.replaced_by) { notes.push("replaced by " + e.replaced_by); }
          if (e.sunset) { notes.push("sunset " + e.sunset); }
          if (e.override) { notes.push("gate override: " + e.override); }
          return el("tr", {}, [
            el("th", { scope: "row" }, [e.date + (e.time ? " " + e.time : "")]),
            el("td", {}, [el("span", { "class": "stage stage-" + e.stage }, [e.stage])]),
            el("td", {}, [e.by]), el("td", { "class": "small" }, [notes.join("; ")])
          ]);
        });
        box.appendChild(el("article", { "class": "compare-card" }, [
          el("h3", {}, [pair[0] + ": " + pair[1].model.name + " " + v.version + ", " + stageText(v) + " now"]),
          el("div", { "class": "table-wrap", role: "region", "aria-label": "Lifecycle of " + pair[0], tabindex: "0" }, [
            el("table", {}, [
              el("caption", { "class": "visually-hidden" }, ["Lifecycle events of " + v.ref + ", oldest first"]),
              el("thead", {}, [el("tr", {}, [el("th", { scope: "col" }, ["Date"]), el("th", { scope: "col" }, ["Stage"]),
                el("th", { scope: "col" }, ["By"]), el("th", { scope: "col" }, ["Details"])])]),
              el("tbody", {}, rows)
            ])
          ])
        ]));
      });
    }

    // Wiring: pickers, swap, the "show the same" switch.
    form.addEventListener("change", function (event) {
      var target = event.target, side = target.getAttribute("data-side");
      if (!side) { return; }
      if (target.getAttribute("data-part") === "model") {
        var keep = chosen[side] ? chosen[side].version.version : "";
        choose(side, target.value + "@" + keep, refresh);
      } else if (chosen[side]) {
        var found = chosen[side].model.versions.filter(function (v) { return v.version === target.value; })[0];
        if (found) { chosen[side] = { model: chosen[side].model, version: found }; }
        refresh();
      }
    });
    document.getElementById("compare-swap").addEventListener("click", function () {
      var a = chosen.a ? chosen.a.version.ref : "", b = chosen.b ? chosen.b.version.ref : "";
      choose("a", b, function () { choose("b", a, refresh); });
    });
    document.getElementById("compare-same").addEventListener("change", function () {
      if (chosen.a && chosen.b) { settings(chosen.a, chosen.b); }
    });

    if (!models.length) { say("No model has the task " + task + "."); return; }
    fillModels();
    form.hidden = false;
    var params = new URLSearchParams(window.location.search);
    var first = params.get("a"), second = params.get("b");
    if (!first && !second) {
      // Nothing asked for: the two newest versions of the first model.
      modelData(models[0].id, function (data) {
        var versions = data ? data.versions : [];
        var newest = versions[versions.length - 1], before = versions[versions.length - 2] || newest;
        choose("a", before ? before.ref : "", function () { choose("b", newest ? newest.ref : "", refresh); });
      });
      return;
    }
    choose("a", first || second, function () { choose("b", second || first, refresh); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
