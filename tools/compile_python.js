// Ahead-of-time compiler for the banner's Python (run by tools/release.py at release time only).
//
// Reads JSON on stdin: {"runtime": "/path/to/brython.js", "modules": [[name, source, isPackage], ...],
// "terser": "/path/to/node_modules/terser" or null, "unavailable": [runtime names the shipped runtime
// leaves out, which the generated code must not use]}
// and writes JSON on stdout: {"version": "3.15.0", "timestamp": <runtime build>, "modules": {name: js},
// "scopes": {name: "locals_NAME"}}: the body of each module's function and the name of its one argument.
// Each module's JavaScript is what Brython's VFS loader evaluates from __BRYTHON__.precompiled (see
// VFSLoader.exec_module in brython.js), produced by the very runtime that ships, so the generated
// calls match its internals. Brython names some generated identifiers with Math.random: the generator
// is replaced by a fixed-seed one, reset before each module, so the same sources give the same bytes.
"use strict";
const fs = require("fs");

function seeded(seed) {                     // mulberry32: small, deterministic, good enough for names
  return function () {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What brython.js touches while it initialises outside a browser.
function shim() {
  const noop = () => {};
  globalThis.self = globalThis;
  globalThis.window = undefined;
  globalThis.location = new URL("http://localhost/");
  globalThis.addEventListener = noop;
  globalThis.HTMLElement = class {};
  globalThis.customElements = {define: noop, get: () => undefined};
  globalThis.MutationObserver = class { observe() {} disconnect() {} };
  globalThis.document = {currentScript: {src: "http://localhost/brython.js"}, dispatchEvent: noop, addEventListener: noop,
                         querySelectorAll: () => [], getElementsByTagName: () => []};
  delete globalThis.window;
}

// Position bookkeeping, dropped from the generated code. Brython emits `$B.set_lineno(frame, N)` before
// every statement (and inside if/while/except/match tests, as `$B.set_lineno(frame, N) && ...`) and a
// table `frame.positions = [[...], ...]` per function: both serve only a printed traceback, the line
// number and the columns under the source line. The runtime reads the table only when it holds the
// module's Python source (never in the page: no source ships) and our errors are reported as
// "Name: message"; a traceback printed on the console now names each function's first line. About a
// fifth of the gzipped bundles. set_lineno always returns true and has no other effect unless
// sys.settrace is on (never, in the page), so each call becomes `true`, and each table `0`. Checked: the
// runtime's set_lineno must still be that setter, and no call or table may survive in another shape.
const SET_LINENO = /\$B\.set_lineno\(frame, \d+(?:, '\w+')?\)/g;
const POSITIONS = /frame\.positions = \[[\d,\[\]]*\]/g;
const SET_LINENO_SOURCE = /^function\s*\(frame,\s*lineno,\s*type\)\s*\{\s*frame\.\$lineno\s*=\s*lineno\b[\s\S]*\breturn true\s*\}$/;

// `$B.$call_with_position(f, N, args...)` is `$B.$call(f, args...)` that also records N (an index in the
// table) in the frame when the call throws: without tables, the plain call.
const CALL_WITH_POSITION = /\$B\.\$call_with_position\(([^,()]+), \d+, /g;
const CALL_WITH_POSITION_SOURCE = "try{\nreturn $B.$call(callable,...args)}catch(err){$B.set_inum(inum)\nthrow err}}";

function checkRuntimeLineSetter($B) {
  const text = String($B.set_lineno);
  if (!SET_LINENO_SOURCE.test(text) || (text.match(/return/g) || []).length !== 1) {
    throw new Error("brython.js: $B.set_lineno is no longer the setter compile_python.js drops; check what changed");
  }
  if (!String($B.$call_with_position).endsWith(CALL_WITH_POSITION_SOURCE)) {
    throw new Error("brython.js: $B.$call_with_position is no longer $B.$call plus a position; check what changed");
  }
}

function withoutPositions(js, name) {
  const out = js.replace(SET_LINENO, "true").replace(POSITIONS, "0").replace(CALL_WITH_POSITION, "$B.$call($1, ");
  if (/set_lineno|frame\.positions\b/.test(out)) {
    throw new Error(name + ": generated code sets line numbers or positions in a shape compile_python.js does not know");
  }
  return out;
}

// Runtime names the shipped runtime leaves out (tools/release.py RUNTIME_PRUNE: "NAME" for $B.NAME,
// "_b_.NAME" for a builtin): generated code calling one would fail in the page, so the build fails here.
function checkAvailable(js, name, unavailable) {
  for (const gone of unavailable) {
    const ref = gone.startsWith("_b_.") ? gone : "$B." + gone;
    if (new RegExp(ref.replace(/[$.]/g, "\\$&") + "\\b").test(js)) {
      throw new Error(name + " uses " + ref + ", which the shipped runtime leaves out (RUNTIME_PRUNE in tools/release.py)");
    }
  }
}

// The generated module body, minified with terser when the release has it (npm ci). Brython evaluates
// it as `new Function("locals_NAME", body + "return locals_NAME")`, so the body is minified inside such
// a function, ending with that return, with that one name kept. Function names are mangled like any local
// (the runtime names Python functions from $function_infos, never from a JavaScript function's name).
async function minify(terser, body, scopeName) {
  const wrapped = "function __m(" + scopeName + "){" + body + "\nreturn " + scopeName + "}";
  const result = await terser.minify(wrapped, {
    compress: {passes: 1}, mangle: {reserved: [scopeName]}, keep_classnames: true,
    format: {comments: false}});
  // The minified body keeps its own (possibly folded) return; the one Brython appends is then unreachable.
  const code = result.code, head = "function __m(" + scopeName + "){";
  if (!code.startsWith(head) || !code.endsWith("}")) { throw new Error("unexpected minified shape: " + scopeName); }
  return code.slice(head.length, -1) + "\n";
}

async function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf-8"));
  shim();
  Math.random = seeded(1);
  const {__BRYTHON__: $B} = require(request.runtime);
  globalThis.$B = $B;
  checkRuntimeLineSetter($B);
  const out = {version: $B.version_info.slice(0, 3).join("."), implementation: $B.implementation.slice(0, 3).join("."),
               timestamp: $B.timestamp, modules: {}, scopes: {}};
  for (const [name, source, isPackage] of request.modules) {
    const filename = "VFS." + (isPackage ? name + "/__init__.py" : name + ".py");
    $B.url2name[filename] = name;
    $B.file_cache[filename] = source;
    Math.random = seeded(1);
    const root = $B.py2js({src: source, filename, imported: true}, name, name, $B.builtins_scope);
    out.modules[name] = withoutPositions(root.to_js(), name);
    checkAvailable(out.modules[name], name, request.unavailable || []);
    out.scopes[name] = "locals_" + $B.scope_name(name);
  }
  if (request.terser) {
    const terser = require(request.terser);
    for (const name of Object.keys(out.modules)) {
      out.modules[name] = await minify(terser, out.modules[name], out.scopes[name]);
    }
  }
  process.stdout.write(JSON.stringify(out));
}

// The stack, then the message alone on the last line (what tools/release.py shows).
main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n" + String(error && error.message || error) + "\n");
  process.exit(1);
});
