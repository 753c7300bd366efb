/* consent-banner: Google Consent Mode's "default", and a stored choice's "update", before any Google tag runs.
 *
 *   <script src="/static/consent_banner/consent-mode.js" data-cb-consent-mode='{"default": {...}, "update": {...}}'></script>
 *
 * A server that writes consented tags into the page live (banner.django, per-visitor pages) writes this
 * tag before them, parser-blocking: the signals are banner/google.py's, computed by the server for the
 * visitor's standing decision. An external file, so that a Content-Security-Policy of 'self' and nonces
 * allows it. The banner's Python sends no second "default" after it (banner/ui/signals.py).
 */
(function () {
  "use strict";
  var me = document.currentScript, signals = null;
  try { signals = JSON.parse(me.getAttribute("data-cb-consent-mode")); } catch (e) { return; }
  if (!signals || !signals["default"]) { return; }
  window.dataLayer = window.dataLayer || [];
  if (typeof window.gtag !== "function") {
    window.gtag = function () { window.dataLayer.push(arguments); };
  }
  window.gtag("consent", "default", signals["default"]);
  if (signals.update) { window.gtag("consent", "update", signals.update); }
})();
