// Ahead-of-time compiler for the banner's Python (run by banner/build.py at release time only).
//
// Reads JSON on stdin: {"runtime": "/path/to/brython.js", "modules": [[name, source, isPackage], ...],
// "terser": "/path/to/node_modules/terser" or null}
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

function checkRuntimeLineSetter($B) {
  const text = String($B.set_lineno);
  if (!SET_LINENO_SOURCE.test(text) || (text.match(/return/g) || []).length !== 1) {
    throw new Error("brython.js: $B.set_lineno is no longer the setter compile_python.js drops; check what changed");
  }
}

function withoutPositions(js, name) {
  const out = js.replace(SET_LINENO, "true").replace(POSITIONS, "0");
  if (/set_lineno|frame\.positions\b/.test(out)) {
    throw new Error(name + ": generated code sets line numbers or positions in a shape compile_python.js does not know");
  }
  return out;
}

// The generated module body, minified with terser when the release has it (npm ci). Brython evaluates
// it as `new Function("locals_NAME", body + "return locals_NAME")`, so the body is minified inside such
// a function, ending with that return, with that one name kept; function names are kept too.
async function minify(terser, body, scopeName) {
  const wrapped = "function __m(" + scopeName + "){" + body + "\nreturn " + scopeName + "}";
  const result = await terser.minify(wrapped, {
    compress: {passes: 1}, mangle: {reserved: [scopeName]}, keep_fnames: true, keep_classnames: true,
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

main().catch((error) => { process.stderr.write(String(error && error.stack || error) + "\n"); process.exit(1); });
