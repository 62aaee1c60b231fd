/* LiveReply console — the live show page: SSE feed, filters, hand-off alerts (title badge + a WebAudio beep). */
(function () {
  "use strict";

  var MAX_ROWS = 500;

  function text(tag, cls, value) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (value != null) { el.textContent = String(value); }
    return el;
  }

  function clock(ts) {
    var d = new Date(ts * 1000);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }

  function start(root) {
    var feed = document.getElementById("feed");
    var empty = document.getElementById("feed-empty");
    var status = document.getElementById("bot-status");
    var badge = document.getElementById("alert-badge");
    var onlyHandoffs = document.getElementById("only-handoffs");
    var productFilter = document.getElementById("product-filter");
    var productNames = {};  // product id -> the name the filter shows (staff read names, not ids)
    Array.prototype.forEach.call(productFilter.options, function (o) { if (o.value) { productNames[o.value] = o.textContent; } });
    var formTemplate = document.getElementById("answer-form");
    var alertS = parseFloat(root.getAttribute("data-alert-s") || "60");
    var baseTitle = document.title;
    var rows = {};        // "room|id" -> {el, comment, answered}
    var repliedTo = {};   // "room|id" -> reply text (a reply that named this comment)
    var alerted = {};     // keys already beeped for
    var audio = null;

    function label(status) { return root.getAttribute("data-label-" + status) || status; }
    function pathLabel(path) { return root.getAttribute("data-path-" + path) || path; }
    // The bot's reasons are English log text; staff see them in their UI language. The feed sends them translated
    // (reason_text); this table is the fallback for a feed without it.
    var REASONS = [
      [/^below threshold/, "below"], [/^low confidence/, "low"], [/^intent chit_chat/, "chitchat"],
      [/^intent spam/, "spam"], [/^intent complaint/, "complaint"], [/^moderation:/, "moderation"],
      [/^no answer in the viewer's language/, "nolang"], [/^live data unavailable/, "livedata"],
      [/^internal error/, "internal"], [/^held:/, "held"], [/^intent /, "intent"]
    ];
    function reasonLabel(reason) {
      for (var i = 0; i < REASONS.length; i++) {
        if (REASONS[i][0].test(reason)) {
          var shown = root.getAttribute("data-reason-" + REASONS[i][1]);
          if (!shown) { return reason; }
          var detail = reason.indexOf("held:") === 0 ? reason.slice(5).trim() : "";
          return detail ? shown + " " + detail : shown;
        }
      }
      return reason;
    }

    function visible(row) {
      if (onlyHandoffs.checked && row.comment.status !== "staff") { return false; }
      var pid = productFilter.value;
      return !pid || row.comment.product_id === pid;
    }

    function applyFilter(row) { row.el.hidden = !visible(row); }

    function render(row) {
      var c = row.comment, key = c.room + "|" + c.id;
      var el = row.el;
      el.textContent = "";
      el.className = "s-" + c.status + (c.status === "staff" ? " handoff" : "");
      el.setAttribute("data-key", key);
      el.setAttribute("data-status", c.status);
      el.appendChild(text("span", "t", clock(c.received_at)));
      el.appendChild(text("span", "u", c.user));
      var q = text("span", "q", c.text);
      q.setAttribute("dir", "auto");  // Arabic or Hebrew reads right to left, beside the left-to-right page
      if (c.lang) { q.setAttribute("lang", c.lang); }
      el.appendChild(q);
      var out = text("div", "outcome");
      if (c.lang) {  // the comment's language, named in the staff member's UI language (日语 / Japanese)
        var langChip = text("span", "chip lang", c.lang_name || c.lang);
        langChip.setAttribute("data-lang", c.lang);
        langChip.title = c.lang;
        out.appendChild(langChip);
      }
      // answered by staff: a staff answer recorded in the console (posted or not: no bot may be running), or a reply
      // the bot posted for a hand-off
      var recorded = c.staff_answer || null;
      var staffReply = repliedTo[key] != null ? repliedTo[key] : (recorded ? (recorded.text || "") : null);
      // dismissed, added as an example… in the review queue: staff handled it, it no longer waits (nor alerts)
      var reviewed = staffReply == null && c.status === "staff" && !!c.review_action;
      row.answered = c.status !== "staff" || staffReply != null || reviewed;
      if (reviewed) {
        el.classList.remove("handoff");
        el.setAttribute("data-reviewed", c.review_action);
        out.appendChild(text("span", "chip status", label("staff")));
        out.appendChild(text("span", "chip reviewed", label("reviewed")));
      } else if (staffReply != null) {
        el.classList.remove("handoff");  // no longer waiting for staff
        el.classList.add("staff-answered");
        el.setAttribute("data-staff-answered", "1");
        out.appendChild(text("span", "chip status", label("staff-answer")));
        if (recorded && !recorded.posted && repliedTo[key] == null && repliedTo[key + "|bot"] == null) {
          out.appendChild(text("span", "chip pending", label("not-posted")));  // recorded, nothing sent to the room
        }
      } else {
        out.appendChild(text("span", "chip status", label(c.status)));
      }
      if (c.path) {
        var pathChip = out.appendChild(text("span", "chip path", pathLabel(c.path)));
        pathChip.setAttribute("data-path", c.path);
        if (c.reason_text) { pathChip.title = c.reason_text; }  // why this path answered, in the staff language
      }
      if (c.slots) {  // the values a structured answer read, in staff words ("颜色：黑色，尺码：L"); raw keys as a tip
        var slotsChip = out.appendChild(text("span", "chip slots", c.slots_text || c.slots));
        slotsChip.title = c.slots;
      }
      if (c.reply_lang) {  // no answer in the viewer's language: the room's fallback answered, in this language
        var fb = text("span", "chip fallback", label("fallback").replace("{lang}", c.reply_lang_name || c.reply_lang));
        fb.setAttribute("data-lang", c.reply_lang);
        if (c.reason_text) { fb.title = c.reason_text; }
        out.appendChild(fb);
      }
      if (c.product_id) {
        var chip = text("span", "chip product", productNames[c.product_id] || c.product_id);
        chip.setAttribute("data-product", c.product_id);
        chip.title = c.product_id;  // the name is what staff read; the id stays as the tooltip
        out.appendChild(chip);
      }
      var said = staffReply != null ? staffReply : (repliedTo[key + "|bot"] || c.reply_text);
      if (said) {
        var reply = out.appendChild(text("span", "reply", "→ "));
        reply.appendChild(text("bdi", "said", said));  // its own direction: an RTL reply after the arrow
      }
      else if (c.reason && c.status !== "answered") {
        // the server puts the bot's English reason in the staff member's language (reason_text); the raw text
        // stays on the element for whoever debugs, not as a tooltip in another language
        var why = text("span", "muted reason", c.reason_text || reasonLabel(c.reason));
        why.setAttribute("data-reason", c.reason);
        out.appendChild(why);
      }
      el.appendChild(out);
      if (c.status === "staff" && !row.answered && formTemplate) {
        var form = formTemplate.content.firstElementChild.cloneNode(true);
        form.querySelector("[name=room]").value = c.room;
        form.querySelector("[name=comment_id]").value = c.id;
        form.querySelector("[name=user]").value = c.user;
        form.querySelector("[name=lang]").value = c.lang || (/[\u3400-\u9fff]/.test(c.text) ? "zh" : "en");
        el.appendChild(form);
      }
      applyFilter(row);
    }

    function upsert(c) {
      var key = c.room + "|" + c.id;
      var row = rows[key];
      if (row) {
        var editing = row.el.querySelector("form.answer-now input[name=text]");
        if (editing && editing.value && c.status === "staff") { row.comment = c; return; }  // keep what staff type
        row.comment = c;
      } else {
        row = rows[key] = { el: document.createElement("li"), comment: c, answered: false };
        feed.insertBefore(row.el, feed.firstChild);
        var all = feed.children;
        while (all.length > MAX_ROWS) {
          var last = all[all.length - 1];
          delete rows[last.getAttribute("data-key")];
          feed.removeChild(last);
        }
      }
      render(row);
    }

    function onActivity(data) {
      (data.comments || []).forEach(upsert);
      (data.replies || []).forEach(function (r) {
        (r.reply_to || []).forEach(function (cid) {
          var key = r.room + "|" + cid;
          var row = rows[key];
          var byStaff = row && (row.comment.status === "staff" || row.comment.staff_answer);
          if (byStaff) { repliedTo[key] = r.text; } else { repliedTo[key + "|bot"] = r.text; }
          if (row) { render(row); }
        });
      });
      empty.hidden = feed.children.length > 0;
      root.setAttribute("data-rows", String(feed.children.length));
      checkAlerts();
    }

    var outbox = document.getElementById("outbox");
    var KINDS = ["answer", "staff", "rule", "scheduled", "greeting"];
    function counts(byKind) {
      return KINDS.map(function (k) {
        return (outbox.getAttribute("data-kind-" + k) || k) + " " + String((byKind || {})[k] || 0);
      }).join(" · ");
    }
    function showOutbox(box) {  // what waits to be posted and what was given up, and why
      if (!outbox || !box || !box.pending) { return; }
      outbox.hidden = false;
      document.getElementById("outbox-pending").textContent = counts(box.pending);
      document.getElementById("outbox-dropped").textContent = counts(box.dropped);
      var list = document.getElementById("outbox-recent");
      list.textContent = "";
      (box.recent || []).forEach(function (m) {
        var li = text("li", "dropped");
        li.setAttribute("data-kind", m.kind);
        li.appendChild(text("span", "chip", outbox.getAttribute("data-kind-" + m.kind) || m.kind));
        li.appendChild(text("span", "muted", outbox.getAttribute("data-why-" + m.why) || m.why));
        li.appendChild(text("span", "text", m.text));
        list.appendChild(li);
      });
    }

    // The room settings (#room-settings: the running rooms' forms, or the "no bot running" section of the saved
    // rooms) are drawn by the server. When the running rooms change (a bot started or stopped) the page fetches itself
    // and swaps that block in: no reload, the feed and what staff type in it stay. Not while a field there has focus
    // (the next status event, every second, tries again).
    var roomSettings = document.getElementById("room-settings"), redrawing = false, lastTry = {key: null, at: 0};
    function roomsKey(langs) {  // bot/console/views/live.py rooms_key
      return langs.map(function (r) { return r.room + ":" + (r.fixed ? "f" : r.policy ? "p" : "-"); }).join(",");
    }
    function redrawRoomSettings(langs) {
      if (!roomSettings || redrawing || !Array.isArray(langs)) { return; }
      var wanted = roomsKey(langs);
      if (wanted === roomSettings.getAttribute("data-rooms")) { return; }
      var active = document.activeElement;
      if (active && active !== document.body && roomSettings.contains(active) && /^(SELECT|INPUT|TEXTAREA)$/.test(active.tagName)) { return; }
      if (lastTry.key === wanted && Date.now() - lastTry.at < 3000) { return; }  // the page drew another state: soon again
      lastTry = {key: wanted, at: Date.now()};
      redrawing = true;
      fetch(window.location.pathname, {credentials: "same-origin", cache: "no-store"})
        .then(function (r) { return r.ok && !r.redirected ? r.text() : null; })  // signed out: left as it is
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("room-settings");
          if (!fresh) { return; }
          roomSettings.innerHTML = fresh.innerHTML;
          roomSettings.setAttribute("data-rooms", fresh.getAttribute("data-rooms") || "");
          bindRoomForms(roomSettings);
        })
        .catch(function () { /* offline for a moment: the next status event tries again */ })
        .then(function () { redrawing = false; });
    }

    function onStatus(s) {
      showOutbox(s.outbox);
      if (window.liveReplyShowRoomLangs) { window.liveReplyShowRoomLangs(s.langs); }
      redrawRoomSettings(s.langs);
      status.textContent = s.label;
      status.setAttribute("data-state", s.state);
      root.setAttribute("data-bot", s.state);
      var pause = document.getElementById("pause-form"), resume = document.getElementById("resume-form");
      if (pause && resume) {  // both while no bot runs: the request waits in the outbox for one
        pause.hidden = s.state === "paused";
        resume.hidden = s.state === "live";
      }
    }

    function beep() {
      try {
        var Ctx = window.AudioContext || window.webkitAudioContext;
        if (!Ctx) { return; }
        audio = audio || new Ctx();
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.15, audio.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start();
        osc.stop(audio.currentTime + 0.35);
      } catch (e) { /* no sound: the badge still shows */ }
    }

    function checkAlerts() {
      var now = Date.now() / 1000, overdue = 0, fresh = false;
      Object.keys(rows).forEach(function (key) {
        var row = rows[key], c = row.comment;
        var late = c.status === "staff" && !row.answered && now - c.received_at > alertS;
        row.el.classList.toggle("overdue", late);
        if (late) {
          overdue += 1;
          if (!alerted[key]) { alerted[key] = true; fresh = true; }
        }
      });
      badge.hidden = overdue === 0;
      badge.textContent = overdue ? "⚠ " + overdue : "";
      root.setAttribute("data-overdue", String(overdue));
      document.title = overdue ? "(" + overdue + "⚠) " + baseTitle : baseTitle;
      if (fresh) { beep(); }
    }

    onlyHandoffs.addEventListener("change", function () { Object.keys(rows).forEach(function (k) { applyFilter(rows[k]); }); });
    productFilter.addEventListener("change", function () { Object.keys(rows).forEach(function (k) { applyFilter(rows[k]); }); });
    document.addEventListener("click", function () {  // browsers only allow sound after a gesture
      if (!audio && (window.AudioContext || window.webkitAudioContext)) {
        try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
      }
    }, { once: true });

    var source = new EventSource(root.getAttribute("data-feed"));
    source.addEventListener("activity", function (ev) { onActivity(JSON.parse(ev.data)); });
    source.addEventListener("status", function (ev) { onStatus(JSON.parse(ev.data)); });
    source.addEventListener("open", function () { root.setAttribute("data-connected", "1"); });
    source.addEventListener("error", function () { root.setAttribute("data-connected", "0"); });
    window.setInterval(checkAlerts, 1000);
  }

  // a room form's "answer in the room's main language (…)" names the main language chosen beside it
  function nameMainChoice(form) {
    var select = form.querySelector(".main-lang-select"), option = form.querySelector('option[value="main"][data-template]');
    if (!select || !option || select.selectedIndex < 0) { return; }
    option.textContent = option.getAttribute("data-template").replace("{lang}", select.options[select.selectedIndex].text);
  }

  function bindRoomForms(within) {
    within.querySelectorAll("form.room-langs-form").forEach(function (form) {
      var select = form.querySelector(".main-lang-select");
      if (select) { select.addEventListener("change", function () { nameMainChoice(form); }); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("live");
    if (root) { start(root); }
    bindRoomForms(document);
  });
})();
