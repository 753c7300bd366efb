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
 * time (tools/release.py): nothing is compiled in the page, and a bundle compiled for another runtime
 * build than the one running is refused. Until then, clicks on
 * [data-consent-open] are remembered and replayed. If anything fails to load, nothing optional ever
 * runs: blocked scripts stay type="text/plain" and iframes have no src (except, on a return visit, the
 * scripts a stored choice accepted, which the early path below may already have run before the runtime
 * loaded, as Python would have). `__consentBoot.load(name)`
 * fetches a lazily loaded bundle (consent-NAME.js) for the Python side.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) {                                                // a module import or a bundle: no tag, no data-config
    console.error("consent-banner: consent.js does nothing when imported or bundled: load it with its own tag, " +
                  "<script src=\".../consent.js\" defer data-config='{...}'>, next to brython.js and the bundles");
    return;
  }
  // included twice: the first one wins (an element with that id or name is the page's, not a loader)
  if (window.__consentBoot && Object.getPrototypeOf(window.__consentBoot) === Object.prototype) { return; }
  var base = me.src.replace(/[^\/]*([?#].*)?$/, "");
  var version = (me.src.match(/[?&]v=([^&#]*)/) || [])[1];
  var suffix = version ? "?v=" + version : "";
  var extraLanguages = /*EXTRA_LANGUAGES*/[];                  // filled in by tools/release.py
  var runtime = /*RUNTIME*/"";                                  // the Brython build our bundles are compiled for
  var prerendered = /*PRERENDERED*/null;                        // banner/server/prerender.py: {key, content, trees}
  // Names and defaults shared with Python, written in by banner/server/loader_facts.py at build time.
  var facts = /*LOADER_FACTS*/{};
  // The hand-off with Python, declared whole here; banner/ui/page.py's HANDOFF says what each name holds,
  // and tests/core/test_handoff.py keeps the two lists equal. The functions are filled in below, each by
  // the part of the loader that does that job.
  var boot = window.__consentBoot = {
    config: me.getAttribute("data-config"), manifestText: null, pending: [], roots: [], ready: false,
    later: null,                                                // start-up's steps (banner/ui/boot.py)
    nonce: me.nonce || "", build: /*BUILD*/"",                  // tools/release.py: hash of the shipped code
    actions: [], paintedFor: null, layer: null,                 // the painted first layer and its clicks
    ran: [], afterEarly: null,                                  // the early path
    announce: null, otherTab: null,                             // other tabs
    signal: null, observer: null, load: null, opening: null,    // services for Python (banner/ui/page.py)
    hash: null,                                                 // the core's FNV-1a, native (rules.js)
    openLink: null,                                             // the footer link's clicks, once ready
    runtimeSteps: null, bundle: null                            // the runtime's and the bundles' side
  };

  // The one first layer shown ahead of Python whose clicks count, and that Python takes over: the one the
  // server wrote with this very tag, just before it ({% consent_banner %}, banner.django), or the one
  // painted below (put). Never another element carrying its marks: the page's content can carry any
  // data-* attribute (a contributor's HTML kept by a sanitizer), and a click on it is no choice.
  var sibling = me.previousElementSibling;
  if (sibling && sibling.hasAttribute(facts.prerenderedAttr)) { boot.layer = sibling; }

  // Vendor signals (banner/vendors.py) on the tools' globals: static/src/signals.js, put in by tools/release.py.
  var runSignals = /*SIGNALS*/null;
  boot.signal = function (signals) {                          // banner/ui/page.py: Page.signal
    runSignals(signals, function (message) { console.error(facts.consolePrefix + message); });
  };

  // Until Python has started, or if it never does, the API answers "nothing optional is accepted";
  // boot.py replaces this stand-in. A call to showPreferences() meanwhile is honoured once ready.
  window.consentBanner = window.consentBanner || {
    version: /*VERSION*/"",                                     // banner.__version__, filled in by tools/release.py
    accepted: function () { return false; },
    show: function () {},
    showPreferences: function () { if (!boot.ready) { boot.pending.push(document.body); } },
    reset: function () {},
    // What is in the document at start-up is treated then; a shadow root is remembered for boot.py.
    apply: function (node) {
      if (!boot.ready && node && node.nodeType === 11 && node.host && boot.roots.indexOf(node) < 0) { boot.roots.push(node); }
    },
    // Python's once it has started (banner/ui/boot.py); resolved at once when the banner failed closed.
    settled: function () {
      var standIn = window.consentBanner;
      return new Promise(function (resolve) {
        (function wait() {
          if (window.consentBanner !== standIn) { window.consentBanner.settled().then(resolve); }
          else if (boot.ready) { resolve(true); }
          else { setTimeout(wait, 20); }
        })();
      });
    }
  };

  function fail(what) {
    // as banner/errors.py fail_closed: a return visit's consented scripts may have run already (early path)
    var ran = boot.ran.filter(function (category, i) { return boot.ran.indexOf(category) === i; });
    console.error(facts.consolePrefix + what + (ran.length ? facts.failAfterEarly + ran.join(", ") + "." : facts.failClosed));
    boot.ready = true;                                          // stop holding clicks on the footer link
    opening(false);
    var painted = boot.layer;
    // its buttons could never act, unless the server wrote them as a form's (they post to it again)
    if (painted && !painted.querySelector("[form]")) { painted.remove(); }
  }

  // A server that never answers would leave the banner waiting for good, with nothing in the console: one
  // that has not started answering after this long fails closed (boot.py reports it). Only the wait for
  // the answer's start counts, so a large manifest on a slow network still arrives.
  var MANIFEST_ANSWER_MS = 10000;
  function fetchManifest(url) {
    var controller = window.AbortController ? new AbortController() : null, late = false;
    var timer = controller && setTimeout(function () { late = true; controller.abort(); }, MANIFEST_ANSWER_MS);
    return fetch(url, {credentials: "same-origin", signal: controller ? controller.signal : undefined}).then(
      function (r) { clearTimeout(timer); return r.ok ? r.text() : Promise.reject("HTTP " + r.status); },
      function (e) {
        clearTimeout(timer);
        return Promise.reject(late ? "no answer after " + MANIFEST_ANSWER_MS / 1000 + " s" : e);
      });
  }

  // Start the manifest download now, in parallel with the runtime; boot.py validates everything.
  var cfg = null;
  try {
    cfg = JSON.parse(boot.config || "null");
    if (cfg && typeof cfg.manifest === "string" && /^(https?:|\/|\.|[^:]*$)/i.test(cfg.manifest.trim())) {
      boot.manifestText = fetchManifest(new URL(cfg.manifest, document.baseURI));
      boot.manifestText.catch(function () {});                  // reported by boot.py, not as unhandled
    }
  } catch (e) { /* boot.py reports the bad JSON with its field */ }

  // --- "theme": "auto" follows the page -------------------------------------------------------------------
  // consent.css colours every root of ours carrying data-cb-theme="auto" from data-cb-scheme on <html>, kept
  // here: DSFR's resolved theme (data-fr-theme on <html>, which DSFR's JavaScript sets from the page's
  // data-fr-scheme and the system), else the portal's dark class (data-config "darkClass") on <html> or <body>, else its color-scheme
  // (CSS or <meta>), else, when the portal names a dark class, light (it would be there), and only then
  // the visitor's system. Set before anything is painted, followed as the page or the system switches.
  function pageScheme(darkClass) {
    var root = document.documentElement, body = document.body, dsfr = root.getAttribute("data-fr-theme");
    if (dsfr === "dark" || dsfr === "light") { return dsfr; }
    if (darkClass && (root.classList.contains(darkClass) || (body && body.classList.contains(darkClass)))) { return "dark"; }
    var meta = document.querySelector("meta[name=color-scheme]");
    var said = [getComputedStyle(root).colorScheme, body && getComputedStyle(body).colorScheme, meta && meta.content];
    for (var i = 0; i < said.length; i++) {
      var words = String(said[i] || "").split(/\s+/), dark = words.indexOf("dark") >= 0, light = words.indexOf("light") >= 0;
      if (dark !== light) { return dark ? "dark" : "light"; }
    }
    if (darkClass) { return "light"; }
    return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function followScheme(darkClass) {
    var root = document.documentElement;
    var update = function () {
      var scheme = pageScheme(typeof darkClass === "string" ? darkClass : "");
      if (root.getAttribute("data-cb-scheme") !== scheme) { root.setAttribute("data-cb-scheme", scheme); }
    };
    var watch = new MutationObserver(update), options = {attributes: true, attributeFilter: ["class", "style", "data-fr-theme"]};
    watch.observe(root, options);
    var watchBody = function () { if (document.body) { watch.observe(document.body, options); } update(); };
    if (document.body) { watchBody(); } else { document.addEventListener("DOMContentLoaded", watchBody); }
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", update);
    window.addEventListener("load", update);                    // the portal's late stylesheets
    update();
  }
  if (cfg && cfg.theme === "auto") {
    try { followScheme(cfg.darkClass); } catch (e) { /* an old browser: the light colours stay */ }
  }

  // The footer link ("Gestion des cookies", [data-consent-open]), found here for every click of the page,
  // natively, in the capture phase (before a single-page router sees it): held until Python is ready,
  // then handed to it (boot.openLink). No Python runs for the page's other clicks.
  document.addEventListener("click", function (event) {
    var link = footerLink(event);
    if (!link || (boot.ready && !boot.openLink)) { return; }    // failed closed: the link does what it does
    event.preventDefault();
    if (boot.ready) { boot.openLink(link); } else { boot.pending.push(link); opening(true); }
  }, true);

  // The first footer link along the event's path, inside open shadow roots too (where event.target is
  // retargeted to the host).
  function footerLink(event) {
    var path = event.composedPath ? event.composedPath() : [event.target];
    for (var i = 0; i < path.length; i++) {
      if (path[i] && path[i].nodeType === 1 && path[i].matches(facts.openSelector)) { return path[i]; }
    }
    return null;
  }

  // The preferences centre asked for before its code is in (the footer link, « Personnaliser »): in the
  // click's own frame a veil says it is on its way (consent.css). The one drawing of it: Python shows it
  // too while the extra bundle downloads, and lifts it as the centre opens or when it cannot, through
  // boot.opening (banner/ui/page.py: Page.opening). The veil covers the page, so the visitor can always
  // take the page back (Escape, a click on the veil) when the wait is long (a slow network, a server that
  // never answers): the centre asked for then does not open, and lifting the veil answers false.
  var veilDismissed = false;
  function opening(on) {
    var veil = document.querySelector("[" + facts.openingAttr + "]");
    if (!on) {
      if (veil) { veil.remove(); }
      var wanted = !veilDismissed;
      veilDismissed = false;
      return wanted;
    }
    veilDismissed = false;
    if (veil || !document.body) { return true; }
    veil = document.createElement("div");
    veil.className = "cb-opening";
    veil.setAttribute(facts.openingAttr, "");
    veil.setAttribute("aria-hidden", "true");
    veil.addEventListener("click", dismissVeil);
    document.body.appendChild(veil);
    return true;
  }
  function dismissVeil() {
    var veil = document.querySelector("[" + facts.openingAttr + "]");
    if (!veil) { return; }
    veil.remove();
    veilDismissed = true;
    boot.pending.length = 0;                                    // the footer clicks held meanwhile, too
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { dismissVeil(); }
  }, true);
  boot.opening = opening;

  // --- The first layer, painted ahead of Python on a first visit -------------------------------------
  // The tree was rendered at build time by banner/ui/notice.py for this exact data-config; it is shown
  // only when no choice is stored at all and no Global Privacy Control signal answers for the visitor.
  // Python replaces it with the identical live banner and replays the clicks recorded here.

  // pickLanguage, configKey, gpcAnswers, consentCookiePresent: Python's rules, in static/src/rules.js.
  function mount(node) {                                    // data -> DOM; strings become text nodes
    if (typeof node === "string") { return document.createTextNode(node); }
    var el = document.createElement(node[0]);
    for (var key in node[1]) { el.setAttribute(key, node[1][key]); }
    node[2].forEach(function (child) { el.appendChild(mount(child)); });
    return el;
  }

  function firstLayer() {
    if (!prerendered || !cfg || carried || document.getElementById("cb-banner")) { return null; }
    if (!cfg.manifest || (typeof cfg.manifest !== "string" && typeof cfg.manifest !== "object")) { return null; }
    if (configKey(cfg) !== prerendered.key || gpcAnswers(cfg, navigator.globalPrivacyControl) ||
        consentCookiePresent(document.cookie)) { return null; }
    var lang = pickLanguage((cfg.languages || facts.defaultLanguages).map(function (c) { return String(c).toLowerCase(); }),
                            cfg.language && String(cfg.language).toLowerCase(), document.documentElement.lang);
    return prerendered.trees[lang] || null;
  }

  // The painted banner in three short tasks, none of them the frame's: whether to paint (a cookie read,
  // the config's key), its nodes, then their insertion at the next animation frame, laid out with the
  // page. Any failure only leaves the banner to Python, which renders it anyway. Either way, what waits
  // for the first frame (the downloads) goes on after it.
  function paint() {
    nextTask(function () {
      var tree = null;
      try { tree = !boot.ready && firstLayer(); } catch (e) { tree = null; }
      if (!tree) { return framed(false); }
      nextTask(function () {
        var banner = null;
        try { banner = mount(tree); } catch (e) { return framed(false); }
        var putBanner = function () {
          try { put(banner); } catch (e) { /* Python renders the banner */ }
          framed(true);
        };
        if (document.visibilityState === "hidden") { putBanner(); } else { requestAnimationFrame(putBanner); }
      });
    });
  }

  // What waits for the page's first frame, with the painted banner in it when there is one.
  var onFirstFrame = [];
  function firstFrame(fn) {
    if (onFirstFrame) { onFirstFrame.push(fn); } else { fn(); }
  }

  // inFrame: called from the banner's animation-frame callback, so a timeout runs once that frame is
  // painted; otherwise wait for the next frame first. A hidden tab has no frames.
  function framed(inFrame) {
    var run = function () {
      var waiting = onFirstFrame || [];
      onFirstFrame = null;
      waiting.forEach(function (fn) { fn(); });
    };
    if (inFrame || document.visibilityState === "hidden") { setTimeout(run, 0); return; }
    requestAnimationFrame(function () { setTimeout(run, 0); });
  }

  function put(banner) {
    if (!banner || boot.ready || !document.body || document.getElementById("cb-banner")) { return; }
    banner.setAttribute(facts.prerenderedAttr, "");
    boot.layer = banner;
    boot.paintedFor = prerendered.content;                      // Python replays clicks only for this content
    document.body.insertBefore(banner, document.body.firstChild);
  }

  // Clicks on the first layer shown ahead of Python (boot.layer: the one painted above, or the server's,
  // which names the manifest content it shows), until Python takes its place (and unmarks it); Python
  // replays them only when its live manifest has that same content.
  document.addEventListener("click", function (event) {
    var layer = !boot.ready && boot.layer, target = event.target;
    target = layer && layer.hasAttribute(facts.prerenderedAttr) && target.closest &&
      target.closest("[" + facts.actionAttr + "], [" + facts.languageAttr + "]");
    if (!target || !layer.contains(target)) { return; }
    if (target.type === "submit") { event.preventDefault(); }   // a server's form: Python decides it here
    if (layer.hasAttribute(facts.contentAttr)) { boot.paintedFor = layer.getAttribute(facts.contentAttr); }
    var action = target.getAttribute(facts.actionAttr) || facts.languageAction + target.getAttribute(facts.languageAttr);
    boot.actions.push(action);
    if (facts.decisions.indexOf(action) >= 0) {
      keep(action);
      if (layer.contains(document.activeElement)) { document.activeElement.blur(); }
      layer.setAttribute(facts.pendingAttr, "");              // consent.css: gone in this very frame
    } else if (action === "customise" || action === "providers") {
      opening(true);
    }
  });

  // --- A decision clicked before Python runs ---------------------------------------------------------
  // The painted layer leaves at once (above), and the choice is kept in localStorage for Python: this
  // page's, or, should the visitor leave before it starts (another page, or the tab closed on a slow
  // network), the next page's of the site, in any tab, which writes it as if it had been clicked on its
  // own banner (banner/ui/startup.py: replay; the painted content it was clicked on must be the live
  // manifest's, and no valid choice may be stored by then). The loader never acts on it: no cookie is
  // written and nothing optional runs until Python has decided. A kept choice older than
  // facts.pendingMaxAgeMs allows for its action is ignored (and removed by the next page's Python).
  function keep(action) {
    try {
      localStorage.setItem(facts.pendingKey, JSON.stringify({action: action, content: boot.paintedFor || null,
                                                                at: Date.now()}));
    } catch (e) { /* no storage: this page's Python still replays the click */ }
  }

  function keptChoice() {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(facts.pendingKey) || "null"); } catch (e) { return null; }
    var age = kept && Date.now() - kept.at;
    if (!kept || facts.decisions.indexOf(kept.action) < 0 || typeof kept.content !== "string" ||
        !(age >= 0 && age <= facts.pendingMaxAgeMs[kept.action])) { return null; }
    return kept;
  }

  var carried = keptChoice();                                  // from an earlier page of the site
  if (carried) {
    boot.actions.push(carried.action);
    boot.paintedFor = carried.content;
    if (boot.layer) { boot.layer.setAttribute(facts.pendingAttr, ""); }   // the server's: hidden too
  }

  // --- Other tabs, and pages restored from the back/forward cache ------------------------------------
  // A decision made in another tab of the site must reach this page within a second, hidden or not: each
  // decision is announced on a BroadcastChannel (banner/ui/page.py), which every tab of the site hears.
  // Python re-reads the cookie then (App.resync: a withdrawal of what ran reloads); before Python has
  // started, a page whose loader already ran consented scripts reloads, and Python starts afresh.
  // A page restored from the back/forward cache slept through any decision: if the stored choice changed
  // meanwhile, it reloads at once, in the restore's own `pageshow`, before the page's other listeners of
  // it (ours is a capturing one) and its `visibilitychange` ones can send anything.
  // The announcement carries the choice as the deciding tab stored it: this tab's view of the cookie jar
  // can lag behind the message (Chromium writes cookies and carries messages on separate channels), so it
  // acts once its own document.cookie shows that choice, or after SETTLE_MS whatever it shows.
  var SETTLE_MS = 1000, SETTLE_STEP_MS = 20;
  function heard(expected, waited) {
    if (storedChoice() !== expected && waited < SETTLE_MS) {
      setTimeout(function () { heard(expected, waited + SETTLE_STEP_MS); }, SETTLE_STEP_MS);
    } else if (boot.otherTab) {
      boot.otherTab();
    } else if (boot.ran.length) {
      location.reload();
    }
  }
  var channel = null;                                       // no BroadcastChannel: focus and load still re-read
  try {
    channel = new BroadcastChannel(facts.channelName);
    channel.onmessage = function (event) { heard(String(event.data), 0); };
  } catch (e) { channel = null; }
  boot.announce = function () {                             // banner/ui/page.py, after each decision
    if (channel) { channel.postMessage(storedChoice()); }
  };

  function storedChoice() {
    return cookiePairs(document.cookie).filter(function (p) { return p[0] === facts.consentCookie; })
      .map(function (p) { return p[1]; }).join(";");
  }
  // WebKit fires the restored page's visibilitychange before its pageshow: either one may come first.
  var choiceAtHide = null, restoring = false;
  function staleOnRestore(event) {
    if (!restoring && choiceAtHide !== null && storedChoice() !== choiceAtHide) {
      restoring = true;
      location.reload();
    }
    if (restoring) { event.stopImmediatePropagation(); }
  }
  window.addEventListener("pagehide", function (event) { if (event.persisted) { choiceAtHide = storedChoice(); } }, true);
  window.addEventListener("pageshow", function (event) {      // WebKit may say persisted: false here
    staleOnRestore(event);
    if (!restoring) { choiceAtHide = null; }
  }, true);
  document.addEventListener("visibilitychange", staleOnRestore, true);

  // --- The early path: a return visit runs consented scripts before Python ---------------------------
  // On a page built for its own data-config (tools/release.py writes `prerendered.early`), a stored choice
  // that Python will accept runs the blocked scripts of its categories at once, as banner/ui/scripts.py
  // runs them and with its mark, so that Python's queue never runs them again. Each rule below restates
  // Python's and is checked against it on shared cases (tests/core/test_loader_facts.py); in any doubt
  // (another data-config or manifest than the build's, a choice expiring soon, a URL it cannot judge,
  // something Python would clear first) the loader does nothing and Python does everything, as before.
  var earlyBusy = false, earlyThen = null;
  boot.afterEarly = function (then) {                       // banner/ui/page.py: Python's queue waits
    if (!earlyBusy) { return false; }
    earlyThen = then;
    return true;
  };

  /*RULES*/
  boot.hash = fnvPoints;

  function storageKeys(area) {                              // banner.ui.page.Page.storage_keys
    try {
      var store = window[area], keys = [];
      for (var i = 0; i < store.length; i++) { keys.push(store.key(i)); }
      return keys;
    } catch (e) { return []; }
  }

  function liveCopy(old) {                                  // banner.ui.scripts._live_copy
    var copy = document.createElement("script");
    for (var i = 0; i < old.attributes.length; i++) {
      var attr = old.attributes.item(i);
      if (facts.skippedAttributes.indexOf(attr.name) < 0) { copy.setAttribute(attr.name, attr.value); }
    }
    if (old.getAttribute(facts.typeAttr)) { copy.setAttribute("type", old.getAttribute(facts.typeAttr)); }
    if (old.nonce || boot.nonce) { copy.nonce = old.nonce || boot.nonce; }
    return copy;
  }

  function runQueue(queue) {                                // banner.ui.scripts.Scripts.step
    while (queue.length) {
      var old = queue.shift();
      if (!old.isConnected) { old.removeAttribute(facts.ranAttr); continue; }
      var copy = liveCopy(old), src = old.getAttribute(facts.srcAttr);
      if (src === null) {
        copy.textContent = old.textContent;
        old.after(copy);                                        // an inline script runs here
        continue;
      }
      copy.addEventListener("load", function () { runQueue(queue); });
      copy.addEventListener("error", function () { runQueue(queue); });
      copy.src = src;
      old.after(copy);
      return;                                                   // the next one waits for this one
    }
    earlyBusy = false;
    var then = earlyThen;
    earlyThen = null;
    if (then) { then(); }
  }

  function runEarly(early) {
    if (boot.ready || earlyBusy) { return; }                   // Python (or a failure) came first
    early.entries.forEach(function (e) { if (e[3] !== null) { new RegExp(e[3]); } });  // else Python fails closed
    var cookieText = document.cookie;                          // one read: each is a round trip
    var plan = earlyPlan(cookieText, early, Date.now(), gpcAnswers(cfg, navigator.globalPrivacyControl));
    if (!plan) { return; }
    var test = function (pattern, name) { return new RegExp(pattern).test(name); };
    var present = {cookie: function () { return cookiePairs(cookieText).map(function (p) { return p[0]; }); },
                   local: function () { return storageKeys("localStorage"); },
                   session: function () { return storageKeys("sessionStorage"); }};
    for (var storage in present) {                             // Python clears those first: let it
      // the first read of localStorage or sessionStorage loads the area (0.5-4.6 ms measured on the Django
      // benchmark page's return visit, ahead of the consented scripts): only where the manifest keeps something
      if (declares(early, storage) && namesToClear(early, plan.run, present[storage](), storage, test).length) { return; }
    }
    if (early.vendors) {                                       // banner.vendors' signals, worked out at build
      var now = plan.run.concat(plan.wait);
      boot.signal([].concat.apply([], early.vendors.map(function (v) {
        return v[1].concat(now.indexOf(v[0]) >= 0 ? v[2] : v[3]);
      })));
    }
    var queue = [];
    earlyWalk(document.querySelectorAll(earlySelector()), early, plan, queue);
    earlyBusy = queue.length > 0;
    runQueue(queue);
  }

  function earlySelector() { return facts.pendingScripts + ", " + facts.blockSelector; }

  // Blocked scripts and the blocks the server sent closed (banner/ui/blocks.py), in document order: a
  // script is queued or skipped, a block of a category to run is opened in place (banner.ui.blocks.open_block)
  // and what it held is walked next. False once a verdict stops the walk: the rest is Python's.
  function earlyWalk(nodes, early, plan, queue) {
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i], category = node.getAttribute(facts.categoryAttr), verdict;
      if (node.localName === "template") {
        // a block of a category with a mask: whose content it holds is Python's to judge
        verdict = plan.wait.indexOf(category) >= 0 || category in plan.masks ? "stop" :
          plan.run.indexOf(category) >= 0 ? "run" : "skip";
        if (verdict === "run") {
          var inner = node.content.querySelectorAll(earlySelector());
          node.replaceWith(node.content);
          boot.ran.push(category);
          if (!earlyWalk(inner, early, plan, queue)) { return false; }
        }
      } else {
        verdict = scriptVerdict(early, plan, category, node.getAttribute(facts.providerAttr),
                                node.getAttribute(facts.srcAttr), location.hostname);
        if (verdict === "run") {
          node.setAttribute(facts.ranAttr, "");
          queue.push(node);
          boot.ran.push(category);
        }
      }
      if (verdict === "stop") { return false; }
    }
    return true;
  }

  // The early data comes from the server that wrote the loader's tag (banner.django: loader_facts.early for
  // the very data-config it wrote there), else with the build's prerender.
  function earlyData() {
    var given = me.getAttribute(facts.earlyAttr);
    if (given) { return JSON.parse(given); }
    return prerendered && prerendered.early;
  }

  function startEarly() {
    var early = earlyData();
    // no stored choice (a first visit): nothing to run, and no hashing of data-config (milliseconds)
    if (!early || !cfg || !consentCookiePresent(document.cookie) || fnv(JSON.stringify(cfg)) !== early.config) { return; }
    var go = function () {
      var parsed = function () { try { runEarly(early); } catch (e) { /* Python runs them */ } };
      whenParsed(parsed);
    };
    if (early.manifest === null) { return go(); }             // inline: data-config holds it, and matched
    if (typeof cfg.manifest !== "string" || !boot.manifestText) { return; }
    boot.manifestText.then(function (text) { if (fnv(text) === early.manifest) { go(); } }, function () {});
  }
  // Whether a choice is stored is read from document.cookie, a synchronous round trip to the browser's
  // cookie store (4-13 ms measured on a first read). A `defer` loader (the static integration) is
  // evaluated in the task the page's parser and its DOMContentLoaded share: the read goes to a task of
  // its own. An `async` one (the Django tag) already has a task of its own: it reads at once, so that a
  // return visit opens its consented blocks before the page's first frame rather than after it (the
  // Django benchmark page's tag went live 3-14 ms later behind that frame).
  var earlyPath = function () { try { startEarly(); } catch (e) { /* Python runs them */ } };
  if (me.async) { earlyPath(); } else { nextTask(earlyPath); }

  // Start-up modules, in dependency order and in chunks (tools/release.py): each chunk is evaluated in its
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

  // Python's start-up (banner/ui/boot.py) goes on in tasks of its own too, through boot.later.
  boot.later = nextTask;

  // run(item) for each item, one task each (never in the caller's task), then done(); the first item that
  // throws fails closed with `what` and stops there.
  function inTasks(items, run, what, done) {
    var i = 0;
    nextTask(function step() {
      if (i < items.length) {
        try { run(items[i++]); } catch (e) { return fail(what + describe(e)); }
        return nextTask(step);
      }
      done();
    });
  }

  function start() {
    inTasks(startChunks, function (chunk) { chunk.forEach(importModule); }, "start-up failed: ", function () {
      try {
        var main = window.__BRYTHON__.$getattr(importModule("banner.ui.boot"), "main");
        window.__BRYTHON__.$call(main);
      } catch (e) {
        fail("start-up failed: " + describe(e));
      }
    });
  }

  // Our styles (static/src/consent.css) are in this file, written in by tools/release.py, and adopted as a
  // constructed stylesheet: no request to wait for, nothing render-blocking, and no style-src
  // 'unsafe-inline' (CSP does not govern constructed sheets). Parsing them and restyling the page for
  // them is a task of its own, not this file's evaluation, which the parser's end and DOMContentLoaded
  // share. The painted banner then goes in at the page's next frame, laid out with the page (one layout,
  // not a second one when a stylesheet arrives).
  // Browsers without constructed sheets load consent.css as media="print" (never render-blocking) and
  // switch it to all media once it is in; the painted banner and then the runtime follow it.
  var styles = /*STYLES*/"";
  nextTask(function () {
    if (adoptStyles()) {
      whenParsed(paint);
      return;
    }
    var css = document.createElement("link");                // one script tag is the whole integration
    css.rel = "stylesheet";
    css.media = "print";
    css.href = base + "consent.css" + suffix;
    css.onload = css.onerror = function () {
      css.onload = css.onerror = null;                        // Firefox and WebKit fire "load" again once
      css.media = "all";                                      // the media switches to all: start up once
      whenParsed(function () { styled(css, 0); });
    };
    document.head.appendChild(css);
  });

  function adoptStyles() {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(styles);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      return true;
    } catch (e) { return false; }                              // an older browser: consent.css instead
  }

  function whenParsed(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  // WebKit applies a sheet whose media changed only in a later task: a banner painted at once showed
  // unstyled at the top of the page for a frame, then jumped to the bottom. Paint once the sheet applies.
  function styled(link, tries) {
    if (!link.sheet || tries >= 20 || Array.prototype.indexOf.call(document.styleSheets, link.sheet) >= 0) { return paint(); }
    setTimeout(function () { styled(link, tries + 1); }, 0);
  }

  // The version and build of a Brython runtime: generated code calls its internals, so a bundle runs
  // only on the exact build it was compiled by.
  function runtimeOf(B) {
    return B && B.version_info && B.timestamp ? B.version_info.slice(0, 3).join(".") + "+" + B.timestamp : "none";
  }

  // Our brython.js (tools/release.py) hands us its evaluation in steps: each is evaluated in its own task,
  // so that no task of the runtime is long (evaluating it whole takes ~100 ms on a desktop CPU).
  // Bundles that arrive meanwhile wait for the whole runtime.
  var runtimeSteps = [], runtimeReady = Boolean(window.__BRYTHON__), queued = [];
  boot.runtimeSteps = function (steps) { runtimeSteps = steps; };

  function evaluateRuntime(done) {                              // not in the task of the last script's onload
    inTasks(runtimeSteps, function (step) { step(); }, "the Brython runtime failed to start: ", function () {
      runtimeReady = true;
      queued.forEach(function (args) { register.apply(null, args); });
      queued = [];
      done();
    });
  }

  // Each bundle (consent*.js, written by tools/release.py) calls this with the runtime it was compiled
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

  // A visitor leaving the page while our scripts download (a choice clicked on the painted layer is kept
  // for the next page) cuts their requests: Firefox and WebKit report each as a load error as the
  // navigation starts, which is no failure. Then the error is reported only if the page is still here a
  // second later (a portal's beforeunload prompt may keep it).
  var leaving = false;
  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pageshow", function () { leaving = false; });

  function addScript(name, onload, onerror) {
    var s = document.createElement("script");
    s.src = base + name + suffix;
    s.async = false;                                            // parallel download, ordered execution
    if (me.nonce) { s.nonce = me.nonce; }
    s.onload = function () { var why = refusal(); if (why) { onerror(why); } else { onload(); } };
    s.onerror = function () {
      var report = function () { onerror("cannot load " + s.src); };
      if (leaving) { setTimeout(report, 1000); } else { report(); }  // the page gone by then: nothing to say
    };
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
  function started() {
    var why = refusal();
    if (why) { fail(why); } else { whenParsed(start); }
  }

  // Nothing is downloaded before the page's first frame, with the painted banner in it: fetching and
  // compiling the runtime and our bundle (V8 compiles them on background threads as they arrive) took a
  // CPU from the page's first layout and the banner's, which on a 2-core machine then grew into long tasks
  // (12 interleaved cold visits of the benchmark page, normal CPU: ours ~50 ms of long tasks per page view
  // before, 0 ms once downloads wait, and the banner visible sooner). Nothing visible waits for them: the
  // painted banner holds clicks, and on a return visit the loader runs the consented scripts itself
  // (startEarly). One task per script element: adding one holds the main thread for a few milliseconds
  // (request set-up).
  firstFrame(function () {
    var waiting = files.length;
    inTasks(files, function (name) {
      addScript(name, function () { if (--waiting === 0) { evaluateRuntime(started); } },
                function (what) { if (waiting >= 0) { waiting = -1; fail(what); } });  // one error
    }, "cannot add the banner's scripts: ", function () {});
  });
})();
