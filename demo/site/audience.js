/* The demo's exempt audience measurement, as a portal tags Matomo: its configuration queued in _paq, then
   the tracker (here matomo-style.js, which sends its hits to the portal itself). A badge shows it ran. */
(function () {
  var _paq = window._paq = window._paq || [];
  _paq.push(["setTrackerUrl", "/matomo.php"]);
  _paq.push(["setSiteId", "1"]);
  _paq.push(["trackPageView"]);
  var badge = document.getElementById("audience-status");
  if (badge) {
    badge.textContent = badge.getAttribute("data-on");
    badge.className = "badge badge--on";
  }
})();
