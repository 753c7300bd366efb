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
  var prerendered = /*PRERENDERED*/null;                        // tools/prerender.py: {key, trees}
  var boot = window.__consentBoot = {
    config: me.getAttribute("data-config"), manifestText: null, pending: [], ready: false, nonce: me.nonce || ""
  };

  // Until Python has started, or if it never does, the API answers "nothing optional is accepted";
  // boot.py replaces this stand-in. A call to showPreferences() meanwhile is honoured once ready.
  window.consentBanner = window.consentBanner || {
    accepted: function () { return false; },
    show: function () {},
    showPreferences: function () { if (!boot.ready) { boot.pending.push(document.body); } },
    reset: function () {}
  };

  function fail(what) {
    console.error("consent-banner: " + what + " — optional cookies stay refused.");
    boot.ready = true;                                          // stop holding clicks on the footer link
    var painted = document.querySelector("[data-cb-prerendered]");
    if (painted) { painted.remove(); }                          // its buttons could never act
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

  // --- The first layer, painted ahead of Python on a first visit -------------------------------------
  // The tree was rendered at build time by banner/ui/notice.py for this exact data-config; it is shown
  // only when no choice is stored at all and no Global Privacy Control signal answers for the visitor.
  // Python replaces it with the identical live banner and replays the clicks recorded here.
  boot.actions = [];

  function pickLanguage(languages, requested, htmlLang) {   // mirrors banner.i18n.pick_language
    if (requested && languages.indexOf(requested) >= 0) { return requested; }
    var lang = (htmlLang || "").trim().toLowerCase().replace("_", "-"), primary = lang.split("-")[0];
    if (languages.indexOf(lang) >= 0) { return lang; }
    if (languages.indexOf(primary) >= 0) { return primary; }
    for (var i = 0; i < languages.length; i++) {
      if (primary && languages[i].split("-")[0] === primary) { return languages[i]; }
    }
    return languages[0];
  }

  function mount(node) {                                    // data -> DOM; strings become text nodes
    if (typeof node === "string") { return document.createTextNode(node); }
    var el = document.createElement(node[0]);
    for (var key in node[1]) { el.setAttribute(key, node[1][key]); }
    node[2].forEach(function (child) { el.appendChild(mount(child)); });
    return el;
  }

  function fnv(text) {                                      // mirrors tools/prerender.py fnv1a_utf16
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0; }
    return h.toString(36);
  }

  function firstLayer() {
    if (!prerendered || !cfg || document.getElementById("cb-banner")) { return null; }
    if (!cfg.manifest || (typeof cfg.manifest !== "string" && typeof cfg.manifest !== "object")) { return null; }
    var manifest = typeof cfg.manifest === "string" ? cfg.manifest : "#" + fnv(JSON.stringify(cfg.manifest));
    var key = JSON.stringify([manifest, cfg.languages || ["fr"], cfg.language || null, cfg.policyUrl || null]);
    var gpc = navigator.globalPrivacyControl === true && cfg.respectGPC !== false;
    if (key !== prerendered.key || gpc || /(^|;\s*)cookies_preferences=/.test(document.cookie)) { return null; }
    var lang = pickLanguage((cfg.languages || ["fr"]).map(function (c) { return String(c).toLowerCase(); }),
                            cfg.language && String(cfg.language).toLowerCase(), document.documentElement.lang);
    return prerendered.trees[lang] || null;
  }

  function paint() {
    try { paintFirstLayer(); } catch (e) { /* never block the start: Python renders the banner anyway */ }
  }

  function paintFirstLayer() {
    var tree = !boot.ready && firstLayer();
    if (!tree || !document.body) { return; }
    var banner = mount(tree);
    banner.setAttribute("data-cb-prerendered", "");
    banner.addEventListener("click", function (event) {
      var target = event.target.closest("[data-cb-action], [data-cb-language]");
      if (target) {
        boot.actions.push(target.getAttribute("data-cb-action") || "language:" + target.getAttribute("data-cb-language"));
      }
    });
    document.body.insertBefore(banner, document.body.firstChild);
  }

  // Start-up modules, in dependency order and in chunks (tools/build.py): each chunk is compiled in its
  // own task, so the page stays responsive while Brython compiles our Python.
  var startChunks = /*START_CHUNKS*/[];

  function nextTask(fn) {
    if (window.scheduler && scheduler.yield) { scheduler.yield().then(fn); return; }
    var channel = new MessageChannel();
    channel.port1.onmessage = function () { fn(); };
    channel.port2.postMessage(0);
  }

  function start() {
    var i = 0;
    (function step() {
      try {
        if (i < startChunks.length) {
          var chunk = startChunks[i];
          __BRYTHON__.runPythonSource(chunk.map(function (m) { return "import " + m; }).join("\n"),
                                      {id: "consent_start_" + i++});
          return nextTask(step);
        }
        __BRYTHON__.runPythonSource("from banner.ui import boot\nboot.main()", {id: "consent_banner"});
      } catch (e) {
        fail("start-up failed: " + (e && e.message || e));
      }
    })();
  }

  function whenDomReady() {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  // The stylesheet loads as media="print" (never render-blocking for the portal's own first paint) and
  // switches to all media when it is in; the painted banner and then the runtime follow it.
  var cssSettled = [];
  var css = document.createElement("link");                  // one script tag is the whole integration
  css.rel = "stylesheet";
  css.media = "print";
  css.href = base + "consent.css" + suffix;
  css.onload = css.onerror = function () {
    css.onload = css.onerror = null;                          // Firefox and WebKit fire "load" again once
    css.media = "all";                                        // the media switches to all: start up once
    var waiting = cssSettled;
    cssSettled = null;
    waiting.forEach(function (fn) { fn(); });                  // the runtime starts whatever paint() does
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", paint); } else { paint(); }
  };
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
  (cfg && Array.isArray(cfg.languages) ? cfg.languages : []).forEach(function (code) {  // boot.py reports bad ones
    var primary = String(code).toLowerCase().split("-")[0];
    if (extraLanguages.indexOf(primary) >= 0 && files.indexOf("consent-lang-" + primary + ".js") < 0) {
      files.push("consent-lang-" + primary + ".js");
    }
  });
  // Download everything now, but evaluate the runtime only once the page (and the prerendered banner)
  // has painted: evaluating brython.js is a long main-thread task, and before the first frame it would
  // delay the portal's own first contentful paint and the banner.
  files.forEach(function (name) {
    var hint = document.createElement("link");
    hint.rel = "preload";
    hint.as = "script";
    hint.href = base + name + suffix;
    if (me.nonce) { hint.nonce = me.nonce; }
    document.head.appendChild(hint);
  });

  function afterFirstPaint(fn) {
    if (document.visibilityState === "hidden") { setTimeout(fn, 0); return; }  // no frames in a hidden tab
    var next = function () { requestAnimationFrame(function () { setTimeout(fn, 0); }); };  // after a paint
    if (cssSettled) { cssSettled.push(next); } else { next(); }  // and after the painted banner, if any
  }

  afterFirstPaint(function () {
    var waiting = files.length;
    files.forEach(function (name) {
      addScript(name, function () { if (--waiting === 0) { whenDomReady(); } },
                function (what) { waiting = -1; fail(what); });
    });
  });
})();
