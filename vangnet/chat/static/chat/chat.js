/* SPDX-License-Identifier: EUPL-1.2
 * Live chat (visitor and counsellor), protocol v1 — see docs/adr/0020-chat.md.
 *
 * The page is a complete no-JavaScript chat (a form that posts). This script turns it live:
 * lines go over a WebSocket with a client id (cid); a line stays "sending" until the server
 * acknowledges it, which it does only after the line is committed. After a reconnect the script
 * says hello with the highest seq it holds and how many lines it holds, gets what it missed, and
 * sends again every line that was not acknowledged (the server stores a cid once). Lines are
 * shown in seq order and each seq once. Nothing is kept in browser storage. */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  var dangerRadios = document.querySelectorAll("[data-danger-question]");
  var acuteBox = document.querySelector("[data-acute-box]");
  if (acuteBox && dangerRadios.length) {
    var showAcute = function () {
      var yes = document.querySelector("[data-danger-question][value=yes]");
      acuteBox.hidden = !(yes && yes.checked);
    };
    dangerRadios.forEach(function (r) { r.addEventListener("change", showAcute); });
    showAcute();
  }
  if (!root || !window.WebSocket) { return; }

  var T = JSON.parse(document.getElementById("chat-strings").textContent);
  var side = root.getAttribute("data-side");
  var maxChars = parseInt(root.getAttribute("data-max"), 10) || 2000;
  var log = root.querySelector(".chat-log");
  var form = root.querySelector("form.chat-form");
  var textarea = form ? form.querySelector("textarea") : null;
  var cidField = form ? form.querySelector("input[name=cid]") : null;
  var statusEl = document.getElementById("chat-status");
  var typingEl = document.getElementById("chat-typing");
  var state = root.getAttribute("data-state");
  var seen = {};
  var count = 0;
  var lastSeq = 0;
  var pending = [];  // {cid, body, li, retryAt}
  var ws = null;
  // Reconnect back-off: a random wait between 0 and `backoff` ("full jitter"), doubling from
  // 1 s to 8 s, reset only when the server has answered `hello`. When a server process dies,
  // its sockets come back spread out instead of all at the same moment.
  var backoff = 1000;
  // A server process that restarts on purpose closes its sockets one by one with code 1012 and
  // spreads them out itself: come back within a quarter of a second then (a little jitter in
  // case a whole server stopped and closed them all at once), unless the last try never got a
  // welcome — then the ordinary back-off, so a server that keeps saying 1012 cannot make us spin.
  var welcomed = false;
  var stopped = false;
  var typingTimer = null;
  var lastTypingSent = 0;

  document.querySelectorAll("[data-no-js]").forEach(function (el) { el.hidden = true; });
  Array.prototype.forEach.call(log.querySelectorAll("li[data-seq]"), function (li) {
    remember(parseInt(li.getAttribute("data-seq"), 10));
  });
  if (log.lastElementChild) { log.lastElementChild.scrollIntoView({block: "nearest"}); }

  function remember(seq) {
    if (!seen[seq]) { seen[seq] = true; count += 1; if (seq > lastSeq) { lastSeq = seq; } }
  }

  function setStatus(text) {
    if (!statusEl) { return; }
    statusEl.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    statusEl.appendChild(p);
  }

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }

  function stateText(s, info) {
    var text = (T.state && T.state[s]) || "";
    if (s === "queued" && info && info.position) {
      text += " " + fmt(T.position, {position: info.position});
      if (info.wait_minutes) { text += " " + fmt(T.wait, {minutes: info.wait_minutes}); }
    }
    if (side === "counsellor" && s === "active" && info && typeof info.visitor_connected === "boolean") {
      text = info.visitor_connected ? T.visitor_here : T.visitor_away;
    }
    return text;
  }

  function applyState(s, info) {
    state = s;
    root.setAttribute("data-state", s);
    setStatus(stateText(s, info));
    var live = s === "queued" || s === "active";
    document.querySelectorAll("[data-show-when=ended]").forEach(function (el) { el.hidden = live; });
    if (side === "visitor" && form) { form.hidden = !live; }
    var label = document.querySelector("[data-state-label]");
    if (label && T.state[s]) { label.textContent = T.state[s]; }
  }

  function lineElement(msg) {
    var li = document.createElement("li");
    li.className = "chat-line chat-line--" + ({visitor: "from_reporter", counsellor: "from_staff", system: "system"}[msg.from] || "system");
    var who = document.createElement("span");
    who.className = "chat-line__who";
    who.textContent = T.who[msg.from] || "";
    var at = document.createElement("time");
    at.className = "chat-line__at";
    var when = msg.at ? new Date(msg.at) : new Date();
    at.setAttribute("datetime", when.toISOString());
    at.textContent = when.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
    var body = document.createElement("p");
    body.className = "chat-line__body";
    body.textContent = msg.body;  // text, never HTML
    li.appendChild(who); li.appendChild(at); li.appendChild(body);
    return li;
  }

  function place(li, seq) {
    li.setAttribute("data-seq", String(seq));
    var after = null;
    var items = log.querySelectorAll("li[data-seq]");
    for (var i = 0; i < items.length; i++) {
      if (items[i] !== li && parseInt(items[i].getAttribute("data-seq"), 10) > seq) { after = items[i]; break; }
    }
    if (after) { log.insertBefore(li, after); }
    else {
      var firstPending = log.querySelector("li.chat-line--pending");
      if (firstPending && firstPending !== li) { log.insertBefore(li, firstPending); } else { log.appendChild(li); }
    }
  }

  function confirm(cid, seq) {
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].cid === cid) {
        var p = pending[i];
        pending.splice(i, 1);
        p.li.classList.remove("chat-line--pending", "chat-line--failed");
        var note = p.li.querySelector(".chat-line__note");
        if (note) { note.remove(); }
        if (seen[seq]) {
          // The server's copy is already shown: keep one.
          var other = log.querySelector("li[data-seq='" + seq + "']");
          if (other && other !== p.li) { p.li.remove(); return; }
        }
        remember(seq);
        place(p.li, seq);
        return;
      }
    }
    remember(seq);
  }

  function addMsg(msg) {
    if (msg.cid) {
      for (var i = 0; i < pending.length; i++) {
        if (pending[i].cid === msg.cid) { confirm(msg.cid, msg.seq); return; }
      }
    }
    if (seen[msg.seq]) { return; }
    remember(msg.seq);
    var li = lineElement(msg);
    place(li, msg.seq);
    if (li === log.lastElementChild) { li.scrollIntoView({block: "nearest"}); }
  }

  function send(frame) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function flush() {
    var now = Date.now();
    pending.forEach(function (p) {
      if (!p.retryAt || p.retryAt <= now) { p.retryAt = 0; send({type: "send", cid: p.cid, body: p.body}); }
    });
  }

  function newCid() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function queueLine(body) {
    var p = {cid: newCid(), body: body, retryAt: 0};
    p.li = lineElement({from: side, body: body, at: new Date().toISOString()});
    p.li.classList.add("chat-line--pending");
    var note = document.createElement("span");
    note.className = "chat-line__note";
    note.textContent = T.sending;
    p.li.appendChild(note);
    log.appendChild(p.li);
    p.li.scrollIntoView({block: "nearest"});
    pending.push(p);
    send({type: "send", cid: p.cid, body: body});
  }

  function fail(cid, text, keep) {
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].cid !== cid) { continue; }
      var p = pending[i];
      var note = p.li.querySelector(".chat-line__note");
      if (note) { note.textContent = text; }
      p.li.classList.add("chat-line--failed");
      if (!keep) {
        pending.splice(i, 1);
        if (textarea && !textarea.value) { textarea.value = p.body; }
      }
      return;
    }
  }

  function onFrame(event) {
    var f;
    try { f = JSON.parse(event.data); } catch (e) { return; }
    if (f.type === "welcome") {
      backoff = 1000;
      welcomed = true;
      applyState(f.state, f);
      flush();
    } else if (f.type === "history") {
      f.msgs.forEach(addMsg);
    } else if (f.type === "msg") {
      var gap = f.prev && !seen[f.prev];
      addMsg(f);
      if (gap) { send({type: "sync", last_seq: lastSeq, count: count}); }
      if (typingEl && f.from !== side) { typingEl.textContent = ""; }
    } else if (f.type === "ack") {
      confirm(f.cid, f.seq);
    } else if (f.type === "error") {
      var text = (T.errors && T.errors[f.code]) || T.errors.not_allowed;
      if (f.code === "rate_limited" || f.code === "server_error") {
        var wait = (f.retry_after || 2) * 1000;
        pending.forEach(function (p) { if (p.cid === f.cid) { p.retryAt = Date.now() + wait; } });
        if (f.cid) { fail(f.cid, text, true); }
        setTimeout(flush, wait + 50);
      } else if (f.cid) {
        fail(f.cid, text, false);
      }
    } else if (f.type === "state") {
      applyState(f.state, null);
    } else if (f.type === "queue") {
      applyState(f.state, f);
    } else if (f.type === "pong") {
      if (f.last_seq && !seen[f.last_seq]) { send({type: "sync", last_seq: lastSeq, count: count}); }
    } else if (f.type === "typing") {
      if (!typingEl) { return; }
      typingEl.textContent = T.typing;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typingEl.textContent = ""; }, 6000);
    }
  }

  function connect() {
    if (stopped) { return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    try { ws = new WebSocket(scheme + location.host + root.getAttribute("data-ws")); }
    catch (e) { retry(); return; }
    ws.onopen = function () {
      send({type: "hello", last_seq: lastSeq, count: count});
    };
    ws.onmessage = onFrame;
    ws.onclose = function (event) {
      ws = null;
      var planned = event.code === 1012 && welcomed;
      welcomed = false;
      if (planned) { setTimeout(connect, Math.random() * 250); return; }  // and no "connection lost" flash
      if (event.code === 4404 || event.code === 4401) {
        stopped = true;
        setStatus(side === "counsellor" ? (event.code === 4401 ? T.logged_out : T.revoked) : T.state.ended);
        if (form) { form.hidden = true; }
        return;
      }
      setStatus(T.reconnecting);
      retry();
    };
  }

  function retry() {
    setTimeout(connect, Math.random() * backoff);
    backoff = Math.min(backoff * 2, 8000);
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.value === "refresh") { return; }
      event.preventDefault();
      var body = (textarea.value || "").replace(/\r\n?/g, "\n").trim();
      if (!body) { return; }
      if (body.length > maxChars) { setStatus(T.errors.too_long); return; }
      textarea.value = "";
      if (cidField) { cidField.value = newCid(); }
      queueLine(body);
      textarea.focus();
    });
    if (textarea) {
      textarea.addEventListener("input", function () {
        var now = Date.now();
        if (now - lastTypingSent > 2500) { lastTypingSent = now; send({type: "typing"}); }
      });
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", {cancelable: true}));
        }
      });
    }
  }

  var standard = document.querySelector("[data-standard-texts]");
  if (standard && textarea) {
    standard.addEventListener("submit", function (event) {
      event.preventDefault();
      var option = standard.querySelector("select").selectedOptions[0];
      if (option) {
        textarea.value = (textarea.value ? textarea.value + " " : "") + option.getAttribute("data-text");
        textarea.focus();
      }
    });
  }

  setInterval(function () { send({type: "ping"}); }, 20000);
  setStatus(T.connecting);
  connect();
})();
