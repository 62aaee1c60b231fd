/* LiveReply staff console — small vanilla JS, served locally (no CDN, works offline). */
(function () {
  "use strict";

  function pick(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }

  // server-rendered times (<time data-ts>, bot/console/web.py local_time) in the browser's own time zone
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localTimes(root) {
    root.querySelectorAll("time[data-ts]").forEach(function (el) {
      var d = new Date(parseFloat(el.getAttribute("data-ts")) * 1000);
      if (isNaN(d.getTime())) { return; }
      el.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
        pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localTimes(document); });

  function fmtPct(x) { return (x == null ? "–" : Math.round(x * 100) + "%"); }
  // a latency: milliseconds below 1 s, seconds above ("6.6 秒" from the page's data-seconds, as the server renders it)
  function fmtMs(x, seconds) {
    if (x == null) { return "–"; }
    if (x >= 1000) { return (seconds || "%(n)s s").replace("%(n)s", (x / 1000).toFixed(1)); }
    return (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + " ms";
  }

  // each running room's languages and fallback policy (the _room_langs.html section), from the bot's status JSON
  function showRoomLangs(langs) {
    var box = document.getElementById("room-langs"), list = document.getElementById("room-langs-list");
    if (!box || !list || !Array.isArray(langs)) { return; }
    box.hidden = langs.length === 0;
    list.textContent = "";
    langs.forEach(function (r) {
      var li = document.createElement("li");
      li.setAttribute("data-room", r.room);
      li.setAttribute("data-policy", r.policy || "");
      function part(cls, value) {
        var el = document.createElement("span");
        el.className = cls;
        el.textContent = value;
        li.appendChild(el);
      }
      part("chip", r.room); li.appendChild(document.createTextNode(" "));
      part("langs", r.languages); li.appendChild(document.createTextNode(" · "));
      part("k", box.getAttribute("data-label-main") || "main language"); li.appendChild(document.createTextNode(" "));
      part("main", r.main); li.appendChild(document.createTextNode(" · "));
      part("fallback", r.fallback);
      list.appendChild(li);
    });
  }
  window.liveReplyShowRoomLangs = showRoomLangs;  // live.js: the live feed's status events

  function applyStats(root, stats) {
    if (stats.bot) { showRoomLangs(stats.bot.langs); }
    root.querySelectorAll("[data-stat]").forEach(function (el) {
      var v = pick(stats, el.getAttribute("data-stat"));
      var shown = v == null ? null : el.getAttribute("data-label-" + String(v));  // a word in the UI language
      el.textContent = v == null ? "–" : (shown || String(v));
    });
    root.querySelectorAll("[data-pct]").forEach(function (el) {
      el.textContent = fmtPct(pick(stats, el.getAttribute("data-pct")));
    });
    root.querySelectorAll("[data-ms]").forEach(function (el) {
      el.textContent = fmtMs(pick(stats, el.getAttribute("data-ms")), root.getAttribute("data-seconds"));
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

  // Editors' numbered rows (attr-3-key, variant-2-sku, question-5, answer-1-text, wording-0-key, val-2-words): add and
  // remove rows. Without this script the server's rows (plus one empty row) still work; the buttons stay hidden.
  function clear(el) {
    if (el.tagName === "SELECT") { el.selectedIndex = 0; } else { el.value = ""; }
    var blank = el.getAttribute("data-blank-placeholder");  // a row's hint that named what the row held
    if (blank !== null) { el.setAttribute("placeholder", blank); }
  }

  function addRow(box) {
    var rows = box.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    if (!last) { return; }
    var next = 0;
    rows.forEach(function (r) { next = Math.max(next, parseInt(r.getAttribute("data-row"), 10) + 1); });
    var copy = last.cloneNode(true);
    copy.setAttribute("data-row", String(next));
    copy.querySelectorAll("input, textarea, select").forEach(function (el) {
      el.name = el.name.replace(/^([a-z]+)-\d+/, "$1-" + next);
      el.removeAttribute("id");
      el.removeAttribute("readonly");
      el.removeAttribute("title");
      clear(el);
    });
    last.parentNode.appendChild(copy);
    var first = copy.querySelector("input, textarea, select");
    if (first) { first.focus(); }
  }

  function startRows(box) {
    box.querySelectorAll(".row-add, .row-remove").forEach(function (b) { b.hidden = false; });
    box.addEventListener("click", function (ev) {
      var t = ev.target;
      if (t.classList.contains("row-add")) { ev.preventDefault(); addRow(box); }
      if (t.classList.contains("row-remove")) {
        ev.preventDefault();
        var row = t.closest("[data-row]");
        var error = row && row.nextElementSibling;
        if (error && error.classList.contains("row-error")) { error.remove(); }
        if (box.querySelectorAll("[data-row]").length > 1) { row.remove(); }
        else { row.querySelectorAll("input, textarea, select").forEach(clear); }
      }
    });
  }

  // The FAQ editor's intent list: the "new intent name" field only shows (and only counts) with "Other…" chosen.
  // Without this script it stays visible; the server reads it only when "Other…" is chosen.
  function startIntentPicker(select) {
    var box = document.getElementById("intent-other");
    var input = box && box.querySelector("input");
    if (!input) { return; }
    function sync() {
      var other = select.value === select.getAttribute("data-other");
      box.hidden = !other;
      input.disabled = !other;
      input.required = other;
    }
    select.addEventListener("change", function () {
      sync();
      if (!box.hidden) { input.focus(); }
    });
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rows]").forEach(startRows);
    var intentSelect = document.getElementById("intent-select");
    if (intentSelect) { startIntentPicker(intentSelect); }
    var dash = document.getElementById("dashboard");
    if (dash) { startDashboard(dash); }
    document.querySelectorAll("[data-confirm]").forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        if (!window.confirm(btn.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
  });
  // review queue: the wordings only unticked comments have are not offered as the example / new FAQ's questions
  document.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box.classList || !box.classList.contains("member-pick")) { return; }
    var card = box.closest("section.group");
    var kept = {}, dropped = {};
    card.querySelectorAll("input.member-pick").forEach(function (b) {
      (b.checked ? kept : dropped)[b.getAttribute("data-text")] = true;
    });
    card.querySelectorAll("select[name=text] option, input[name=texts]").forEach(function (el) {
      el.disabled = !!dropped[el.value] && !kept[el.value];
    });
    // the "add translation" examples (the group's wordings in its language, one per wording_key): a wording only
    // unticked comments have is not added to the FAQ
    var keptW = {}, droppedW = {}, wordingOf = {};
    card.querySelectorAll("input.member-pick").forEach(function (b) {
      var w = b.getAttribute("data-wording") || b.getAttribute("data-text");
      wordingOf[(b.getAttribute("data-text") || "").trim()] = w;
      (b.checked ? keptW : droppedW)[w] = true;
    });
    function droppedWording(t) {
      var w = wordingOf[String(t).trim()];
      return w !== undefined && !!droppedW[w] && !keptW[w];
    }
    card.querySelectorAll("input[name=examples]").forEach(function (field) {
      if (field.getAttribute("data-all") === null) { field.setAttribute("data-all", field.value); }
      var all = JSON.parse(field.getAttribute("data-all") || "[]");
      field.value = JSON.stringify(all.filter(function (t) { return !droppedWording(t); }));
    });
    card.querySelectorAll("form.translate q").forEach(function (q) { q.hidden = droppedWording(q.textContent); });
    card.querySelectorAll("select[name=text]").forEach(function (sel) {
      var opt = sel.options[sel.selectedIndex];
      if (opt && opt.disabled) {
        var first = Array.prototype.find.call(sel.options, function (o) { return !o.disabled; });
        if (first) { sel.value = first.value; }
      }
    });
  });
  // review queue: a comment unticked in its group card (not of this group) is left out of the card's actions and
  // stays in the queue; the forms carry the group's comments as JSON [[room, comment id], …] in `comments`
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var card = form.closest ? form.closest("section.group") : null;
    var field = form.querySelector("input[name=comments]");
    if (!card || !field) { return; }
    var left = {};
    card.querySelectorAll("input.member-pick:not(:checked)").forEach(function (box) {
      left[box.getAttribute("data-room") + "\u0000" + box.getAttribute("data-comment")] = true;
    });
    if (field.getAttribute("data-all") === null) { field.setAttribute("data-all", field.value); }  // ticked again later
    var pairs = JSON.parse(field.getAttribute("data-all") || "[]");
    field.value = JSON.stringify(pairs.filter(function (p) { return !left[p[0] + "\u0000" + p[1]]; }));
  }, true);
})();
