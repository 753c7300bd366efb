/* Stands in for Google's gtag.js in the demo (no request leaves the machine): it shows that the tag
   ran, and what Consent Mode state the banner has pushed into dataLayer. */
(function () {
  var states = (window.dataLayer || []).filter(function (e) { return e && e[0] === "consent"; });
  var last = states.length ? states[states.length - 1][2] : {};
  var out = document.getElementById("gtag-status");
  if (out) { out.textContent = "chargées / loaded — analytics_storage=" + (last.analytics_storage || "?"); }
  window.__gtagStubRan = true;
})();
