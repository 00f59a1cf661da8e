/* SPDX-License-Identifier: EUPL-1.2
 * Counsellor console and supervisor view: a WebSocket says "the queue changed" (no content);
 * the lists are fetched again as server-rendered HTML. Without JavaScript: the Refresh button. */
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root) { return; }
  var target = document.getElementById("console-lists");
  var statusEl = document.getElementById("console-status");
  var url = root.getAttribute("data-fragment");
  var backoff = 500;
  var loading = false;
  var again = false;
  document.querySelectorAll("[data-no-js]").forEach(function (el) { el.hidden = true; });

  function reload() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { if (r.redirected || !r.ok) { throw new Error("session"); } return r.text(); })
      .then(function (html) {
        // Keep keyboard focus where it was when the lists are replaced.
        var active = document.activeElement;
        var keep = active && target.contains(active) && active.closest("form") ? active.closest("form").getAttribute("action") : null;
        target.innerHTML = html;
        if (keep) {
          var button = target.querySelector("form[action='" + keep + "'] button");
          if (button) { button.focus(); }
        }
      })
      .catch(function () { location.reload(); })
      .then(function () { loading = false; if (again) { again = false; reload(); } });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + root.getAttribute("data-ws"));
    var ping = null;
    ws.onopen = function () {
      backoff = 500;
      reload();
      ping = setInterval(function () { if (ws.readyState === 1) { ws.send("{\"type\":\"ping\"}"); } }, 30000);
    };
    ws.onmessage = function (event) {
      var f;
      try { f = JSON.parse(event.data); } catch (e) { return; }
      if (f.type === "queue") { reload(); }
      if (f.type === "assigned") {
        if (statusEl) { statusEl.textContent = root.getAttribute("data-assigned") || ""; }
        reload();
      }
    };
    ws.onclose = function (event) {
      clearInterval(ping);
      if (event.code === 4401) { location.reload(); return; }
      if (event.code === 4404) { return; }
      setTimeout(connect, backoff + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }
  setInterval(reload, 30000);  // belt and braces: a missed nudge costs at most 30 seconds
  connect();
})();
