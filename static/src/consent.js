/* consent-banner loader: the one file a portal includes.
 *
 *   <script src="/static/dist/consent.js" defer data-config='{"manifest": "/cookies.json"}'></script>
 *
 * It reads its own data-config, then in parallel: fetches the manifest, the Brython runtime
 * (brython.js), our start-up bundle (consent.brython.js) and the string bundle of each configured
 * language not in it (consent-lang-XX.js), all relative to its own URL. When these scripts have run and
 * the DOM is ready, it starts `banner.ui.boot.main()` with
 * __BRYTHON__.runPythonSource (never Brython's auto-start, which waits for window load, writes an
 * IndexedDB cache and runs text/python scripts injected later). Until then, clicks on
 * [data-consent-open] are remembered and replayed. If anything fails to load, nothing optional ever
 * runs: blocked scripts stay type="text/plain" and iframes have no src. `__consentBoot.load(name)`
 * fetches a lazily loaded bundle (consent-NAME.js) for the Python side.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.__consentBoot) { return; }              // included twice: the first one wins
  var base = me.src.replace(/[^\/]*([?#].*)?$/, "");
  var version = (me.src.match(/[?&]v=([^&#]*)/) || [])[1];
  var suffix = version ? "?v=" + version : "";
  var extraLanguages = /*EXTRA_LANGUAGES*/[];                  // filled in by tools/build.py
  var boot = window.__consentBoot = {
    config: me.getAttribute("data-config"), manifestText: null, pending: [], ready: false
  };

  function fail(what) {
    console.error("consent-banner: " + what + " — optional cookies stay refused.");
    boot.ready = true;                                          // stop holding clicks on the footer link
  }

  // Start the manifest download now, in parallel with the runtime; boot.py validates everything.
  var cfg = null;
  try {
    cfg = JSON.parse(boot.config || "null");
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
  css.href = base + "consent.css" + suffix;
  document.head.appendChild(css);

  function addScript(name, onload, onerror) {
    var s = document.createElement("script");
    s.src = base + name + suffix;
    s.async = false;                                            // parallel download, ordered execution
    if (me.nonce) { s.nonce = me.nonce; }
    s.onload = onload;
    s.onerror = function () { onerror("cannot load " + s.src); };
    document.head.appendChild(s);
  }

  var loading = {};
  boot.load = function (name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) { addScript("consent-" + name + ".js", resolve, reject); });
    }
    return loading[name];
  };

  var files = ["consent.brython.js"];
  if (!window.__BRYTHON__) { files.unshift("brython.js"); }    // reuse an engine the portal already runs
  ((cfg && cfg.languages) || []).forEach(function (code) {
    var primary = String(code).toLowerCase().split("-")[0];
    if (extraLanguages.indexOf(primary) >= 0 && files.indexOf("consent-lang-" + primary + ".js") < 0) {
      files.push("consent-lang-" + primary + ".js");
    }
  });
  var waiting = files.length;
  files.forEach(function (name) {
    addScript(name, function () { if (--waiting === 0) { whenDomReady(); } },
              function (what) { waiting = -1; fail(what); });
  });
})();
