/* SPDX-License-Identifier: EUPL-1.2
 * Quick exit ("Snel weg"): Escape, three times Shift, or the button. Blanks the page at once and
 * replaces this history entry with a neutral site, so Back does not come back here.
 * Without JavaScript the button is a plain link to the same neutral site. */
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }
  var target = link.getAttribute("href");
  var leaving = false;
  function leave(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    document.documentElement.classList.add("vg-leaving");
    document.title = "";
    try { history.replaceState(null, "", "/"); } catch (e) { /* ignore */ }
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var shifts = [];
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); return; }
    if (event.key === "Shift" && !event.repeat) {
      var now = Date.now();
      shifts = shifts.filter(function (t) { return now - t < 1500; });
      shifts.push(now);
      if (shifts.length >= 3) { leave(event); }
    }
  });
  // A page restored from the back-forward cache after leaving stays blank.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && leaving) { document.documentElement.classList.add("vg-leaving"); }
  });
})();
