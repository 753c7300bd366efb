/* consent-banner loader: the one file a portal includes.
 *
 *   <script src="/static/dist/consent.js" defer data-config='{"manifest": "/cookies.json"}'></script>
 *
 * It reads its own data-config, then in parallel: fetches the manifest, the Brython runtime
 * (brython.js) and our Python package (consent.brython.js), all relative to its own URL. When both
 * scripts have run and the DOM is ready, it starts `banner.ui.boot.main()` with
 * __BRYTHON__.runPythonSource (never Brython's auto-start, which waits for window load, writes an
 * IndexedDB cache and runs text/python scripts injected later). Until then, clicks on
 * [data-consent-open] are remembered and replayed. If anything fails to load, nothing optional ever
 * runs: blocked scripts stay type="text/plain" and iframes have no src.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.__consentBoot) { return; }              // included twice: the first one wins
  var base = me.src.replace(/[^\/]*([?#].*)?$/, "");
  var version = (me.src.match(/[?&]v=([^&#]*)/) || [])[1];
  var boot = window.__consentBoot = {
    config: me.getAttribute("data-config"), manifestText: null, pending: [], ready: false
  };

  function fail(what) {
    console.error("consent-banner: " + what + " — optional cookies stay refused.");
    boot.ready = true;                                          // stop holding clicks on the footer link
  }

  // Start the manifest download now, in parallel with the runtime; boot.py validates everything.
  try {
    var cfg = JSON.parse(boot.config || "null");
    if (cfg && typeof cfg.manifest === "string" && /^(https?:|\/|\.|[^:]*$)/i.test(cfg.manifest.trim())) {
      boot.manifestText = fetch(new URL(cfg.manifest, document.baseURI), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : Promise.reject("HTTP " + r.status); });
      boot.manifestText.catch(function () {});                  // reported by boot.py, not as unhandled
    }
  } catch (e) { /* boot.py reports the bad JSON with its field */ }

  document.addEventListener("click", function (event) {
    var link = !boot.ready && event.target.closest && event.target.closest("[data-consent-open]");
    if (link) { event.preventDefault(); boot.pending.push(link); }
  }, true);

  function start() {
    try {
      __BRYTHON__.runPythonSource("from banner.ui import boot\nboot.main()", {id: "consent_banner"});
    } catch (e) {
      fail("start-up failed: " + (e && e.message || e));
    }
  }

  function whenDomReady() {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  var css = document.createElement("link");                  // one script tag is the whole integration
  css.rel = "stylesheet";
  css.href = base + "consent.css" + (version ? "?v=" + version : "");
  document.head.appendChild(css);

  var files = ["consent.brython.js"];
  if (!window.__BRYTHON__) { files.unshift("brython.js"); }    // reuse an engine the portal already runs
  var waiting = files.length;
  files.forEach(function (name) {
    var s = document.createElement("script");
    s.src = base + name + (version ? "?v=" + version : "");
    s.async = false;                                            // parallel download, ordered execution
    if (me.nonce) { s.nonce = me.nonce; }
    s.onload = function () { if (--waiting === 0) { whenDomReady(); } };
    s.onerror = function () { waiting = -1; fail("cannot load " + s.src); };
    document.head.appendChild(s);
  });
})();
