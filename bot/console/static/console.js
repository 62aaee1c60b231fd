/* LiveReply staff console — small vanilla JS, served locally (no CDN, works offline). */
(function () {
  "use strict";

  function pick(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }

  function fmtPct(x) { return (x == null ? "–" : Math.round(x * 100) + "%"); }
  function fmtMs(x) { return (x == null ? "–" : x.toFixed(1) + " ms"); }

  function applyStats(root, stats) {
    root.querySelectorAll("[data-stat]").forEach(function (el) {
      var v = pick(stats, el.getAttribute("data-stat"));
      el.textContent = v == null ? "–" : String(v);
    });
    root.querySelectorAll("[data-pct]").forEach(function (el) {
      el.textContent = fmtPct(pick(stats, el.getAttribute("data-pct")));
    });
    root.querySelectorAll("[data-ms]").forEach(function (el) {
      el.textContent = fmtMs(pick(stats, el.getAttribute("data-ms")));
    });
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var svg = stats.charts && stats.charts[el.getAttribute("data-chart")];
      if (typeof svg === "string") { el.innerHTML = svg; }  // server-rendered, escaped SVG from /api/stats
    });
  }

  function startDashboard(root) {
    var url = root.getAttribute("data-poll");
    var interval = parseInt(root.getAttribute("data-interval") || "1500", 10);
    var live = document.getElementById("live-indicator");
    var busy = false;
    function tick() {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (r) {
          if (r.status === 401) { window.location.href = "/login?next=/dashboard"; throw new Error("signed out"); }
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.json();
        })
        .then(function (stats) {
          applyStats(root, stats);
          root.setAttribute("data-updated", String(stats.now));
          if (live) { live.classList.remove("stale"); if (stats.bot) { live.setAttribute("data-state", stats.bot.state); } }
        })
        .catch(function () { if (live) { live.classList.add("stale"); } })
        .then(function () { busy = false; });
    }
    window.setInterval(tick, interval);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var dash = document.getElementById("dashboard");
    if (dash) { startDashboard(dash); }
    document.querySelectorAll("[data-confirm]").forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        if (!window.confirm(btn.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
  });
})();
