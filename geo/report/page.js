// report.html: pan and zoom of the maps, grid tooltips, sortable tables,
// finding a grid or finding on the map, paper size for printing. No
// libraries; every element it needs is in the page.
(function () {
  "use strict";
  var root = document.documentElement;
  var grids = JSON.parse(document.getElementById("grid-data").textContent || "[]");
  // Metres per unit of the maps' coordinates (decimetres).
  var UNIT_M = 0.1;
  // Buildings and grid labels show once the map spans less than this.
  var NEAR_M = 3500;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A grid's description: code, community, households, buildings,
  // compounds, status and reason.
  function describe(i) {
    var g = grids[i];
    if (!g) return "";
    var s = "<b>" + esc(g[0]) + "</b><br>社区 community " + esc(g[1]) +
      "<br>户数 households <b>" + g[3] + "</b>" + (g[3] !== g[2] ? " (" + g[2] + " 户)" : "") +
      "<br>楼栋 buildings " + g[4] + " · 小区 compounds " + g[5] +
      "<br>" + esc(g[6]) + (g[7] ? " · <span class=\"" + (g[7] === "ok" ? "" : "bad") + "\">" + esc(g[8]) + " " + esc(g[7]) + "</span>" : "");
    if (g[9]) s += "<br><span class=\"bad\">" + esc(g[9]) + "</span>";
    if (g[10]) s += "<br>变更 change: <b>" + esc(g[10]) + "</b>";
    return s;
  }

  var tip = document.getElementById("tip");
  var picked = document.getElementById("picked");

  function Map(box) {
    var svg = box.querySelector("svg");
    var home = svg.getAttribute("data-home").split(" ").map(Number);
    var vb = home.slice();
    var labels = svg.querySelector(".labels");
    var self = this;
    this.svg = svg;

    function unitsPerPixel() {
      var r = svg.getBoundingClientRect();
      if (!r.width || !r.height) return vb[2] / 1000;
      return Math.max(vb[2] / r.width, vb[3] / r.height);
    }
    function set(v) {
      vb = v;
      svg.setAttribute("viewBox", v.map(function (x) { return Math.round(x); }).join(" "));
      var upp = unitsPerPixel();
      svg.classList.toggle("near", Math.max(vb[2], vb[3]) * UNIT_M < NEAR_M);
      if (labels) labels.setAttribute("font-size", (11 * upp).toFixed(1));
    }
    function toUser(cx, cy) {
      var m = svg.getScreenCTM();
      if (!m) return [vb[0] + vb[2] / 2, vb[1] + vb[3] / 2];
      var p = svg.createSVGPoint();
      p.x = cx; p.y = cy;
      p = p.matrixTransform(m.inverse());
      return [p.x, p.y];
    }
    function zoom(f, at) {
      var w = vb[2] * f, h = vb[3] * f;
      var minW = 200; // 20 m
      if (w < minW) { f = minW / vb[2]; w = minW; h = vb[3] * f; }
      set([at[0] - (at[0] - vb[0]) * f, at[1] - (at[1] - vb[1]) * f, w, h]);
    }
    this.show = function (b, pad) {
      var m = Math.max(b.width, b.height, 400) * (pad || 1);
      set([b.x + b.width / 2 - m, b.y + b.height / 2 - m, 2 * m, 2 * m]);
    };
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      zoom(Math.exp(Math.max(-300, Math.min(300, e.deltaY)) * 0.0022), toUser(e.clientX, e.clientY));
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vb: vb.slice(), upp: unitsPerPixel(), moved: false };
      svg.setPointerCapture(e.pointerId);
    });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      drag.moved = true;
      svg.classList.add("dragging");
      set([drag.vb[0] - dx * drag.upp, drag.vb[1] - dy * drag.upp, drag.vb[2], drag.vb[3]]);
    });
    svg.addEventListener("pointerup", function (e) {
      var d = drag;
      drag = null;
      svg.classList.remove("dragging");
      if (d && !d.moved) {
        var t = document.elementFromPoint(e.clientX, e.clientY);
        if (t && t.hasAttribute && t.hasAttribute("data-i")) pick(self, +t.getAttribute("data-i"));
      }
    });
    box.querySelectorAll("[data-z]").forEach(function (b) {
      b.addEventListener("click", function () {
        var c = [vb[0] + vb[2] / 2, vb[1] + vb[3] / 2];
        var z = b.getAttribute("data-z");
        if (z === "in") zoom(0.6, c);
        else if (z === "out") zoom(1 / 0.6, c);
        else set(home.slice());
      });
    });
    svg.addEventListener("mouseover", function (e) {
      var t = e.target;
      if (!t.hasAttribute || !t.hasAttribute("data-i")) { tip.hidden = true; return; }
      tip.innerHTML = describe(+t.getAttribute("data-i"));
      tip.hidden = false;
    });
    svg.addEventListener("mousemove", function (e) {
      if (tip.hidden) return;
      var x = e.clientX + 14, y = e.clientY + 14;
      if (x + tip.offsetWidth > window.innerWidth - 8) x = e.clientX - tip.offsetWidth - 14;
      if (y + tip.offsetHeight > window.innerHeight - 8) y = e.clientY - tip.offsetHeight - 14;
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    });
    svg.addEventListener("mouseleave", function () { tip.hidden = true; });
    set(home.slice());
  }

  var maps = {};
  document.querySelectorAll("[data-map]").forEach(function (box) {
    var m = new Map(box);
    maps[m.svg.id] = m;
  });

  var lastOn = [];
  function mark(els) {
    lastOn.forEach(function (e) { e.classList.remove("on"); });
    lastOn = els.filter(Boolean);
    lastOn.forEach(function (e) { e.classList.add("on"); });
  }

  function pick(m, i) {
    mark([m.svg.querySelector('.grids [data-i="' + i + '"]'), m.svg.querySelector('.hl use[href="#h' + i + '"]')]);
    if (picked && m.svg.id === "map-main") {
      picked.innerHTML = "<div class=\"small\">选中网格 selected grid</div>" + describe(i);
      picked.hidden = false;
    }
  }

  // A row of the out-of-band table finds its grid on the overview, a
  // finding's row its area on the findings map.
  document.querySelectorAll("tr.zoomto").forEach(function (tr) {
    tr.addEventListener("click", function (e) {
      if (e.target.closest("a")) return;
      var m, el;
      if (tr.hasAttribute("data-zoom")) {
        m = maps["map-main"];
        el = m && m.svg.querySelector('.grids [data-i="' + tr.getAttribute("data-zoom") + '"]');
      } else {
        m = maps["map-findings"];
        el = document.getElementById(tr.getAttribute("data-area"));
      }
      if (!m || !el) return;
      m.svg.scrollIntoView({ block: "center" });
      m.show(el.getBBox(), 1.6);
      if (tr.hasAttribute("data-zoom")) pick(m, +tr.getAttribute("data-zoom"));
      else mark([el]);
    });
  });

  // Sortable tables: numbers by value, text in Chinese collation.
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var ths = table.querySelectorAll("th");
    ths.forEach(function (th, col) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        ths.forEach(function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (r) { var c = r.cells[col]; return c ? (c.getAttribute("data-v") || c.textContent) : ""; };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), d = kind === "num" ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : collator.compare(x, y);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Printing: the paper size and whether every section is printed.
  var paper = document.getElementById("paper-size");
  var paperRule = document.getElementById("paper");
  if (paper) paper.addEventListener("change", function () {
    document.body.classList.toggle("a3", paper.value === "a3");
    document.body.classList.toggle("a4", paper.value !== "a3");
    paperRule.textContent = "@page { size: " + (paper.value === "a3" ? "A3" : "A4") + " landscape; margin: 10mm }";
  });
  var all = document.getElementById("print-all");
  if (all) all.addEventListener("change", function () { document.body.classList.toggle("print-all", all.checked); });
  var printButton = document.getElementById("print");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });

  // report.html#only-ID shows the section or atlas page ID alone, an
  // atlas page as printed: to look at or screenshot one of them.
  function only() {
    var m = /^#only-([a-z0-9-]+)$/.exec(location.hash);
    document.querySelectorAll(".shown").forEach(function (e) { e.classList.remove("shown"); });
    var e = m && document.getElementById(m[1]);
    document.body.classList.toggle("only", !!e);
    if (!e) return;
    e.classList.add("shown");
    if (e.classList.contains("page")) e.parentNode.classList.add("shown", "one");
    window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", only);
  only();

  root.setAttribute("data-maps", String(Object.keys(maps).length));
  var main = maps["map-main"];
  if (main) {
    var r = main.svg.getBoundingClientRect();
    root.setAttribute("data-map-rect", [r.left, r.top, r.width, r.height].map(Math.round).join(" "));
  }
  root.setAttribute("data-ready", "1");
})();
