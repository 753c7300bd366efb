// The loader's rules: each function restates one of Python's (named beside it) so that the loader can
// decide before the Python runtime has loaded: which language the painted first layer speaks, whether a
// stored choice stands and what it accepts, which blocked scripts a return visit may run at once. They are
// pure: no DOM, no browser API, only their arguments and `facts` (banner/server/loader_facts.py, taken from Python
// at build time). tools/release.py puts this file, whole, where consent.js says /*RULES*/ (no runtime
// cost); tests/core/test_loader_facts.py loads it whole in Node and checks every function against Python
// on tests/core/shared_cases.json. In any doubt a rule answers so that the loader does nothing and
// Python does everything.
/* global facts */

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

function fnv(text) {                                      // banner.fnv: base36(utf16(text))
  var h = 0x811c9dc5;
  for (var i = 0; i < text.length; i++) { h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0; }
  return h.toString(36);
}

function fnvPoints(text) {                                // banner.fnv.code_points, handed to Python (boot.hash)
  var h = 0x811c9dc5;
  for (var i = 0; i < text.length; i++) {
    var point = text.codePointAt(i);
    if (point > 0xffff) { i++; }                          // a surrogate pair: one code point, as in Python
    h = Math.imul(h ^ point, 0x01000193) >>> 0;
  }
  return h;
}

