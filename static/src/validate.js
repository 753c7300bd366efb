/* consent-banner's manifest validator for Node (and bundlers): the rules of banner/manifest.py, restated.

   const {validate} = require("consent-banner");
   validate(JSON.parse(text), {languages: ["fr", "en"]})
     // -> {valid: false, languages: ["fr", "en"], problems: [{path: "cookies[4].category", message: "unknown category 'stats'"}]}
   validateText(text, {languages})           // the same from the file's text (JSON errors too)
   npx consent-banner-validate cookies.json [--languages fr,en]

   Its field names, limits and alphabets are Python's, written in by tools/package.py from banner/manifest.py
   and banner/text.py (RULES below); its messages are Python's word for word, and tests/core/test_npm_validator.py
   runs it and `consent-banner validate` on the same manifests (tests/core/fixtures) and compares every problem.
   A `match` is compiled with JavaScript's RegExp, as the page compiles it. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.consentBannerValidate = factory(); }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var RULES = /*MANIFEST_RULES*/{};

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function isObject(v) { return typeof v === "object" && v !== null && !Array.isArray(v); }
  function isInt(v) { return typeof v === "number" && Number.isInteger(v); }

  function only(value, alphabet) {                        // banner.text._only
    for (var i = 0; i < value.length; i++) { if (alphabet.indexOf(value[i]) < 0) { return false; } }
    return true;
  }

  var SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+";
  function pyStrip(text) { return text.replace(new RegExp("^" + SPACE + "|" + SPACE + "$", "g"), ""); }

  function pyRepr(value) {                                // what Python's %r shows
    if (value === null || value === undefined) { return "None"; }
    if (value === true) { return "True"; }
    if (value === false) { return "False"; }
    if (typeof value === "number") { return String(value); }
    if (Array.isArray(value)) { return "[" + value.map(pyRepr).join(", ") + "]"; }
    if (typeof value === "object") {
      return "{" + Object.keys(value).map(function (k) { return pyRepr(k) + ": " + pyRepr(value[k]); }).join(", ") + "}";
    }
    var quote = value.indexOf("'") >= 0 && value.indexOf('"') < 0 ? '"' : "'", out = quote;
    var hidden = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;     // not str.isprintable()
    for (var c of value) {
      var code = c.codePointAt(0);
      if (c === "\\") { out += "\\\\"; }
      else if (c === quote) { out += "\\" + c; }
      else if (c === "\n") { out += "\\n"; }
      else if (c === "\r") { out += "\\r"; }
      else if (c === "\t") { out += "\\t"; }
      else if (c !== " " && hidden.test(c)) {
        out += code < 0x100 ? "\\x" + ("0" + code.toString(16)).slice(-2) :
          code < 0x10000 ? "\\u" + ("000" + code.toString(16)).slice(-4) : "\\U" + ("0000000" + code.toString(16)).slice(-8);
      }
      else { out += c; }
    }
    return out + quote;
  }

  // -- banner/text.py ---------------------------------------------------------------------------------------
  function isIdentifier(v) {
    return typeof v === "string" && v.length > 0 && v.length <= RULES.maxIdentifier &&
      RULES.lower.indexOf(v[0]) >= 0 && only(v, RULES.idChars);
  }
  function isLanguageCode(v) {
    if (typeof v !== "string" || !v) { return false; }
    var parts = v.split("-");
    if (parts[0].length < 2 || parts[0].length > 3 || !only(parts[0], RULES.lower)) { return false; }
    return parts.slice(1).every(function (p) { return p.length > 0 && p.length <= 8 && only(p, RULES.lower + RULES.digits); });
  }
  function isHostName(v) {
    if (typeof v !== "string" || v.length === 0 || v.length > 253) { return false; }
    return v.toLowerCase().split(".").every(function (l) {
      return l.length > 0 && l.length <= 63 && l[0] !== "-" && l[l.length - 1] !== "-" &&
        only(l, RULES.lower + RULES.digits + "-");
    });
  }
  function isCookieName(v) { return typeof v === "string" && v.length > 0 && v.length <= 256 && only(v, RULES.tokenChars); }
  function urlScheme(url) {
    var i = 0;
    while (i < url.length && RULES.c0AndSpace.indexOf(url[i]) >= 0) { i++; }
    var cleaned = url.slice(i).replace(/[\t\n\r]/g, "");
    for (var j = 0; j < cleaned.length; j++) {
      var c = cleaned[j];
      if (c === ":") { return cleaned.slice(0, j).toLowerCase(); }
      if ("/?#".indexOf(c) >= 0) { return ""; }
      var alpha = /\p{L}/u.test(c), alnum = alpha || /[\p{N}]/u.test(c);
      if (!(alnum || "+-.".indexOf(c) >= 0) || (j === 0 && !alpha)) { return ""; }
    }
    return "";
  }
  function isSafeUrl(url) {
    return typeof url === "string" && pyStrip(url) !== "" && ["", ].concat(RULES.safeSchemes).indexOf(urlScheme(url)) >= 0;
  }
  function loneSurrogate(s) {
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) { i++; continue; }
      if (c >= 0xd800 && c <= 0xdfff) { return c; }
    }
    return null;
  }
  function surrogateMessage(code) {
    return RULES.surrogate.replace("%04X", ("000" + code.toString(16).toUpperCase()).slice(-4));
  }
  function surrogateProblems(path, value, skip) {         // banner.text.surrogate_problems, same order
    var found = [], stack = [[path, value]];
    skip = skip || [];
    while (stack.length) {
      var top = stack.pop(), p = top[0], node = top[1], char;
      if (typeof node === "string") {
        char = loneSurrogate(node);
        if (char !== null) { found.push([p, surrogateMessage(char)]); }
      } else if (isObject(node)) {
        var keys = Object.keys(node).filter(function (k) { return skip.indexOf(k) < 0; });
        for (var k = keys.length - 1; k >= 0; k--) {
          char = loneSurrogate(keys[k]);
          if (char !== null) { found.push([p, "a field name: " + surrogateMessage(char)]); }
          else { stack.push([(p ? p + "." : "") + keys[k], node[keys[k]]]); }
        }
      } else if (Array.isArray(node)) {
        for (var i = node.length - 1; i >= 0; i--) { stack.push([p + "[" + i + "]", node[i]]); }
      }
      skip = [];
    }
    return found;
  }

  // -- banner/manifest.py -------------------------------------------------------------------------------------
  function Checker(languages) { this.languages = languages; this.problems = []; }
  Checker.prototype.fail = function (path, message) { this.problems.push([path, message]); };
  Checker.prototype.text = function (path, data, key) {
    if (!has(data, key)) { return; }
    path = path + "." + key;
    var value = data[key], self = this;
    if (typeof value === "string") {
      if (!pyStrip(value)) { this.fail(path, "must not be empty"); }
      return;
    }
    if (isObject(value)) {
      Object.keys(value).forEach(function (lang) {
        var item = value[lang];
        if (!isLanguageCode(lang)) { self.fail(path, pyRepr(lang) + " is not a language code"); }
        else if (typeof item !== "string" || !pyStrip(item)) { self.fail(path + "." + lang, "must be a non-empty string"); }
      });
      this.languages.forEach(function (lang) {
        if (!has(value, lang)) { self.fail(path, "no text for language " + pyRepr(lang)); }
      });
      return;
    }
    this.fail(path, "must be a string or an object keyed by language code");
  };
  Checker.prototype.keys = function (path, obj, allowed, required) {
    if (!isObject(obj)) { this.fail(path, "must be an object"); return false; }
    var self = this;
    Object.keys(obj).forEach(function (k) { if (allowed.indexOf(k) < 0) { self.fail(path, "unknown field " + pyRepr(k)); } });
    required.forEach(function (k) { if (!has(obj, k)) { self.fail(path, "missing field " + pyRepr(k)); } });
    return true;
  };
  Checker.prototype.flag = function (path, obj, key) {
    var value = has(obj, key) ? obj[key] : false;
    if (typeof value !== "boolean") { this.fail(path + "." + key, "must be true or false"); return false; }
    return value;
  };

  function provider(check, path, data, names) {                // true when it is one (banner.manifest._provider)
    if (!check.keys(path, data, RULES.providerKeys, ["name"])) { return false; }
    var name = data.name, hosts = has(data, "hosts") ? data.hosts : [];
    if (typeof name !== "string" || !pyStrip(name)) { check.fail(path + ".name", "must be a non-empty string"); }
    else if (names.indexOf(name) >= 0) { check.fail(path + ".name", "duplicate provider " + pyRepr(name)); }
    names.push(name);
    if (has(data, "policyUrl") && !isSafeUrl(data.policyUrl)) { check.fail(path + ".policyUrl", "must be an http(s) or relative URL"); }
    if (!Array.isArray(hosts) || !hosts.every(isHostName)) { check.fail(path + ".hosts", "must be a list of host names (example.org)"); }
    return true;
  }

  function category(check, path, data, seen) {
    if (!check.keys(path, data, RULES.categoryKeys, ["id", "title", "description"])) { return null; }
    var cid = data.id;
    if (!isIdentifier(cid)) { check.fail(path + ".id", "must be 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter"); }
    else if (seen.indexOf(cid) >= 0) { check.fail(path + ".id", "duplicate id " + pyRepr(cid)); }
    seen.push(cid);
    var required = check.flag(path, data, "required"), exempt = check.flag(path, data, "exempt");
    if (required && exempt) {
      check.fail(path + ".exempt", "a category is strictly necessary or exempt audience measurement, not both");
    }
    // in banner.manifest._category's order: the providers, the choice per provider, then the texts
    var raw = has(data, "providers") ? data.providers : [], found = 0;
    if (!Array.isArray(raw)) { check.fail(path + ".providers", "must be a list"); }
    else {
      var names = [];
      raw.forEach(function (item, i) { if (provider(check, path + ".providers[" + i + "]", item, names)) { found++; } });
    }
    var choice = check.flag(path, data, "providerChoice");
    if (choice && (required || exempt)) {
      check.fail(path + ".providerChoice", "only a category that needs consent offers a choice per provider");
    } else if (choice && !(found >= 1 && found <= RULES.maxChoiceProviders)) {
      check.fail(path + ".providerChoice", "a choice per provider needs 1 to " + RULES.maxChoiceProviders +
                 " providers (found " + found + ")");
    }
    check.text(path, data, "title");
    check.text(path, data, "description");
    return {id: cid, required: required, exempt: exempt};
  }

  function isCookiePath(v) {
    if (typeof v !== "string" || v.length === 0 || v.length > RULES.maxPath || v[0] !== "/") { return false; }
    for (var i = 0; i < v.length; i++) { var c = v.charCodeAt(i); if (c <= 32 || c >= 127 || v[i] === ";") { return false; } }
    return true;
  }

  function paths(check, path, data, storage) {
    if (!has(data, "paths")) { return; }
    var value = data.paths;
    if (storage !== "cookie") { check.fail(path + ".paths", "only cookies have paths"); return; }
    if (!Array.isArray(value) || !value.length || !value.every(isCookiePath)) {
      check.fail(path + ".paths", "must be a non-empty list of paths such as \"/explore/\" (\"/\" then visible ASCII " +
                 "without ';', at most " + RULES.maxPath + " characters)");
      return;
    }
    if (value.some(function (p, i) { return value.indexOf(p) !== i; })) { check.fail(path + ".paths", "lists a path twice"); }
  }

  function regexOk(pattern) { try { new RegExp(pattern); return true; } catch (e) { return false; } }

  function quantifier(pattern, i) {                        // banner.manifest._quantifier
    var n = pattern.length, c = pattern[i], least, most, end, j, k;
    if (c === "*" || c === "+" || c === "?") {
      least = c === "+" ? 1 : 0; most = c === "?" ? 1 : null; end = i + 1;
    } else if (c === "{") {
      j = i + 1;
      while (j < n && "0123456789".indexOf(pattern[j]) >= 0) { j++; }
      least = most = j > i + 1 ? parseInt(pattern.slice(i + 1, j), 10) : null;
      if (j < n && pattern[j] === ",") {
        k = j + 1;
        while (k < n && "0123456789".indexOf(pattern[k]) >= 0) { k++; }
        most = k > j + 1 ? parseInt(pattern.slice(j + 1, k), 10) : null;
        j = k;
      }
      if (j >= n || pattern[j] !== "}" || (least === null && most === null)) { return null; }
      least = least || 0; end = j + 1;
    } else {
      return null;
    }
    if (end < n && pattern[end] === "?") { end++; }
    return [least, most, end];
  }

  function classEnd(pattern, i) {                          // banner.manifest._class_end
    var n = pattern.length, j = i + 1;
    if (j < n && pattern[j] === "^") { j++; }
    while (j < n) {
      if (pattern[j] === "\\") { j += 2; }
      else if (pattern[j] === "]") { return j + 1; }
      else { j++; }
    }
    return n;
  }

  function nestedRepetition(pattern) {                     // banner.manifest.nested_repetition
    var n = pattern.length, i = 0, groups = [];
    while (i < n) {
      var c = pattern[i], start = i, group = null;
      if (c === "\\") { i += 2; }
      else if (c === "[") { i = classEnd(pattern, i); }
      else if (c === "(") {
        groups.push([i, false]);
        i += pattern[i + 1] === "?" ? 2 : 1;
        continue;
      }
      else if (c === ")" && groups.length) { group = groups.pop(); start = group[0]; i++; }
      else { i++; }
      var found = quantifier(pattern, i) || [1, 1, i], least = found[0], most = found[1], end = found[2];
      if (group !== null && group[1] && (most === null || most > 1)) { return pattern.slice(start, end); }
      if (groups.length && ((group !== null && group[1]) || most === null || (most > least && most > 1))) {
        groups[groups.length - 1][1] = true;
      }
      i = end;
    }
    return null;
  }

  function cookie(check, path, data, categoryIds, seen) {
    if (!check.keys(path, data, RULES.cookieKeys, ["name", "provider", "category", "lifetime", "purpose"])) { return null; }
    var name = data.name, storage = has(data, "storage") ? data.storage : "cookie", match = data.match, valid = null;
    if (RULES.storages.indexOf(storage) < 0) { check.fail(path + ".storage", "must be \"cookie\", \"local\" or \"session\""); }
    var key = JSON.stringify([storage, name]);
    if (storage === "cookie" && !isCookieName(name)) { check.fail(path + ".name", "must be a cookie name (visible ASCII, no spaces or separators)"); }
    else if (typeof name !== "string" || !name) { check.fail(path + ".name", "must be a non-empty string"); }
    else if (seen.indexOf(key) >= 0) { check.fail(path + ".name", "duplicate cookie " + pyRepr(name)); }
    seen.push(key);
    if (categoryIds.indexOf(data.category) < 0) { check.fail(path + ".category", "unknown category " + pyRepr(data.category)); }
    if (has(data, "match")) {
      if (typeof match !== "string" || !match) { check.fail(path + ".match", "must be a non-empty string"); }
      else if (!regexOk(match)) { check.fail(path + ".match", "invalid regular expression " + pyRepr(match)); }
      else if (nestedRepetition(match) !== null) {
        check.fail(path + ".match", "nested repetition can take exponential time: " + pyRepr(nestedRepetition(match)) +
                   " repeats a group that itself holds a repetition");
      }
      else { valid = match; }
    }
    var days = has(data, "maxAgeDays") ? data.maxAgeDays : null, domain = has(data, "domain") ? data.domain : null;
    if (has(data, "maxAgeDays") && (!isInt(days) || days < 0 || days > RULES.maxAgeDaysLimit)) {
      check.fail(path + ".maxAgeDays", "must be a whole number of days from 0 to " + RULES.maxAgeDaysLimit);
      days = null;
    }
    if (has(data, "domain") && (storage !== "cookie" || !isHostName(domain))) {
      check.fail(path + ".domain", "must be the host name of the other site setting the cookie (cookies only)");
      domain = null;
    }
    check.text(path, data, "provider");
    check.text(path, data, "lifetime");
    check.text(path, data, "purpose");
    check.flag(path, data, "multilingualOnly");
    paths(check, path, data, storage);
    return {name: name, storage: storage, match: valid, category: data.category, maxAgeDays: days, domain: domain};
  }

  function exemption(check, categories, cookies) {          // banner.manifest._exemption
    var exempt = categories.filter(function (c) { return c.exempt; }).map(function (c) { return c.id; });
    cookies.forEach(function (c, i) {
      if (c === null || exempt.indexOf(c.category) < 0) { return; }
      var path = "cookies[" + i + "]";
      if (c.maxAgeDays === null) {
        check.fail(path, "the exempt category " + pyRepr(c.category) + " needs each cookie's maxAgeDays: the " +
                   "exemption keeps cookies 13 months at most (" + RULES.exemptMaxAgeDays + " days)");
      } else if (c.maxAgeDays > RULES.exemptMaxAgeDays) {
        check.fail(path + ".maxAgeDays", c.maxAgeDays + " days is over the exemption's 13 months (" +
                   RULES.exemptMaxAgeDays + " days): category " + pyRepr(c.category) + " cannot be exempt");
      }
      if (c.domain !== null) {
        check.fail(path + ".domain", "a cookie set by " + c.domain + " is a third party's: exempt audience " +
                   "measurement uses first-party cookies only (category " + pyRepr(c.category) + ")");
      }
    });
  }

  function consentCookie(check, categories, cookies) {      // banner.manifest._consent_cookie
    var optional = categories.filter(function (c) { return !c.required; }).map(function (c) { return c.id; });
    cookies.forEach(function (c, i) {
      if (c === null || optional.indexOf(c.category) < 0) { return; }
      var path = "cookies[" + i + "]";
      if (c.storage === "cookie" && c.name === RULES.consentCookie) {
        check.fail(path + ".category", pyRepr(c.name) + " is the banner's own consent cookie, which holds the " +
                   "visitor's choice: it belongs to the required category, not to " + pyRepr(c.category) +
                   ", whose refusal would delete it");
      } else if (c.storage === "cookie" && c.match !== null && new RegExp(c.match).test(RULES.consentCookie)) {
        check.fail(path + ".match", pyRepr(c.match) + " matches " + pyRepr(RULES.consentCookie) + ", the banner's " +
                   "own consent cookie, which holds the visitor's choice: refusing " + pyRepr(c.category) +
                   " would delete it");
      }
    });
  }

  function textLanguages(data) {                           // banner.manifest.text_languages
    var found = [];
    (function walk(node, key) {
      if (isObject(node)) {
        if (RULES.textKeys.indexOf(key) >= 0) {
          Object.keys(node).forEach(function (lang) { if (found.indexOf(lang) < 0 && isLanguageCode(lang)) { found.push(lang); } });
          return;
        }
        Object.keys(node).forEach(function (k) { walk(node[k], k); });
      } else if (Array.isArray(node)) {
        node.forEach(function (item) { walk(item, key); });
      }
    }(data, null));
    return found;
  }

  function depthOk(data) {                                 // banner.__main__.load_json
    var level = [data], depth = 0;
    while (level.length && depth <= RULES.maxJsonDepth) {
      var next = [];
      level.forEach(function (node) {
        if (Array.isArray(node)) { next.push.apply(next, node); }
        else if (isObject(node)) { Object.keys(node).forEach(function (k) { next.push(node[k]); }); }
      });
      level = next;
      depth++;
    }
    return depth <= RULES.maxJsonDepth;
  }

  function problems(data, languages) {                     // banner.manifest.parse_in_steps, in its order
    var check = new Checker(languages);
    if (!check.keys("", data, RULES.topKeys, ["revision", "categories", "cookies"])) { return check.problems; }
    if (has(data, "$schema") && typeof data.$schema !== "string") { check.fail("$schema", "must be a string"); }
    var lists = ["categories", "cookies"].filter(function (k) { return Array.isArray(data[k]); });
    check.problems.push.apply(check.problems, surrogateProblems("", data, lists));
    var revision = data.revision;
    if (has(data, "revision") && (!isInt(revision) || revision < 1 || revision > RULES.maxRevision)) {
      check.fail("revision", "must be an integer from 1 to " + RULES.maxRevision);
    }
    var categories = [], ids = [], names = [];
    var raw = has(data, "categories") ? data.categories : [];
    if (!Array.isArray(raw) || !raw.length) {
      if (has(data, "categories")) { check.fail("categories", "must be a non-empty list"); }
      raw = [];
    } else if (raw.length > RULES.maxCategories) {
      check.fail("categories", "at most " + RULES.maxCategories + " categories (found " + raw.length + ")");
    }
    raw.forEach(function (item, i) {
      var found = category(check, "categories[" + i + "]", item, ids);
      check.problems.push.apply(check.problems, surrogateProblems("categories[" + i + "]", item));
      if (found) { categories.push(found); }
    });
    var required = categories.filter(function (c) { return c.required; }).length;
    if (raw.length && required !== 1) {
      check.fail("categories", "exactly one category must have \"required\": true (found " + required + ")");
    }
    var cookies = has(data, "cookies") ? data.cookies : [];
    if (!Array.isArray(cookies)) { check.fail("cookies", "must be a list"); cookies = []; }
    var checked = cookies.map(function (item, i) {
      var found = cookie(check, "cookies[" + i + "]", item, ids, names);
      check.problems.push.apply(check.problems, surrogateProblems("cookies[" + i + "]", item));
      return found;
    });
    exemption(check, categories, checked);
    consentCookie(check, categories, checked);
    return check.problems;
  }

  /** Check a decoded manifest. `options.languages`: the portal's languages (default: every language its
      texts use, else ["fr"]). Returns {valid, languages, problems: [{path, message}]} (path "" is the top level). */
  function validate(data, options) {
    var given = options && options.languages, languages;
    languages = given && given.length ? given.map(function (c) { return String(c).trim().toLowerCase(); }) :
      (isObject(data) ? textLanguages(data) : []);
    if (!languages.length) { languages = ["fr"]; }
    var found = depthOk(data) ? problems(data, languages) :
      [["", "arrays and objects nested more than " + RULES.maxJsonDepth + " levels deep (a manifest needs 5)"]];
    return {valid: found.length === 0, languages: languages,
            problems: found.map(function (p) { return {path: p[0], message: p[1]}; })};
  }

  /** validate() from a manifest file's text: a text that is not JSON is {valid: false, json: "why"}. */
  function validateText(text, options) {
    var data;
    try { data = JSON.parse(text); }
    catch (error) { return {valid: false, json: error.message, languages: [], problems: []}; }
    return validate(data, options);
  }

  return {validate: validate, validateText: validateText, textLanguages: textLanguages, rules: RULES};
}));
