/* modelcards: pan and zoom for the full lineage graph. No library, no network.
   The graph is drawn at its natural size (text at 12 px) inside a scroll box; zooming sets
   the drawing's width. Below the zoom at which text would be smaller than 11 px the text is
   hidden (class mc-overview): the boxes keep their tooltips and links. */
(function () {
  "use strict";
  var SMALLEST = 11, LEAST = 0.1, MOST = 3, STEP = 1.25;

  function setup(tools) {
    var view = document.getElementById(tools.getAttribute("data-graph"));
    var svg = view && view.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    var box = svg.viewBox.baseVal, text = parseFloat(svg.getAttribute("font-size")) || 12;
    var level = tools.querySelector("[data-zoom-level]");
    var scale = 1;

    function show() {
      svg.style.width = (box.width * scale) + "px";
      svg.style.height = (box.height * scale) + "px";
      svg.classList.toggle("mc-overview", text * scale < SMALLEST);
      level.textContent = Math.round(scale * 100) + "%";
    }

    function zoomTo(wanted, x, y) {
      var rect = view.getBoundingClientRect();
      var atX = x === undefined ? view.clientWidth / 2 : x - rect.left;
      var atY = y === undefined ? view.clientHeight / 2 : y - rect.top;
      var pointX = view.scrollLeft + atX, pointY = view.scrollTop + atY, before = scale;
      scale = Math.min(MOST, Math.max(LEAST, wanted));
      show();
      view.scrollLeft = pointX * scale / before - atX;
      view.scrollTop = pointY * scale / before - atY;
    }

    function fit() {
      var wide = view.clientWidth / box.width, tall = (view.clientHeight || wide * box.height) / box.height;
      zoomTo(Math.min(1, wide, tall));
      view.scrollLeft = 0;
      view.scrollTop = 0;
    }

    tools.addEventListener("click", function (event) {
      var what = event.target.getAttribute && event.target.getAttribute("data-zoom");
      if (what === "in") { zoomTo(scale * STEP); }
      else if (what === "out") { zoomTo(scale / STEP); }
      else if (what === "fit") { fit(); }
      else if (what === "reset") { zoomTo(1); }
    });
    view.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) { return; }
      event.preventDefault();
      zoomTo(scale * (event.deltaY < 0 ? STEP : 1 / STEP), event.clientX, event.clientY);
    }, { passive: false });
    view.addEventListener("keydown", function (event) {
      if (event.key === "+" || event.key === "=") { zoomTo(scale * STEP); }
      else if (event.key === "-") { zoomTo(scale / STEP); }
      else if (event.key === "0") { zoomTo(1); }
      else { return; }
      event.preventDefault();
    });

    // Drag to pan; a drag that moved does not follow the link it started on.
    var drag = null, moved = false;
    view.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.pointerType === "touch") { return; }
      drag = { x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop };
      moved = false;
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) { moved = true; view.classList.add("dragging"); }
      view.scrollLeft = drag.left - dx;
      view.scrollTop = drag.top - dy;
    });
    window.addEventListener("pointerup", function () { drag = null; view.classList.remove("dragging"); });
    view.addEventListener("click", function (event) {
      if (moved) { event.preventDefault(); moved = false; }
    }, true);

    // Start with the first version of this model in view.
    var focus = svg.querySelector(".mc-focus rect");
    if (focus) {
      var x = focus.x.baseVal.value, y = focus.y.baseVal.value;
      view.scrollLeft = Math.max(0, x - view.clientWidth / 4);
      view.scrollTop = Math.max(0, y - view.clientHeight / 3);
    }
    tools.hidden = false;
    show();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".graph-tools[data-graph]"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
