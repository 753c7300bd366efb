// consent-banner for ES modules and bundlers: `import {accepted, onChange} from "consent-banner/api"`.
// The banner itself is the page's <script src=".../consent.js" defer data-config="..."> (it cannot be
// bundled: it loads the Python runtime and its bundles beside itself). This module only reaches the API
// that script puts on `window`, typed by api.d.ts, so that a framework's code neither guesses a global nor
// breaks when the banner is missing: then nothing optional is accepted, and it says so once.
let warned = false;

function banner() {
  const api = typeof window === "undefined" ? undefined : window.consentBanner;
  if (!api && !warned && typeof document !== "undefined" && document.readyState !== "loading") {
    warned = true;
    console.warn("consent-banner: no banner on this page (its <script src=\".../consent.js\" data-config> is " +
                 "missing): nothing optional is accepted");
  }
  return api;
}

/** Whether category `id` is accepted now (false until the banner has started, and without a banner). */
export function accepted(id) {
  const api = banner();
  return Boolean(api && api.accepted(id));
}

/** Shows the first layer. */
export function show() {
  const api = banner();
  if (api) { api.show(); }
}

/** Opens the preferences centre (a call before start-up is honoured once the banner is ready). */
export function showPreferences() {
  const api = banner();
  if (api) { api.showPreferences(); }
}

/** Forgets the visitor's choice, clears optional cookies and shows the banner again. */
export function reset() {
  const api = banner();
  if (api) { api.reset(); }
}

/** Treats a fragment, element or shadow root a framework rendered (blocked scripts, iframes, policy). */
export function apply(node) {
  const api = banner();
  if (api) { api.apply(node); }
}

/** Resolves once the banner has treated what the page holds (content just added included) and has nothing
 *  in flight: its script queue run, its bundles in. At once without a banner. */
export function settled() {
  const api = banner();
  return api ? api.settled() : Promise.resolve(true);
}

/** The banner release the page serves, or "" without a banner. */
export function version() {
  const api = banner();
  return api ? api.version : "";
}

/** Calls `listener(acceptedIds)` after start-up and after every decision; returns the unsubscribe
 *  function. Read `accepted(id)` for the state at the time of subscribing. */
export function onChange(listener) {
  if (typeof document === "undefined") { return function () {}; }
  const handler = (event) => listener(event.detail.accepted.slice());
  document.addEventListener("consent:change", handler);
  return () => document.removeEventListener("consent:change", handler);
}
