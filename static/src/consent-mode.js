/* consent-banner: Google Consent Mode's "default", a stored choice's "update", and the vendor signals, before
 * any tag runs.
 *
 *   <script src="/static/consent_banner/consent-mode.js"
 *           data-cb-consent-mode='{"default": {...}, "update": {...}, "vendors": [...]}'></script>
 *
 * A server that writes tags into the page (banner.django) writes this tag before them, parser-blocking:
 * the signals are banner/google.py's and banner/vendors.py's, computed by the server for the visitor's
 * standing decision (on a page shared by every visitor, only what holds before any choice). An external
 * file, so that a Content-Security-Policy of 'self' and nonces allows it. The banner's Python sends no
 * second Google "default" after it (banner/ui/signals.py).
 */
(function () {
  "use strict";
  var me = document.currentScript, signals = null;
  try { signals = JSON.parse(me.getAttribute("data-cb-consent-mode")); } catch (e) { return; }
  if (!signals) { return; }
  if (signals.vendors) {
    (/*SIGNALS*/null)(signals.vendors, function (message) { console.error(/*CONSOLE_PREFIX*/"" + message); });
  }
  if (!signals["default"]) { return; }
  window.dataLayer = window.dataLayer || [];
  if (typeof window.gtag !== "function") {
    window.gtag = function () { window.dataLayer.push(arguments); };
  }
  window.gtag("consent", "default", signals["default"]);
  if (signals.update) { window.gtag("consent", "update", signals.update); }
})();