function configKey(cfg) {                                 // banner.server.loader_facts.config_key
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

function pyStrip(text) {                                  // str.strip(): Python's whitespace, not trim()'s
  var space = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+";
  return text.replace(new RegExp("^" + space + "|" + space + "$", "g"), "");
}

function cookiePairs(cookieText) {                        // banner.cookies.parse_cookie_header
  var pairs = [];
  (cookieText || "").split(";").forEach(function (part) {
    var pair = pyStrip(part), at = pair.indexOf("=");
    if (at > 0) { pairs.push([pair.slice(0, at), pair.slice(at + 1)]); }
  });
  return pairs;
}

function allIn(text, alphabet) {
  for (var i = 0; i < text.length; i++) { if (alphabet.indexOf(text[i]) < 0) { return false; } }
  return true;
}

function isIdentifier(text) {                             // banner.text.is_identifier
  return typeof text === "string" && text.length > 0 && text.length <= facts.maxIdentifier &&
    facts.identifierFirst.indexOf(text[0]) >= 0 && allIn(text, facts.identifierChars);
}

function decodeNumber(text) {                             // banner.cookies._number
  if (!/^[0-9]+$/.test(text) || text.length > facts.maxNumberDigits || (text.length > 1 && text[0] === "0")) {
    return null;
  }
  return parseInt(text, 10);
}

function decodeMask(text) {                               // banner.cookies._mask
  return !text || text.length > facts.maxMaskDigits || text[0] === "0" || !allIn(text, facts.idAlphabet) ? null :
    parseInt(text, 36);
}

function decodeEntries(field, version) {                  // banner.cookies._decode_entries
  var accepted = [], fingerprints = Object.create(null), ages = Object.create(null), masks = Object.create(null);
  var seen = [], aged = version >= 3;
  var entries = field ? field.split(":") : [];
  for (var i = 0; i < entries.length; i++) {
    var at = entries[i].indexOf("="), category = at < 0 ? entries[i] : entries[i].slice(0, at);
    var parts = (at < 0 ? "" : entries[i].slice(at + 1)).split("~");
    var flag = parts[0], fingerprint = parts.length > 1 ? parts[1] : "", age = parts.length > 2 ? parts[2] : "";
    var dash = flag.indexOf("-");
    if (dash >= 0) {
      masks[category] = decodeMask(flag.slice(dash + 1));
      flag = flag.slice(0, dash);
      if (version < facts.maskVersion || flag !== "1" || masks[category] === null) { return null; }
    }
    if (at < 0 || !isIdentifier(category) || seen.indexOf(category) >= 0 || (flag !== "0" && flag !== "1")) {
      return null;
    }
    if (parts.length > (aged ? 3 : 2) || (parts.length === 3 && !age)) { return null; }
    if ((parts.length === 2 || fingerprint) &&
        (fingerprint.length !== facts.fingerprintWidth || !allIn(fingerprint, facts.idAlphabet))) { return null; }
    if (age) {
      if (age.length > facts.maxAgeDigits || !allIn(age, facts.idAlphabet) || age[0] === "0") { return null; }
      ages[category] = parseInt(age, 36);
    }
    seen.push(category);
    if (flag === "1") { accepted.push(category); }
    if (fingerprint) { fingerprints[category] = fingerprint; }
  }
  return {accepted: accepted, fingerprints: fingerprints, ages: ages, masks: masks};
}

function decodeConsent(value) {                           // banner.cookies.decode_consent
  if (typeof value !== "string" || value.length > facts.maxValueLength) { return null; }
  if (value.length > 1 && value[0] === "\"" && value[value.length - 1] === "\"") { value = value.slice(1, -1); }
  var fields = value.split(".");
  if (fields.length !== 5 || facts.readVersions.indexOf(fields[0]) < 0) { return null; }
  var version = parseInt(fields[0], 10), revision = decodeNumber(fields[1]), decidedAt = decodeNumber(fields[2]);
  var id = fields[3], entries = decodeEntries(fields[4], version);
  if (revision === null || revision < 1 || decidedAt === null || entries === null ||
      id.length < facts.consentIdLength[0] || id.length > facts.consentIdLength[1] || !allIn(id, facts.idAlphabet)) {
    return null;
  }
  for (var aged in entries.ages) { if (entries.ages[aged] > facts.maxAgeField) { return null; } }
  var decided = Object.create(null);
  Object.keys(entries.fingerprints).concat(entries.accepted).forEach(function (c) {  // Consent.decided
    if (!(c in decided)) { decided[c] = c in entries.ages ? decidedAt - entries.ages[c] * 1000 : decidedAt; }
  });
  return {version: version, revision: revision, decidedAt: decidedAt, consentId: id, accepted: entries.accepted,
          fingerprints: entries.fingerprints, decided: decided, providers: entries.masks};
}

function optionalIds(early) {
  return early.categories.filter(function (c) { return !c.required; }).map(function (c) { return c.id; });
}

function isCurrent(consent, early, now) {                 // banner.consent.is_current
  var optional = optionalIds(early);
  if (consent.revision !== early.revision) { return false; }
  if (consent.accepted.concat(Object.keys(consent.fingerprints)).some(function (c) { return optional.indexOf(c) < 0; })) {
    return false;
  }
  if (consent.decidedAt > now + facts.clockSkewMs) { return false; }
  for (var c in consent.decided) { if (consent.decided[c] > consent.decidedAt) { return false; } }
  return now - consent.decidedAt <= facts.maxAgeMs;
}

function changedCategories(consent, early, now) {         // banner.consent.changed_categories
  return early.categories.filter(function (c) {
    var decided = c.id in consent.decided ? consent.decided[c.id] : consent.decidedAt;
    return !c.required && !c.exempt && (!(c.id in consent.fingerprints) ||
                           (consent.fingerprints[c.id] !== c.fingerprint && consent.accepted.indexOf(c.id) >= 0) ||
                           now - decided > facts.maxAgeMs);
  }).map(function (c) { return c.id; });
}

function standingChoice(cookieText, early, now, gpc) {    // banner.session.Session: consent, accepted
  var best = null, index = -1;
  cookiePairs(cookieText).filter(function (p) { return p[0] === facts.consentCookie; }).forEach(function (p, i) {
    var consent = decodeConsent(p[1]);
    if (consent && isCurrent(consent, early, now) && (best === null || consent.decidedAt > best.decidedAt)) {
      best = consent;
      index = i;
    }
  });
  var changed = best ? changedCategories(best, early, now) : [];
  var accepted = early.categories.filter(function (c) {
    return c.required || (best && best.accepted.indexOf(c.id) >= 0 && changed.indexOf(c.id) < 0) ||
           (c.exempt && !(best && c.id in best.fingerprints) && !gpc);
  }).map(function (c) { return c.id; });
  var masks = Object.create(null);                        // Session._mask: a choice per provider only
  early.categories.forEach(function (c) {
    if (c.choice && accepted.indexOf(c.id) >= 0 && c.id in best.providers) { masks[c.id] = best.providers[c.id]; }
  });
  return {index: index, consent: best, accepted: accepted, masks: masks};
}

// What the loader may run now: the categories a stored choice accepts from now until facts.earlyMarginMs
// later (Python starts in between and accepts at least these: expiry only removes categories), when the
// same stored value decides throughout; `wait` are those accepted now only (their scripts wait for Python).
function earlyPlan(cookieText, early, now, gpc) {
  var at = standingChoice(cookieText, early, now, gpc);
  var later = standingChoice(cookieText, early, now + facts.earlyMarginMs, gpc);
  if (!at.consent || at.index !== later.index) { return null; }
  return {run: later.accepted, wait: at.accepted.filter(function (c) { return later.accepted.indexOf(c) < 0; }),
          masks: at.masks};
}

function declares(early, storage) {                       // banner.manifest.Manifest.declares
  return early.entries.some(function (e) { return e[0] === storage; });
}

function namesToClear(early, accepted, present, storage, test) {   // banner.cookies.names_to_clear
  var required = early.categories.filter(function (c) { return c.required; }).map(function (c) { return c.id; });
  var entries = early.entries.filter(function (e) { return e[0] === storage; });
  var keep = entries.filter(function (e) { return required.indexOf(e[2]) >= 0 || accepted.indexOf(e[2]) >= 0; });
  var clear = entries.filter(function (e) { return keep.indexOf(e) < 0; });
  var matches = function (e, name) { return name === e[1] || (e[3] !== null && test(e[3], name)); };
  var found = [];
  present.forEach(function (name) {
    if (found.indexOf(name) >= 0 || keep.some(function (e) { return e[1] === name; }) ||
        keep.some(function (e) { return required.indexOf(e[2]) >= 0 && matches(e, name); })) { return; }
    if (clear.some(function (e) { return matches(e, name); })) { found.push(name); }
  });
  return found;
}

// The host of a blocked script's data-src as banner.text.host_of reads it ("" for the page's own), for
// the plain URLs whose reading cannot differ between Python, this function and the browser; null for
// any other (a backslash, spaces, user info, a scheme other than http(s)...): Python judges those.
function plainHost(src) {
  var absolute = /^(?:https?:)?\/\/([A-Za-z0-9.-]+)(?::[0-9]{1,5})?(?:[\/?#][^\s\\\x00-\x1f\x7f]*)?$/i.exec(src);
  if (absolute) { return absolute[1].toLowerCase(); }
  return /^(?:\/(?![\/\\])|[A-Za-z0-9_.~-])[^\s\\:\x00-\x1f\x7f]*$/.test(src) ? "" : null;
}

function undeclared(early, category, named, host, pageHost) {   // banner.manifest.Manifest.undeclared
  var found = early.categories.filter(function (c) { return c.id === category; })[0];
  var names = found ? found.providers : [], hosts = found ? found.hosts : [];
  if (named && names.indexOf(named) < 0) { return true; }
  return !!host && host !== (pageHost || "").toLowerCase() && !hosts.some(function (known) {
    return host === known || host.endsWith("." + known);
  });
}

// Whether a category's content from this declared provider (or the one its host says) may run:
// banner.session.Session.allows on banner.manifest.Manifest.provider_of, with `plan.masks`. Content no
// provider claims runs in a category with a mask never.
function allowedProvider(early, plan, category, named, host, pageHost) {
  if (!(category in plan.masks)) { return true; }
  var choice = early.categories.filter(function (c) { return c.id === category; })[0].choice;
  var own = !host || host === (pageHost || "").toLowerCase();
  for (var i = 0; i < choice.length; i++) {                // [name, bit, hosts], in manifest order
    if (named ? named === choice[i][0] : !own && choice[i][2].some(function (known) {
      return host === known || host.endsWith("." + known);
    })) { return (plan.masks[category] >> choice[i][1] & 1) === 1; }
  }
  return false;
}

// One blocked script, in document order: "run" it now, "skip" it (not accepted, or a third party Python
// refuses and reports, or a provider the visitor refused), or "stop" here and leave it and every later
// one to Python, in order.
function scriptVerdict(early, plan, category, named, src, pageHost) {
  if (plan.wait.indexOf(category) >= 0) { return "stop"; }
  if (plan.run.indexOf(category) < 0) { return "skip"; }
  var host = src === null ? "" : plainHost(src);
  if (host === null) { return "stop"; }
  if (undeclared(early, category, named, host, pageHost)) { return "skip"; }
  return allowedProvider(early, plan, category, named, host, pageHost) ? "run" : "skip";
}
