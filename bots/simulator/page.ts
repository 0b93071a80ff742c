// Self-contained HTML page for the development chat simulator served at GET /dev/chat; its script
// carries the response's CSP nonce.
export const simulatorPage = (nonce: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parentline simulator</title>
<link rel="icon" href="data:,">
<style>
  :root {
    --green-dark: #075e54;
    --green: #128c7e;
    --bg: #f0f2f5;
    --chat-bg: #efeae2;
    --out: #d9fdd3;
    --in: #ffffff;
    --text: #111b21;
    --muted: #54656f;
    --border: #d1d7db;
    --danger-bg: #fdecea;
    --danger: #8a1c1c;
    --focus: #0b57d0;
  }
  * { box-sizing: border-box; }
  html, body { height: 100%; }
  body {
    margin: 0;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
    font-size: 15px;
    color: var(--text);
    background: var(--bg);
    display: flex;
    flex-direction: column;
  }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  header.top {
    background: var(--green-dark);
    color: #fff;
    padding: 10px 16px;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 16px;
  }
  header.top h1 { font-size: 18px; margin: 0; }
  header.top p { margin: 0; font-size: 14px; }
  header.top a { color: #fff; margin-left: auto; font-size: 14px; }
  main {
    flex: 1;
    min-height: 0;
    display: grid;
    grid-template-columns: minmax(260px, 340px) 1fr;
  }
  /* ---------- persona panel ---------- */
  .personas {
    background: #fff;
    border-right: 1px solid var(--border);
    overflow-y: auto;
    padding: 12px;
  }
  .personas h2 { font-size: 15px; margin: 16px 0 6px; color: var(--green-dark); }
  #persona-list > section:first-child > h2 { margin-top: 4px; }
  .picked-bar { display: none; }
  .btn-secondary {
    background: #fff;
    color: var(--green-dark);
    border: 1px solid var(--green);
    padding: 6px 12px;
    font-weight: 600;
  }
  .btn-secondary:hover:not(:disabled) { background: #e7f3ef; }
  .personas h3 {
    font-size: 12px;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--muted);
    margin: 10px 0 4px;
  }
  .manual { display: flex; flex-direction: column; gap: 6px; margin-bottom: 12px; }
  .manual label { font-weight: 600; font-size: 13px; }
  .manual .row { display: flex; gap: 6px; }
  .manual input { flex: 1; min-width: 0; }
  input[type="tel"], input[type="text"] {
    font: inherit;
    padding: 8px 10px;
    border: 1px solid #8696a0;
    border-radius: 8px;
    color: var(--text);
    background: #fff;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 8px;
  }
  button:disabled { cursor: not-allowed; opacity: 0.6; }
  .btn-primary {
    background: var(--green-dark);
    color: #fff;
    border: 1px solid var(--green-dark);
    padding: 8px 14px;
    font-weight: 600;
  }
  .btn-primary:hover:not(:disabled) { background: #05463f; }
  ul.list { list-style: none; margin: 0; padding: 0; }
  ul.list li { margin: 0 0 4px; }
  .persona {
    width: 100%;
    text-align: left;
    background: #fff;
    border: 1px solid transparent;
    padding: 8px 10px;
    color: var(--text);
    display: block;
  }
  .persona:hover { background: #f5f6f6; border-color: var(--border); }
  .persona[aria-pressed="true"] { background: #e7f3ef; border-color: var(--green); }
  .persona .name { font-weight: 600; display: block; }
  .persona .meta { font-size: 13px; color: var(--muted); display: block; }
  .status { font-size: 13px; color: var(--muted); }
  .status.error { color: var(--danger); }
  /* ---------- chat panel ---------- */
  .chat {
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--chat-bg);
  }
  .chat-head {
    background: #f0f2f5;
    border-bottom: 1px solid var(--border);
    padding: 10px 16px;
    min-height: 52px;
  }
  .chat-head h2 { margin: 0; font-size: 16px; }
  .chat-head .sub { font-size: 13px; color: var(--muted); }
  .thread {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    padding: 16px 6%;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .empty {
    margin: auto;
    text-align: center;
    color: var(--muted);
    background: rgba(255, 255, 255, 0.8);
    padding: 12px 16px;
    border-radius: 8px;
    max-width: 340px;
  }
  .day {
    align-self: center;
    background: #fff;
    color: var(--muted);
    font-size: 12px;
    padding: 4px 10px;
    border-radius: 8px;
    margin: 8px 0;
    box-shadow: 0 1px 0.5px rgba(11, 20, 26, 0.13);
  }
  .msg { display: flex; flex-direction: column; max-width: min(75%, 520px); }
  .msg.in { align-self: flex-start; }
  .msg.out { align-self: flex-end; }
  .bubble {
    padding: 6px 9px 4px;
    border-radius: 8px;
    box-shadow: 0 1px 0.5px rgba(11, 20, 26, 0.13);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    line-height: 1.35;
  }
  .msg.in .bubble { background: var(--in); border-top-left-radius: 0; }
  .msg.out .bubble { background: var(--out); border-top-right-radius: 0; }
  .msg.in.kind-otp .bubble { background: #e8f1fb; border-left: 3px solid #1f4e79; }
  .msg.in.kind-staff_reply .bubble { background: #fff5e6; border-left: 3px solid #8a4b00; }
  .msg.in.kind-announcement .bubble { background: #f4eefa; border-left: 3px solid #5b2a86; }
  .msg.pending .bubble { opacity: 0.7; }
  .bubble .foot {
    display: flex;
    justify-content: flex-end;
    align-items: center;
    gap: 6px;
    margin-top: 2px;
    font-size: 11px;
    color: var(--muted);
    white-space: nowrap;
  }
  .badge {
    display: inline-block;
    font-size: 11px;
    font-weight: 700;
    color: #fff;
    padding: 1px 6px;
    border-radius: 999px;
    margin-bottom: 3px;
  }
  .badge.otp { background: #1f4e79; }
  .badge.staff_reply { background: #8a4b00; }
  .badge.announcement { background: #5b2a86; }
  .options { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
  .option {
    background: #fff;
    color: #00695c;
    border: 1px solid var(--border);
    padding: 6px 12px;
    font-weight: 600;
    box-shadow: 0 1px 0.5px rgba(11, 20, 26, 0.13);
  }
  .option:hover:not(:disabled) { background: #f5f6f6; }
  .options.stale .option {
    color: var(--muted);
    background: transparent;
    box-shadow: none;
    font-weight: 400;
  }
  .options.stale { opacity: 0.6; }
  .options.stale .option:disabled { opacity: 1; cursor: default; }
  .alert {
    margin: 0 16px 8px;
    padding: 8px 12px;
    border-radius: 8px;
    background: var(--danger-bg);
    color: var(--danger);
    border: 1px solid #f5c2c0;
  }
  .alert[hidden] { display: none; }
  form.composer {
    display: flex;
    gap: 8px;
    padding: 10px 16px;
    background: #f0f2f5;
    border-top: 1px solid var(--border);
  }
  form.composer input { flex: 1; min-width: 0; border-radius: 20px; }
  form.composer button { border-radius: 20px; }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
  @media (max-width: 760px) {
    header.top .hint { display: none; }
    main { grid-template-columns: 1fr; grid-template-rows: auto minmax(420px, 1fr); }
    .personas { border-right: 0; border-bottom: 1px solid var(--border); max-height: 40vh; }
    body.picked .personas { padding: 8px 12px; }
    body.picked .picked-bar { display: flex; justify-content: flex-end; }
    body.picked.show-personas .picked-bar {
      position: sticky;
      top: -8px;
      background: #fff;
      padding: 0 0 8px;
      z-index: 1;
    }
    body.picked:not(.show-personas) .persona-panel { display: none; }
    .thread { padding: 12px; }
    .msg { max-width: 88%; }
  }
</style>
</head>
<body>
<header class="top">
  <h1>Parentline simulator</h1>
  <p class="hint">Pick a parent, say hi. Codes arrive here as SMS.</p>
  <a href="/v1/docs">Staff API docs</a>
</header>
<main>
  <nav class="personas" aria-label="Personas">
    <div class="picked-bar">
      <button type="button" id="change-person" class="btn-secondary" aria-expanded="false" aria-controls="persona-panel">Change person</button>
    </div>
    <div id="persona-panel" class="persona-panel">
      <form class="manual" id="manual-form">
        <label for="manual-phone">Any phone number</label>
        <div class="row">
          <input id="manual-phone" type="tel" placeholder="+14155550101" autocomplete="off">
          <button type="submit" class="btn-primary">Use number</button>
        </div>
      </form>
      <div id="persona-status" class="status" role="status">Loading demo data…</div>
      <div id="persona-list"></div>
    </div>
  </nav>
  <section class="chat" aria-label="Chat">
    <div class="chat-head">
      <h2 id="chat-title">No one selected</h2>
      <div id="chat-sub" class="sub">Choose a persona or type a phone number.</div>
      <label class="sub">Show as
        <select id="render-mode">
          <option value="buttons">simulator buttons</option>
          <option value="sms">SMS (numbered text, as Twilio sends it)</option>
          <option value="whatsapp">WhatsApp (reply buttons or a list)</option>
          <option value="telegram">Telegram (keyboards under the message)</option>
        </select>
      </label>
    </div>
    <div id="thread" class="thread" role="log" aria-live="polite" aria-label="Messages">
      <div class="empty">Pick a parent, then say hi.</div>
    </div>
    <div id="error" class="alert" role="alert" hidden></div>
    <form class="composer" id="composer">
      <label for="message" class="sr-only">Message</label>
      <input id="message" type="text" placeholder="Type a message" autocomplete="off" disabled>
      <button type="submit" id="send" class="btn-primary" disabled>Send</button>
    </form>
  </section>
</main>
<script nonce="${nonce}">
(function () {
  "use strict";

  var POLL_MS = 2000;
  var BADGES = { otp: "SMS", staff_reply: "Staff", announcement: "Announcement" };

  var state = {
    address: null,
    render: "buttons",  // how the parent's phone shows replies: chat buttons or SMS text
    names: {},          // address -> persona label
    renderedCount: -1,  // number of history messages currently rendered
    sending: false,
    polling: false,
    seq: 0,             // history request counter; stale responses are dropped
    shown: 0,           // seq of the response currently rendered
    timer: null
  };

  var el = {
    personaList: document.getElementById("persona-list"),
    personaStatus: document.getElementById("persona-status"),
    manualForm: document.getElementById("manual-form"),
    manualPhone: document.getElementById("manual-phone"),
    changePerson: document.getElementById("change-person"),
    personas: document.querySelector(".personas"),
    title: document.getElementById("chat-title"),
    sub: document.getElementById("chat-sub"),
    thread: document.getElementById("thread"),
    error: document.getElementById("error"),
    composer: document.getElementById("composer"),
    input: document.getElementById("message"),
    send: document.getElementById("send")
  };

  // ---------- helpers ----------

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function api(url, options) {
    return fetch(url, options).then(function (res) {
      return res.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var msg = data && data.error && data.error.message
            ? data.error.message
            : "Request failed (HTTP " + res.status + ")";
          throw new Error(msg);
        }
        if (data === null) throw new Error("Unexpected response from " + url);
        return data;
      });
    });
  }

  function showError(message) {
    el.error.textContent = message;
    el.error.hidden = false;
  }

  function clearError() {
    el.error.textContent = "";
    el.error.hidden = true;
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function timeLabel(date) {
    return pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function dayLabel(date) {
    var today = new Date();
    var yesterday = new Date();
    yesterday.setDate(today.getDate() - 1);
    if (date.toDateString() === today.toDateString()) return "Today";
    if (date.toDateString() === yesterday.toDateString()) return "Yesterday";
    return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
  }

  function nearBottom() {
    var t = el.thread;
    return t.scrollHeight - t.scrollTop - t.clientHeight < 80;
  }

  // Only auto-focus the composer on wide, non-touch screens: on phones focusing
  // pops up the keyboard and hides the thread.
  var wideQuery = window.matchMedia("(min-width: 761px)");
  var coarseQuery = window.matchMedia("(pointer: coarse)");

  function canAutoFocus() {
    return wideQuery.matches && !coarseQuery.matches;
  }

  function setPersonasOpen(open) {
    document.body.classList.toggle("show-personas", open);
    el.changePerson.setAttribute("aria-expanded", open ? "true" : "false");
    el.changePerson.textContent = open ? "Hide list" : "Change person";
  }

  function scrollToBottom() {
    el.thread.scrollTop = el.thread.scrollHeight;
  }

  function setSending(on) {
    state.sending = on;
    var disabled = on || !state.address;
    el.input.disabled = disabled;
    el.send.disabled = disabled;
    // Only the current (last message's) option group is ever re-enabled;
    // older groups stay disabled.
    var opts = el.thread.querySelectorAll(".options.current button.option");
    for (var i = 0; i < opts.length; i++) opts[i].disabled = disabled;
  }

  // ---------- personas ----------

  function personaButton(address, name, metaLines) {
    var li = make("li");
    var btn = make("button", "persona");
    btn.type = "button";
    btn.setAttribute("aria-pressed", "false");
    btn.setAttribute("data-address", address);
    btn.appendChild(make("span", "name", name));
    for (var i = 0; i < metaLines.length; i++) {
      if (metaLines[i]) btn.appendChild(make("span", "meta", metaLines[i]));
    }
    btn.addEventListener("click", function () { selectAddress(address); });
    li.appendChild(btn);
    return li;
  }

  function renderPersonas(data) {
    var schools = (data && data.schools) || [];
    el.personaList.textContent = "";
    if (schools.length === 0) {
      el.personaStatus.textContent = "No demo schools found. Type a phone number above.";
      return;
    }
    el.personaStatus.textContent = "";
    schools.forEach(function (school) {
      var section = make("section");
      section.appendChild(make("h2", null, school.name));

      var guardians = school.guardians || [];
      if (guardians.length) {
        section.appendChild(make("h3", null, "Parents"));
        var gl = make("ul", "list");
        guardians.forEach(function (g) {
          var kids = (g.children || []).map(function (c) {
            return c.name + " (" + c.className + ")";
          }).join(", ");
          state.names[g.phone] = g.name;
          gl.appendChild(personaButton(g.phone, g.name, [g.phone, kids]));
        });
        section.appendChild(gl);
      }

      var staff = school.staff || [];
      if (staff.length) {
        section.appendChild(make("h3", null, "Staff"));
        var sl = make("ul", "list");
        staff.forEach(function (s) {
          var role = s.role + (s.officeFunction ? " · " + s.officeFunction : "");
          var classes = s.classes && s.classes.length ? "Classes: " + s.classes.join(", ") : "";
          state.names[s.phone] = s.name + " (" + s.role + ")";
          sl.appendChild(personaButton(s.phone, s.name, [role + " · " + s.phone, classes]));
        });
        section.appendChild(sl);
      }
      el.personaList.appendChild(section);
    });
    markSelected();
  }

  function markSelected() {
    var btns = el.personaList.querySelectorAll("button.persona");
    for (var i = 0; i < btns.length; i++) {
      var on = btns[i].getAttribute("data-address") === state.address;
      btns[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function loadPersonas() {
    api("/dev/demo").then(renderPersonas).catch(function (err) {
      el.personaStatus.textContent = "Could not load demo data: " + err.message;
      el.personaStatus.classList.add("error");
    });
  }

  // ---------- chat ----------

  // current: true when this is the last message of the thread, so its options
  // are still answerable; options on older messages are rendered disabled.
  function renderMessage(m, pending, current) {
    var dir = m.direction === "out" ? "in" : "out"; // "out" from the system = incoming for the user
    var kindClass = m.kind && BADGES[m.kind] ? " kind-" + m.kind : "";
    var wrap = make("div", "msg " + dir + kindClass + (pending ? " pending" : ""));
    var bubble = make("div", "bubble");
    var badge = m.kind && BADGES[m.kind];
    if (badge) {
      var b = make("span", "badge " + m.kind, badge);
      bubble.appendChild(b);
      bubble.appendChild(document.createElement("br"));
    }
    // Shown as the chosen channel's own renderer gives it (the server's "shown" bubbles).
    var shown = dir === "in" && state.render !== "buttons" && m.shown ? m.shown : null;
    bubble.appendChild(document.createTextNode(shown
      ? shown.map(function (part) { return part.text; }).join("\\n\\n")
      : (m.text || "")));
    var foot = make("div", "foot");
    var when = m.at ? new Date(m.at) : null;
    var timeText = pending ? "sending…" : (when && !isNaN(when.getTime()) ? timeLabel(when) : "");
    var time = make("time", null, timeText);
    if (m.at && !pending) time.setAttribute("datetime", m.at);
    foot.appendChild(time);
    if (shown && state.render === "sms") {
      var segments = shown.reduce(function (sum, part) { return sum + part.segments; }, 0);
      foot.appendChild(make("span", null, " · " + segments + " SMS segment" + (segments === 1 ? "" : "s")));
    }
    bubble.appendChild(foot);
    wrap.appendChild(bubble);

    // The channel's buttons, row by row; pressing one sends its option as the channel would.
    var rows = shown
      ? shown.reduce(function (all, part) { return all.concat(part.buttons || []); }, [])
      : [(m.options || []).map(function (o) { return o.label; })];
    var listButton = shown && shown.some(function (part) { return part.listButton; })
      ? shown.filter(function (part) { return part.listButton; })[0].listButton : null;
    var labels = rows.reduce(function (all, row) { return all.concat(row); }, []);
    if (dir === "in" && m.options && m.options.length && labels.length) {
      var opts = make("div", "options " + (current ? "current" : "stale"));
      opts.setAttribute("role", "group");
      opts.setAttribute("aria-label", current ? "Reply options" : "Earlier options (no longer available)");
      if (listButton) opts.appendChild(make("div", "sub", "\u2630 " + listButton + ":"));
      labels.forEach(function (label, index) {
        var o = m.options[index] || { label: label };
        var btn = make("button", "option", label);
        btn.type = "button";
        btn.disabled = !current || state.sending;
        if (current) {
          btn.addEventListener("click", function () {
            if (!opts.classList.contains("current")) return;
            sendText(o.label);
          });
        }
        opts.appendChild(btn);
      });
      wrap.appendChild(opts);
    }
    return wrap;
  }

  function renderThread(messages) {
    var stick = nearBottom();
    el.thread.textContent = "";
    if (!messages.length) {
      el.thread.appendChild(make("div", "empty", "No messages yet. Say hi!"));
    }
    var lastDay = "";
    messages.forEach(function (m, i) {
      var d = m.at ? new Date(m.at) : null;
      if (d && !isNaN(d.getTime())) {
        var label = dayLabel(d);
        if (label !== lastDay) {
          el.thread.appendChild(make("div", "day", label));
          lastDay = label;
        }
      }
      el.thread.appendChild(renderMessage(m, false, i === messages.length - 1));
    });
    state.renderedCount = messages.length;
    return stick;
  }

  function loadHistory(force) {
    var address = state.address;
    if (!address) return Promise.resolve();
    if (state.polling && !force) return Promise.resolve();
    state.polling = true;
    var seq = ++state.seq;
    return api("/dev/chat/history?render=" + state.render + "&address=" + encodeURIComponent(address))
      .then(function (data) {
        if (address !== state.address) return; // switched persona meanwhile
        if (seq < state.shown) return; // a newer response was already rendered
        state.shown = seq;
        var messages = (data && data.messages) || [];
        if (force || messages.length !== state.renderedCount) {
          var stick = renderThread(messages);
          if (force || stick) scrollToBottom();
        }
      })
      .catch(function (err) {
        if (address === state.address) showError("Could not load history: " + err.message);
      })
      .then(function () {
        state.polling = false;
      });
  }

  function startPolling() {
    stopPolling();
    state.timer = setInterval(function () {
      if (document.hidden || state.sending) return;
      loadHistory(false);
    }, POLL_MS);
  }

  function stopPolling() {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
  }

  function selectAddress(address) {
    address = String(address || "").trim();
    if (!address) return;
    state.address = address;
    state.renderedCount = -1;
    clearError();
    markSelected();
    document.body.classList.add("picked");
    setPersonasOpen(false);
    var name = state.names[address];
    el.title.textContent = name || address;
    el.sub.textContent = name ? address : "Custom number";
    el.thread.textContent = "";
    el.thread.appendChild(make("div", "empty", "Loading…"));
    setSending(false);
    if (canAutoFocus()) el.input.focus();
    loadHistory(true);
    startPolling();
  }

  function sendText(text) {
    text = String(text || "").trim();
    if (!text || !state.address || state.sending) return;
    var address = state.address;
    var hadFocus = document.activeElement === el.input;
    clearError();
    // Invalidate any history request already in flight so it cannot redraw
    // the thread over the "sending…" bubble.
    state.shown = ++state.seq;
    setSending(true);

    var empty = el.thread.querySelector(".empty");
    if (empty) empty.remove();
    // The pending message is now the last one: older option groups are stale.
    var groups = el.thread.querySelectorAll(".options.current");
    for (var g = 0; g < groups.length; g++) {
      groups[g].classList.remove("current");
      groups[g].classList.add("stale");
    }
    var pending = renderMessage({ direction: "in", text: text }, true, false);
    el.thread.appendChild(pending);
    scrollToBottom();

    api("/dev/chat/send", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ address: address, text: text })
    })
      .then(function () {
        if (address !== state.address) return;
        el.input.value = "";
        return loadHistory(true);
      })
      .catch(function (err) {
        if (pending.parentNode) pending.remove();
        // Nothing was sent: the previous options are answerable again.
        for (var r = 0; r < groups.length; r++) {
          if (!groups[r].isConnected) continue;
          groups[r].classList.remove("stale");
          groups[r].classList.add("current");
        }
        if (address === state.address) showError(err.message);
      })
      .then(function () {
        setSending(false);
        if (address === state.address && (hadFocus || canAutoFocus())) el.input.focus();
      });
  }

  // ---------- wiring ----------

  var renderMode = document.getElementById("render-mode");
  renderMode.addEventListener("change", function () {
    state.render = renderMode.value;
    state.renderedCount = -1;
    loadHistory(true);
  });

  el.composer.addEventListener("submit", function (ev) {
    ev.preventDefault();
    sendText(el.input.value);
  });

  el.manualForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var phone = el.manualPhone.value.replace(/[^\\d+]/g, "");
    if (!phone) {
      el.manualPhone.focus();
      return;
    }
    selectAddress(phone);
  });

  el.changePerson.addEventListener("click", function () {
    var open = !document.body.classList.contains("show-personas");
    setPersonasOpen(open);
    if (open) el.personas.scrollTop = 0;
  });

  loadPersonas();
})();
</script>
</body>
</html>
`;
