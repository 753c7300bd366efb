/* Installed with CDP Page.addScriptToEvaluateOnNewDocument, so it runs before any script of the page.
   It records, in window.__bench, when the banner became visible, first contentful paint, the long tasks,
   when a click reached the page, when the banner's consent cookie was written and when the analytics tag
   ran. Nothing polls during the load; the harness reads window.__bench afterwards.
   The file is a function expression: the harness appends the call with the banner's settings,
   (function (cfg) {...})({root: CSS selector or null, consent: regex source}). */
(function (cfg) {
  var B = window.__bench = {visible: null, fcp: null, longtasks: [], clickAt: null, cookieAt: null,
                            cookieHow: null, armed: false, runStart: null, runtimeReady: null,
                            analyticsRan: null};
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
  var shown = function () {
    if (B.visible !== null) { return true; }
    var el = document.querySelector(root);
    if (!el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) { return false; }
    var r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.right <= 0 ||
        r.top >= innerHeight || r.left >= innerWidth) { return false; }
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
  var check = function (how) {
    if (B.clickAt !== null && B.cookieAt === null && consent.test(desc.get.call(document))) {
      B.cookieAt = performance.now(); B.cookieHow = how;
    }
  };
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true, enumerable: true, get: desc.get,
    set: function (value) { desc.set.call(this, value); check("setter"); }
  });
  window.addEventListener("click", function () {
    if (B.armed && B.clickAt === null) {
      B.clickAt = performance.now();
      var poll = function () { check("poll"); if (B.cookieAt === null) { requestAnimationFrame(poll); } };
      requestAnimationFrame(poll);
    }
  }, true);
})
