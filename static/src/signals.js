/* consent-banner: run vendor signals (banner/vendors.py computes them) on the tools' documented globals.
 * One function, written here once: tools/release.py puts it into the loader (consent.js, where Python calls
 * it as __consentBoot.signal) and into consent-mode.js (which a server writes before the tags it sends
 * live). A signal is [operation, name, value], and a push may name what it replaces:
 *   ["push", "_paq", [...], names] window._paq = window._paq || []; window._paq.push([...]), after removing
 *                                  from a queue still an array (the tool not loaded yet) the commands
 *                                  `names` lists: an older consent command never outlives a newer one
 *   ["merge", "pdl", {...}]        {...} merged, object by object, into window.pdl = window.pdl || {}
 *   ["call", "pa.consent.setMode", [...]]   that function called with [...] when it exists (tool loaded)
 *   ["store", "_EA_", "1"]         localStorage.setItem("_EA_", "1")
 *   ["remove", "_EA_"]             localStorage.removeItem("_EA_")
 * A signal that fails (storage disabled, a tool's global replaced by something else) is reported and the
 * next one still runs.
 */
function (signals, report) {
  function merge(into, from) {
    Object.keys(from).forEach(function (key) {
      var value = from[key], there = into[key];
      if (value && typeof value === "object" && !Array.isArray(value) && there && typeof there === "object") {
        merge(there, value);
      } else {
        into[key] = value;
      }
    });
    return into;
  }
  function run(operation, name, value, replaces) {
    if (operation === "push") {
      var queue = window[name] = window[name] || [];
      for (var j = Array.isArray(queue) && replaces ? queue.length - 1 : -1; j >= 0; j--) {
        if (Array.isArray(queue[j]) && replaces.indexOf(queue[j][0]) >= 0) { queue.splice(j, 1); }
      }
      queue.push(value);
    } else if (operation === "merge") {
      window[name] = merge(window[name] || {}, value);
    } else if (operation === "call") {
      var path = name.split("."), owner = null, target = window;
      for (var i = 0; i < path.length && target; i++) { owner = target; target = target[path[i]]; }
      if (typeof target === "function") { target.apply(owner, value); }
    } else if (operation === "store") {
      window.localStorage.setItem(name, value);
    } else if (operation === "remove") {
      window.localStorage.removeItem(name);
    } else {
      throw new Error("unknown operation " + operation);
    }
  }
  for (var i = 0; i < signals.length; i++) {
    try {
      run(signals[i][0], signals[i][1], signals[i][2], signals[i][3]);
    } catch (e) {
      report("a vendor signal failed (" + signals[i][0] + " " + signals[i][1] + "): " + e);
    }
  }
}
