/* A Matomo-style tracker for the demo and the tests: no request leaves the machine (hits go to the portal's
 * own `setTrackerUrl`), and every command it applies is recorded (sessionStorage "matomoStyle", kept
 * across reloads).
 *
 * Matomo's own tracker (matomo.js) is not published on npm, PyPI or Debian, so the banner's tests run
 * against this recording of its documented JavaScript API instead, written from Matomo's documentation
 * (developer.matomo.org: "JavaScript Tracking Client", "Tracking consent") and not from its code:
 *
 * - commands queue in `window._paq` until the tracker loads, then each `_paq.push([name, ...args])` runs at
 *   once. Of the queued ones, the configuration commands, `requireConsent` and `setConsentGiven` run
 *   first, then the rest in order (so a queued `forgetConsentGiven` runs after any queued
 *   `setConsentGiven`, as with Matomo's tracker);
 * - `requireConsent`: nothing is sent and no cookie is written until `setConsentGiven`; the hits made
 *   meanwhile wait and are sent then;
 * - `setConsentGiven`: consent for this page view; `forgetConsentGiven(hours)`: consent withdrawn, its
 *   cookies deleted, the refusal remembered in `mtm_consent_removed` for `hours` (30 years without it),
 *   consent required again;
 * - `optUserOut(hours)`: the same function in Matomo's tracker: opposition remembered in
 *   `mtm_consent_removed`, cookies deleted, nothing sent any more; `forgetUserOptOut` removes it;
 * - `trackPageView` and the heart beat (`enableHeartBeatTimer(seconds)`) send a hit (an image request to
 *   the tracker URL) and write the visitor cookie `_pk_id.<site>.<hash>` (13 months) and the session
 *   cookie `_pk_ses.<site>.<hash>` (30 minutes).
 */
(function () {
  "use strict";
  var FIRST = ["setTrackerUrl", "setSiteId", "requireConsent", "setConsentGiven"];
  var THIRTY_YEARS = 946080000;           // seconds: mtm_consent_removed when no lifetime is given
  var HASH = "d3m0";
  var state = {url: null, site: null, required: false, given: false, waiting: [], beat: null};

  function record(name) {
    var log = JSON.parse(sessionStorage.getItem("matomoStyle") || "[]");
    log.push(name);
    sessionStorage.setItem("matomoStyle", JSON.stringify(log));
  }
  function hasCookie(name) {
    return document.cookie.split(";").some(function (c) { return c.trim().indexOf(name + "=") === 0; });
  }
  function setCookie(name, value, seconds) {
    document.cookie = name + "=" + value + "; Path=/; Max-Age=" + seconds + "; SameSite=Lax";
  }
  function deleteCookies() {
    ["_pk_id", "_pk_ses"].forEach(function (prefix) { setCookie(prefix + "." + state.site + "." + HASH, "", 0); });
  }
  function optedOut() { return hasCookie("mtm_consent_removed") && !state.given; }

  function send(params) {
    if (optedOut()) { return; }
    if (state.required && !state.given) { state.waiting.push(params); return; }
    setCookie("_pk_id." + state.site + "." + HASH, "v" + Date.now() + ".0", 33696000);
    setCookie("_pk_ses." + state.site + "." + HASH, "1", 1800);
    new Image().src = state.url + "?idsite=" + encodeURIComponent(state.site) + "&rec=1&" + params;
  }

  var commands = {
    setTrackerUrl: function (url) { state.url = url; },
    setSiteId: function (id) { state.site = String(id); },
    requireConsent: function () { state.required = true; state.given = false; },
    setConsentGiven: function () {
      state.given = true;
      setCookie("mtm_consent_removed", "", 0);
      var waiting = state.waiting;
      state.waiting = [];
      waiting.forEach(send);
    },
    forgetConsentGiven: function (hours) {
      state.given = false;
      state.required = true;
      state.waiting = [];
      deleteCookies();
      setCookie("mtm_consent_removed", String(Date.now()), hours ? hours * 3600 : THIRTY_YEARS);
    },
    optUserOut: function (hours) {
      state.given = false;
      deleteCookies();
      setCookie("mtm_consent_removed", String(Date.now()), hours ? hours * 3600 : THIRTY_YEARS);
    },
    forgetUserOptOut: function () { setCookie("mtm_consent_removed", "", 0); },
    trackPageView: function (title) {
      send("action_name=" + encodeURIComponent(title || document.title));
    },
    enableHeartBeatTimer: function (seconds) {
      clearInterval(state.beat);
      state.beat = setInterval(function () { send("ping=1"); }, (seconds || 15) * 1000);
    }
  };

  function apply(command) {
    var name = command[0];
    if (!commands[name]) { return; }
    record(name);
    commands[name].apply(null, command.slice(1));
  }

  var queued = window._paq || [];
  queued.filter(function (c) { return FIRST.indexOf(c[0]) >= 0; }).forEach(apply);
  queued.filter(function (c) { return FIRST.indexOf(c[0]) < 0; }).forEach(apply);
  window._paq = {push: function () { for (var i = 0; i < arguments.length; i++) { apply(arguments[i]); } }};
})();
