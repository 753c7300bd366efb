/* Installed with CDP Page.addScriptToEvaluateOnNewDocument, so it runs before any script of the page.
   It records, in window.__bench, when the banner became visible, first contentful paint, the long tasks,
   when a click reached the page, when the banner's consent cookie was written and when the analytics tag
   ran. Nothing polls during the load; the harness reads window.__bench afterwards.
   The file is a function expression: the harness appends the call with the banner's settings,
   (function (cfg) {...})({root: CSS selector or null, consent: regex source, centre: CSS selector or null,
   kept: a localStorage key or null}). */
(function (cfg) {
  var B = window.__bench = {visible: null, fcp: null, longtasks: [], clickAt: null, cookieAt: null, keptAt: null,
                            cookieHow: null, armed: false, runStart: null, runtimeReady: null,
                            analyticsRan: null, goneAt: null, centreArmed: false, centreClickAt: null,
                            centreAt: null, events: []};
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { B.longtasks.push([e.startTime, e.duration]); });
    }).observe({type: "longtask", buffered: true});
  } catch (e) {}
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { if (e.name === "first-contentful-paint") { B.fcp = e.startTime; } });
    }).observe({type: "paint", buffered: true});
  } catch (e) {}

  // Event Timing (Interaction to Next Paint): every entry of 16 ms or more, with its interaction id.
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { B.events.push([e.name, e.startTime, e.duration, e.interactionId || 0]); });
    }).observe({type: "event", durationThreshold: 16, buffered: true});
  } catch (e) {}

  // The demo's analytics tag ends by setting window.demoAnalytics: that assignment is the moment it ran.
  var analytics;
  Object.defineProperty(window, "demoAnalytics", {
    configurable: true, enumerable: true,
    get: function () { return analytics; },
    set: function (value) { analytics = value; if (B.analyticsRan === null) { B.analyticsRan = performance.now(); } }
  });

  // Visible: in the DOM, checkVisibility() true, a non-empty box inside the viewport. Checked on every DOM
  // mutation and every frame until it is.
  // A page without a banner (the baselines) runs the same observers, looking for an element it never has.
  // Chromium reports a task as a long task only if script ran in it, so the frame callback below is what
  // turns the page's own first layout into a reported long task: without it on the baselines, "beyond
  // no banner" charged that layout (95-100 ms with the CPU slowed 4x) to every banner.
  var root = cfg.root || "#no-banner-on-this-page";
  var isVisible = function (selector) {
    var el = document.querySelector(selector);
    if (!el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) { return false; }
    var r = el.getBoundingClientRect();
    return !(r.width < 1 || r.height < 1 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth);
  };
  var shown = function () {
    if (B.visible !== null) { return true; }
    if (!isVisible(root)) { return false; }
    B.visible = performance.now();
    mo.disconnect();
    return true;
  };
  var mo = new MutationObserver(shown);
  mo.observe(document, {childList: true, subtree: true, attributes: true});
  var frame = function () { if (!shown()) { requestAnimationFrame(frame); } };
  requestAnimationFrame(frame);

  // The consent cookie: the document.cookie setter is wrapped for the exact moment of the write; a
  // per-frame poll after the click is the fallback.
  var consent = new RegExp(cfg.consent);
  var desc = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  // The choice kept in the browser: the consent cookie, or (ours, cfg.kept) the localStorage
  // record of a decision clicked before Python ran, which Python writes on this page or the next.
  var check = function (how) {
    if (B.clickAt === null) { return; }
    if (B.cookieAt === null && consent.test(desc.get.call(document))) {
      B.cookieAt = performance.now(); B.cookieHow = how;
    }
    if (B.keptAt === null && (B.cookieAt !== null || (cfg.kept && localStorage.getItem(cfg.kept) !== null))) {
      B.keptAt = performance.now();
    }
  };
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true, enumerable: true, get: desc.get,
    set: function (value) { desc.set.call(this, value); check("setter"); }
  });
  // Ours keeps a choice clicked before Python ran in localStorage (cfg.kept): timed at its write too.
  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    setItem.call(this, key, value);
    if (cfg.kept && key === cfg.kept && this === window.localStorage) { check("setter"); }
  };
  // After the reject click: the first frame in which the banner's root is no longer visible ("gone"); after
  // a click on the footer link (centreArmed): the first frame, or mutation, showing the centre.
  window.addEventListener("click", function () {
    if (B.armed && B.clickAt === null) {
      B.clickAt = performance.now();
      var poll = function () { check("poll"); if (B.cookieAt === null) { requestAnimationFrame(poll); } };
      requestAnimationFrame(poll);
      var gone = function () {
        if (!isVisible(root)) { B.goneAt = performance.now(); } else { requestAnimationFrame(gone); }
      };
      requestAnimationFrame(gone);
    } else if (B.centreArmed && B.centreClickAt === null && cfg.centre) {
      B.centreClickAt = performance.now();
      var opened = function () {
        if (B.centreAt !== null) { return true; }
        if (!isVisible(cfg.centre)) { return false; }
        B.centreAt = performance.now();
        centreWatch.disconnect();
        return true;
      };
      var centreWatch = new MutationObserver(opened);
      centreWatch.observe(document, {childList: true, subtree: true, attributes: true});
      var frameCentre = function () { if (!opened()) { requestAnimationFrame(frameCentre); } };
      requestAnimationFrame(frameCentre);
    }
  }, true);
})
