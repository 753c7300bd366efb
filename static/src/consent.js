/* consent-banner loader: the one file a portal includes.
 *
 *   <script src="/static/dist/consent.js" defer data-config='{"manifest": "/cookies.json"}'></script>
 *
 * It reads its own data-config, then in parallel: fetches the manifest, the Brython runtime
 * (brython.js), our start-up bundle (consent.brython.js) and the string bundle of each configured
 * language not in it (consent-lang-XX.js), all relative to its own URL. When these scripts have run and
 * the DOM is ready, it imports the start-up modules and calls `banner.ui.boot.main()` through Brython's
 * import system (never Brython's auto-start, which waits for window load, writes an IndexedDB cache
 * and runs text/python scripts injected later). Our Python arrives compiled to JavaScript at build
 * time (banner/build.py): nothing is compiled in the page, and a bundle compiled for another runtime
 * build than the one running is refused. Until then, clicks on
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
  var extraLanguages = /*EXTRA_LANGUAGES*/[];                  // filled in by banner/build.py
  var runtime = /*RUNTIME*/"";                                  // the Brython build our bundles are compiled for
  var prerendered = /*PRERENDERED*/null;                        // banner/prerender.py: {key, content, trees}
  // Names and defaults shared with Python, written in by banner/loader_facts.py at build time.
  var facts = /*LOADER_FACTS*/{};
  var boot = window.__consentBoot = {
    config: me.getAttribute("data-config"), manifestText: null, pending: [], ready: false, nonce: me.nonce || "",
    roots: [],                                                 // consentBanner.apply() before start-up
    build: /*BUILD*/""                                          // banner/build.py: hash of the shipped code
  };

  // Until Python has started, or if it never does, the API answers "nothing optional is accepted";
  // boot.py replaces this stand-in. A call to showPreferences() meanwhile is honoured once ready.
  window.consentBanner = window.consentBanner || {
    version: /*VERSION*/"",                                     // banner.__version__, filled in by banner/build.py
    accepted: function () { return false; },
    show: function () {},
    showPreferences: function () { if (!boot.ready) { boot.pending.push(document.body); } },
    reset: function () {},
    // What is in the document at start-up is treated then; a shadow root is remembered for boot.py.
    apply: function (node) {
      if (!boot.ready && node && node.nodeType === 11 && node.host && boot.roots.indexOf(node) < 0) { boot.roots.push(node); }
    }
  };

  function fail(what) {
    console.error(facts.consolePrefix + what + facts.failClosed);
    boot.ready = true;                                          // stop holding clicks on the footer link
    var painted = document.querySelector("[" + facts.prerenderedAttr + "]");
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
    var link = !boot.ready && event.target.closest && event.target.closest(facts.openSelector);
    if (link) { event.preventDefault(); boot.pending.push(link); }
  }, true);

  // --- The first layer, painted ahead of Python on a first visit -------------------------------------
  // The tree was rendered at build time by banner/ui/notice.py for this exact data-config; it is shown
  // only when no choice is stored at all and no Global Privacy Control signal answers for the visitor.
  // Python replaces it with the identical live banner and replays the clicks recorded here.
  boot.actions = [];

  // The rules below restate Python's; tests/core/test_loader.py runs both on tests/core/shared_cases.json.
  function pickLanguage(languages, requested, htmlLang) {   // banner.i18n.pick_language
    if (requested && languages.indexOf(requested) >= 0) { return requested; }
    var lang = (htmlLang || "").trim().toLowerCase().replace(/_/g, "-"), primary = lang.split("-")[0];
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

  function fnv(text) {                                      // banner.fnv: base36(utf16(text))
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0; }
    return h.toString(36);
  }

  function configKey(cfg) {                                 // banner.loader_facts.config_key
    return JSON.stringify(facts.keyFields.map(function (field) {
      var value = field in cfg ? cfg[field] : (field in facts.keyDefaults ? facts.keyDefaults[field] : null);
      return field === "manifest" && typeof value !== "string" ? "#" + fnv(JSON.stringify(value)) : value;
    }));
  }

  function gpcAnswers(cfg, signal) {                        // banner.session.gpc_answers
    return signal === true && ("respectGPC" in cfg ? cfg.respectGPC : facts.respectGPC) !== false;
  }

  function consentCookiePresent(cookieText) {               // banner.cookies.parse_cookie_header
    return new RegExp("(^|;\\s*)" + facts.consentCookie + "=").test(cookieText);
  }

  function firstLayer() {
    if (!prerendered || !cfg || document.getElementById("cb-banner")) { return null; }
    if (!cfg.manifest || (typeof cfg.manifest !== "string" && typeof cfg.manifest !== "object")) { return null; }
    if (configKey(cfg) !== prerendered.key || gpcAnswers(cfg, navigator.globalPrivacyControl) ||
        consentCookiePresent(document.cookie)) { return null; }
    var lang = pickLanguage((cfg.languages || facts.defaultLanguages).map(function (c) { return String(c).toLowerCase(); }),
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
    banner.setAttribute(facts.prerenderedAttr, "");
    boot.paintedFor = prerendered.content;                      // Python replays clicks only for this content
    banner.addEventListener("click", function (event) {
      var target = event.target.closest("[" + facts.actionAttr + "], [" + facts.languageAttr + "]");
      if (target) {
        boot.actions.push(target.getAttribute(facts.actionAttr) ||
                          facts.languageAction + target.getAttribute(facts.languageAttr));
      }
    });
    document.body.insertBefore(banner, document.body.firstChild);
  }

  // Start-up modules, in dependency order and in chunks (banner/build.py): each chunk is evaluated in its
  // own task, so the page stays responsive between them.
  var startChunks = /*START_CHUNKS*/[];

  function nextTask(fn) {
    if (window.scheduler && scheduler.yield) { scheduler.yield().then(fn); return; }
    var channel = new MessageChannel();
    channel.port1.onmessage = function () { fn(); };
    channel.port2.postMessage(0);
  }

  // Imports go through Brython's own import system, which evaluates the precompiled JavaScript the
  // bundles registered: the compiler (runPythonSource, py2js) is never called.
  function importModule(name) {
    var B = window.__BRYTHON__;
    B.$__import__(name, B.builtins.None, B.builtins.None, []);
    return B.imported[name];
  }

  function describe(e) {                                        // a JS error or a Python exception
    if (e && e.__class__ && e.__class__.__name__) {
      var args = e.args && e.args[0] !== undefined ? ": " + e.args[0] : "";
      return e.__class__.__name__ + args;
    }
    return e && e.message || String(e);
  }

  function start() {
    var i = 0;
    (function step() {
      try {
        if (i < startChunks.length) {
          startChunks[i++].forEach(importModule);
          return nextTask(step);
        }
        var main = window.__BRYTHON__.$getattr(importModule("banner.ui.boot"), "main");
        window.__BRYTHON__.$call(main);
      } catch (e) {
        fail("start-up failed: " + describe(e));
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

  // The version and build of a Brython runtime: generated code calls its internals, so a bundle runs
  // only on the exact build it was compiled by.
  function runtimeOf(B) {
    return B && B.version_info && B.timestamp ? B.version_info.slice(0, 3).join(".") + "+" + B.timestamp : "none";
  }

  // Our brython.js (banner/build.py) hands us its evaluation in steps: each is evaluated in its own task,
  // so that no task of the runtime is long (evaluating it whole takes ~100 ms on a desktop CPU).
  // Bundles that arrive meanwhile wait for the whole runtime.
  var runtimeSteps = [], runtimeReady = Boolean(window.__BRYTHON__), queued = [];
  boot.runtimeSteps = function (steps) { runtimeSteps = steps; };

  function evaluateRuntime(done) {
    var i = 0;
    (function step() {
      try {
        if (i < runtimeSteps.length) {
          runtimeSteps[i++]();
          return nextTask(step);
        }
      } catch (e) {
        return fail("the Brython runtime failed to start: " + describe(e));
      }
      runtimeReady = true;
      queued.forEach(function (args) { register.apply(null, args); });
      queued = [];
      done();
    })();
  }

  // Each bundle (consent*.js, written by banner/build.py) calls this with the runtime it was compiled
  // for, empty VFS entries (so Brython's finder knows the modules) and their generated JavaScript.
  var refused = {};
  boot.bundle = function (madeFor, vfs, modules) {
    if (runtimeReady) { register(madeFor, vfs, modules); } else { queued.push([madeFor, vfs, modules]); }
  };

  function register(madeFor, vfs, modules) {
    var B = window.__BRYTHON__, names = Object.keys(vfs);
    if (madeFor !== runtime || runtimeOf(B) !== runtime) {
      refused[names[0]] = "a bundle compiled for Brython " + madeFor + " cannot run on Brython " + runtimeOf(B);
      return;
    }
    B.loadBrythonPackage(vfs);
    names.forEach(function (name) { B.precompiled[name] = B.calls_precompiled_functions ? modules[name] : asSource(modules[name]); });
  }

  // Modules arrive as functions, which our brython.js calls as they are (no eval: no 'unsafe-eval' in a
  // portal's CSP). A portal's own Brython of the same build evaluates strings: give it the function's body.
  function asSource(module) {
    if (Array.isArray(module)) { return [asSource(module[0])]; }           // a package
    var text = String(module);
    return text.slice(text.indexOf("{") + 1, text.lastIndexOf("}")) + "\n";   // Brython appends a return
  }

  function refusal() {
    for (var name in refused) { return refused[name]; }
    return null;
  }

  function addScript(name, onload, onerror) {
    var s = document.createElement("script");
    s.src = base + name + suffix;
    s.async = false;                                            // parallel download, ordered execution
    if (me.nonce) { s.nonce = me.nonce; }
    s.onload = function () { var why = refusal(); if (why) { onerror(why); } else { onload(); } };
    s.onerror = function () { onerror("cannot load " + s.src); };
    document.head.appendChild(s);
  }

  // Content added after start-up (banner/ui/watch.py): records are filtered here, natively, so Python
  // runs only for added nodes matching `selector` (in insertion order) or when nodes were removed, not
  // for every row a single-page portal renders. Returns the observer; Python picks what it observes.
  boot.observer = function (selector, callback) {
    return new MutationObserver(function (records) {
      var found = [], removed = false;
      records.forEach(function (record) {
        removed = removed || record.removedNodes.length > 0;
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) { return; }
          if (node.matches(selector)) { found.push(node); }
          node.querySelectorAll(selector).forEach(function (match) { found.push(match); });
        });
      });
      if (found.length || removed) { callback(found, removed); }
    });
  };

  var loading = {};
  boot.load = function (name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) { addScript("consent-" + name + ".js", resolve, reject); });
    }
    return loading[name];
  };

  // A second Brython engine on a page breaks both; the portal's own is reused only when it is the very
  // build our bundles are compiled for. Any other: fail closed before loading anything.
  if (window.__BRYTHON__ && runtimeOf(window.__BRYTHON__) !== runtime) {
    fail("this page already runs Brython " + runtimeOf(window.__BRYTHON__) + "; the banner needs Brython " + runtime);
    return;
  }
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

  function started() {
    var why = refusal();
    if (why) { fail(why); } else { whenDomReady(); }
  }

  afterFirstPaint(function () {
    var waiting = files.length;
    files.forEach(function (name) {
      addScript(name, function () { if (--waiting === 0) { evaluateRuntime(started); } },
                function (what) { if (waiting >= 0) { waiting = -1; fail(what); } });  // one error
    });
  });
})();
