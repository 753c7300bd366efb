// The shipped Brython runtime, cut into steps the loader evaluates one task at a time (run by
// tools/release.py at release time only).
//
// Reads JSON on stdin: {"source": brython.js without its compiler chain, "pieceChars": N,
// "prune": {"anchors": [statement texts marking each dist file to prune], "keep": [$B names kept],
// "drop": [$B names dropped on purpose]} or null}
// and writes JSON on stdout: {"script": the runtime to ship (unminified), "steps": [chars per step],
// "pruned": chars removed by pruning, "removed": the runtime names pruning removed ("NAME" for $B.NAME,
// "_b_.NAME" for a builtin), which tools/release.py checks the generated code never uses}.
//
// brython.js is a concatenation of the dist's source files, each a top-level statement, nearly all
// `(function($B){...})(__BRYTHON__)`, in one strict-mode script. Evaluating it is one long task (about
// 100 ms on a desktop CPU). Here its top-level statements are grouped into steps, each wrapped in a
// function; the script hands them to `__consentBoot.runtimeSteps(steps)` when our loader asked for them,
// or runs them all at once otherwise (brython.js loaded on its own still works). A function is not a script: a top-level `var`
// would become local to its step, so each is declared once at the top of the script and its
// initialiser stays in place as an assignment; any other top-level declaration (function, let, const,
// class) fails the build, as does a layout this file does not expect.
//
// Type docstrings ("typeDocs": the slot name, "tp_doc"): the dist file that creates the built-in types
// calls `init_type(ns, name, [slot values...])` once per type, slot names listed in `var slots=[...]`;
// each docstring given there (a string) becomes `$B.NULL`, what the dist itself gives the types that
// have none (`int.__doc__` and friends: nothing of ours reads them). The build fails unless exactly one
// file has that shape and docstrings were found.
//
// Pruning (the deeper compiler cut): each dist file named by an anchor (tokenizer, AST classes, AST
// code generator...) keeps only the statements of its function body that define a `$B.NAME` listed in
// `keep`, the local declarations those need (transitively), and the plain statements (loops, calls)
// that only touch those kept locals. Every `$B.NAME` (or builtin `_b_.NAME`, listed as "_b_.NAME") such
// a file defines, even inside a chain (`var f=$B.f=...`), and the rest of the runtime uses must be in
// `keep` or in `drop`, or the build fails: a new release that moved something the runtime needs into
// these files cannot ship silently broken.
"use strict";
const fs = require("fs");
const path = require("path");

function fail(message) { throw new Error("split_runtime: " + message); }

function acornFor() {
  const root = path.join(__dirname, "..", "node_modules", "acorn");
  try { return require(root); } catch (e) { fail("acorn is missing (npm ci)"); }
}

// Every identifier name read or written in `node` (property names after a dot and object keys are not
// identifiers). An over-approximation of what a statement needs: it may keep a little more, never less.
function identifiers(node, out) {
  if (!node || typeof node.type !== "string") { return out; }
  if (node.type === "Identifier") { out.add(node.name); return out; }
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "start" || key === "end") { continue; }
    if (node.type === "MemberExpression" && key === "property" && !node.computed) { continue; }
    if (node.type === "Property" && key === "key" && !node.computed) { continue; }
    const value = node[key];
    if (Array.isArray(value)) { value.forEach((v) => identifiers(v, out)); } else if (value && typeof value === "object") { identifiers(value, out); }
  }
  return out;
}

function declared(statement) {
  if (statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") { return [statement.id.name]; }
  if (statement.type === "VariableDeclaration") { return statement.declarations.map((d) => d.id.name || "?"); }
  return [];
}

// `$B.NAME = ...` (or `__BRYTHON__.NAME = ...`) at the top of a statement: the NAME it defines.
function definesName(statement) {
  const e = statement.type === "ExpressionStatement" && statement.expression;
  if (!e || e.type !== "AssignmentExpression" || e.left.type !== "MemberExpression" || e.left.computed) { return null; }
  const object = e.left.object;
  return object.type === "Identifier" && (object.name === "$B" || object.name === "__BRYTHON__") ? e.left.property.name : null;
}

// Every runtime name a statement defines, wherever it stands in a chain of assignments
// (`$B.a = $B.b = ...`, `var f = $B.f = ...`, `var g = _b_.g = ...`): "NAME" for $B.NAME, "_b_.NAME" for
// a builtin. What the pruning must account for when the statement goes.
function definedNames(statement) {
  const names = [];
  const chain = (e) => {
    while (e && e.type === "AssignmentExpression") {
      const left = e.left;
      if (left.type === "MemberExpression" && !left.computed && left.object.type === "Identifier") {
        const root = left.object.name;
        if (root === "$B" || root === "__BRYTHON__") { names.push(left.property.name); }
        if (root === "_b_") { names.push("_b_." + left.property.name); }
      }
      e = e.right;
    }
  };
  if (statement.type === "ExpressionStatement") { chain(statement.expression); }
  if (statement.type === "VariableDeclaration") { statement.declarations.forEach((d) => chain(d.init)); }
  return names;
}

// The root object a plain statement assigns into (`a.b[c] = ...` -> a), if any.
function assignsInto(statement) {
  const e = statement.type === "ExpressionStatement" && statement.expression;
  if (!e || e.type !== "AssignmentExpression") { return null; }
  let target = e.left;
  while (target.type === "MemberExpression") { target = target.object; }
  return target.type === "Identifier" ? target.name : null;
}

function iifeBody(statement) {
  const e = statement.type === "ExpressionStatement" && statement.expression;
  if (e && e.type === "CallExpression" && e.callee.type === "FunctionExpression") { return e.callee.body; }
  return null;
}

// One dist file reduced to what `keep` needs (see the header). Returns the new text of the statement.
function prune(source, statement, keep, drop, usedElsewhere, unknown, removed) {
  const body = iifeBody(statement);
  const statements = body ? body.body : [statement];
  const declaring = new Map();
  statements.forEach((s) => declared(s).forEach((name) => declaring.set(name, s)));
  const included = new Set();
  const includedNames = new Set();
  const add = (s) => {
    if (included.has(s)) { return; }
    included.add(s);
    declared(s).forEach((n) => includedNames.add(n));
    for (const name of identifiers(s, new Set())) {
      if (declaring.has(name) && declaring.get(name) !== s) { add(declaring.get(name)); }
    }
  };
  for (const s of statements) {
    const names = definedNames(s);
    if (names.some((name) => keep.has(name))) { add(s); }
  }
  for (const s of statements) {
    if (included.has(s)) { continue; }
    for (const name of definedNames(s)) {
      removed.add(name);
      if (usedElsewhere(name) && !drop.has(name)) { unknown.push(name); }
    }
  }
  // Plain statements (loops filling a kept table...) that touch kept locals only, until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const s of statements) {
      if (included.has(s) || declared(s).length || definesName(s) !== null) { continue; }
      const root = assignsInto(s);
      if (root === "$B" || root === "__BRYTHON__" || root === "_b_") { continue; }
      const locals = [...identifiers(s, new Set())].filter((n) => declaring.has(n));
      if (locals.length && locals.every((n) => includedNames.has(n))) { add(s); changed = true; }
    }
  }
  if (!body) { return included.size ? source.slice(statement.start, statement.end) : ""; }
  const kept = statements.filter((s) => included.has(s)).map((s) => source.slice(s.start, s.end));
  const e = statement.expression;
  return source.slice(statement.start, body.start) + "{" + kept.join("\n") + "}" + source.slice(body.end, e.end);
}

// `(function($B){...})(args)` cut into pieces: [the call of the same function as a generator, with
// `yield` between its groups of top-level statements; and the groups after the first as empty strings
// (a step that resumes it)], or null when the text is not such a call or gives a single group.
function piecesOf(acorn, text, pieceChars) {
  let program;
  try { program = acorn.parse(text, {ecmaVersion: "latest", sourceType: "script"}); } catch (e) { return null; }
  const statement = program.body.length === 1 ? program.body[0] : null;
  const body = statement && iifeBody(statement);
  const fn = body && statement.expression.callee;
  if (!fn || fn.generator || fn.async || text.slice(fn.start, fn.start + 8) !== "function") { return null; }
  const groups = [[]];
  let size = 0;
  for (const inner of body.body) {
    if (size >= pieceChars) { groups.push([]); size = 0; }
    groups[groups.length - 1].push(text.slice(inner.start, inner.end));
    size += inner.end - inner.start;
  }
  if (groups.length < 2) { return null; }
  const e = statement.expression;
  const generator = text.slice(e.start, fn.start) + "function*" + text.slice(fn.start + 8, body.start) + "{" +
    groups.map((g) => g.join("\n")).join("\nyield;\n") + "}" + text.slice(body.end, e.end);
  return [generator].concat(groups.slice(1).map(() => ""));
}

// See the header: docstrings of the built-in types become $B.NULL.
function withoutTypeDocs(source, statements, slot) {
  const holders = statements.filter((s) => iifeBody(s.node) &&
    iifeBody(s.node).body.some((d) => d.type === "FunctionDeclaration" && d.id.name === "init_type"));
  if (holders.length !== 1) { fail("expected one dist file declaring init_type, found " + holders.length); }
  const holder = holders[0], body = iifeBody(holder.node).body;
  const slots = body.map((d) => d.type === "VariableDeclaration" && d.declarations.find((v) => v.id.name === "slots"))
    .filter(Boolean);
  if (slots.length !== 1 || !slots[0].init || slots[0].init.type !== "ArrayExpression") { fail("no `var slots=[...]` beside init_type"); }
  const index = slots[0].init.elements.findIndex((e) => e.type === "Literal" && e.value === slot);
  if (index < 0) { fail("init_type has no " + slot + " slot"); }
  const cuts = [];
  for (const d of body) {
    const call = d.type === "ExpressionStatement" && d.expression.type === "CallExpression" && d.expression;
    if (!call || call.callee.type !== "Identifier" || call.callee.name !== "init_type") { continue; }
    const data = call.arguments[2];
    if (!data || data.type !== "ArrayExpression" || !data.elements[index]) { fail("unexpected init_type call"); }
    const doc = data.elements[index];
    if ((doc.type === "Literal" && typeof doc.value === "string") || doc.type === "TemplateLiteral") { cuts.push(doc); }
  }
  if (!cuts.length) { fail("no " + slot + " docstrings found in init_type calls"); }
  let text = "", at = holder.node.start;
  for (const doc of cuts) { text += source.slice(at, doc.start) + "$B.NULL"; at = doc.end; }
  holder.text = text + source.slice(at, holder.node.end);
  return statements;
}

function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf-8"));
  const source = request.source;
  const acorn = acornFor();
  const program = acorn.parse(source, {ecmaVersion: "latest", sourceType: "script"});
  const top = program.body;
  if (!(top[0] && top[0].directive === "use strict")) { fail("brython.js no longer starts with \"use strict\""); }
  const first = top.findIndex((s) => iifeBody(s) !== null);
  if (first < 0) { fail("no (function($B){...})(__BRYTHON__) file in brython.js"); }
  const prologue = top.slice(0, first);
  if (!prologue.some((s) => declared(s).includes("__BRYTHON__"))) { fail("brython.js no longer declares __BRYTHON__ first"); }
  // Before the first file: the directive, __BRYTHON__, a feature probe and polyfills; they stay top-level.
  for (const s of prologue) {
    const expected = s.directive || s.type === "EmptyStatement" || s.type === "TryStatement" || s.type === "IfStatement" ||
      (s.type === "VariableDeclaration" && declared(s).join() === "__BRYTHON__");
    if (!expected) { fail("unexpected " + s.type + " before the first (function($B){...}) file of brython.js"); }
  }

  // Pruning.
  let statements = top.slice(first).map((s) => ({node: s, text: source.slice(s.start, s.end)}));
  if (request.typeDocs) { statements = withoutTypeDocs(source, statements, request.typeDocs); }
  let pruned = 0;
  const removed = new Set(), defined = new Set();
  if (request.prune) {
    const keep = new Set(request.prune.keep), drop = new Set(request.prune.drop);
    const targets = request.prune.anchors.map((anchor) => {
      const found = statements.filter((s) => s.text.includes(anchor));
      if (found.length !== 1) { fail("expected one dist file holding " + JSON.stringify(anchor) + ", found " + found.length); }
      return found[0];
    });
    const rest = statements.filter((s) => !targets.includes(s)).map((s) => s.text).join("\n");
    const usedElsewhere = (name) => name.startsWith("_b_.") ?
      new RegExp("(\\b_b_|\\$B\\.builtins|__BRYTHON__\\.builtins)\\." + name.slice(4).replace(/\$/g, "\\$") + "\\b").test(rest) :
      new RegExp("(\\$B|__BRYTHON__)\\." + name.replace(/\$/g, "\\$") + "\\b").test(rest);
    const unknown = [];
    for (const target of targets) {
      const text = prune(source, target.node, keep, drop, usedElsewhere, unknown, removed);
      const inner = iifeBody(target.node) ? iifeBody(target.node).body : [target.node];
      inner.forEach((s) => { if (text.includes(source.slice(s.start, s.end))) { definedNames(s).forEach((n) => defined.add(n)); } });
      pruned += target.text.length - text.length;
      target.text = text;
    }
    if (unknown.length) {
      fail("the runtime uses " + unknown.map((n) => n.startsWith("_b_.") ? n : "$B." + n).join(", ") +
           ", defined in pruned files: list each in keep or drop (tools/release.py)");
    }
    const missing = [...keep].filter((n) => !defined.has(n));
    if (missing.length) { fail("no pruned file defines $B." + missing.join(", $B.")); }
    statements = statements.filter((s) => s.text !== "");
    // The runtime walks `$B.builtin_funcs` (names of builtin functions) and logs each it cannot find:
    // the builtins pruned go from that list too.
    const builtins = [...removed].filter((n) => n.startsWith("_b_.") && !defined.has(n)).map((n) => n.slice(4));
    if (builtins.length) {
      const lists = statements.filter((s) => (s.text.match(/\$B\.builtin_funcs=\[[^\]]*\]/g) || []).length === 1);
      if (lists.length !== 1) { fail("expected one `$B.builtin_funcs=[...]` list in brython.js, found " + lists.length); }
      lists[0].text = lists[0].text.replace(/\$B\.builtin_funcs=\[([^\]]*)\]/, (all, items) => "$B.builtin_funcs=[" +
        items.split(",").filter((item) => !builtins.includes(item.trim().replace(/^['"]|['"]$/g, ""))).join(",") + "]");
    }
  }

  // A loop of one dist file too long for one task, cut out of its function (it may only use $B) and run
  // as `into` steps right after that file: step k handles the k-th share of the same enumeration.
  if (request.slice) {
    const {loop, into, item} = request.slice;
    const holders = statements.filter((s) => s.text.split(loop).length === 2);
    if (holders.length !== 1) { fail("expected the loop to slice once in brython.js, found " + holders.length); }
    const header = loop.slice(0, loop.lastIndexOf(item));
    if (!loop.endsWith("}}") || loop.lastIndexOf(item) < 0) { fail("unexpected loop shape to slice"); }
    holders[0].text = holders[0].text.replace(loop, "");
    holders[0].breakAfter = true;
    const at = statements.indexOf(holders[0]);
    const parts = [];
    for (let k = 0; k < into; k++) {
      // header ends inside the inner loop's body: count every item, handle this share only
      const test = k === into - 1 ? "n>=" + k + "*share" : "n>=" + k + "*share&&n<" + (k + 1) + "*share";
      parts.push({text: "var t=0,n=0;" + header + "t++}}var share=Math.ceil(t/" + into + ");" + header +
                  "if(" + test + "){" + item + "}n++}}", own: true});
    }
    statements.splice(at + 1, 0, ...parts);
  }

  // Top-level declarations after the prologue: `var` is hoisted to the script, anything else refused.
  const hoisted = [];
  for (const s of statements) {
    if (s.own) { continue; }
    if (s.node.type === "VariableDeclaration" && s.node.kind === "var" && s.text === source.slice(s.node.start, s.node.end)) {
      const assignments = [];
      for (const d of s.node.declarations) {
        if (d.id.type !== "Identifier") { fail("unexpected top-level var pattern"); }
        hoisted.push(d.id.name);
        if (d.init) { assignments.push(source.slice(d.start, d.end)); }
      }
      s.text = assignments.length ? assignments.join(",") + ";" : "";
    } else if (declared(s.node).length) {
      fail("unexpected top-level declaration of " + declared(s.node).join(", ") + " in brython.js");
    }
  }

  // A dist file longer than a step is cut inside (all but the first, which stays whole): its function
  // becomes a generator that pauses (yield) between groups of its top-level statements of about
  // pieceChars characters, and each group is a step of its own that resumes it. The function's locals
  // live on in the generator between steps, and the statements run in the same order as before.
  const cut = [statements[0]];
  let generators = 0;
  for (const s of statements.slice(1)) {
    const pieces = s.own || s.text.length <= request.pieceChars ? null : piecesOf(acorn, s.text, request.pieceChars);
    if (!pieces) { cut.push(s); continue; }
    const name = "$consentStep" + generators++;
    hoisted.push(name);
    pieces.forEach((text, k) => cut.push({text: (k === 0 ? name + "=" + text + ";" : "") + name + ".next()", own: true}));
  }
  statements = cut;

  // Steps: the first dist file alone, then groups of consecutive statements of about pieceChars characters.
  const steps = [[statements[0].text]];
  let size = 0;
  let breakNext = false;
  for (const s of statements.slice(1)) {
    if (!s.text.trim() || s.text.trim() === ";" || s.text.trim() === "\"use strict\";") { continue; }
    if (size >= request.pieceChars || steps.length === 1 || breakNext || s.own) { steps.push([]); size = 0; }
    steps[steps.length - 1].push(s.text);
    size += s.text.length;
    breakNext = Boolean(s.breakAfter || s.own);
  }
  const head = prologue.map((s) => source.slice(s.start, s.end)).join("\n");
  const vars = hoisted.length ? "\nvar " + [...new Set(hoisted)].join(",") + ";" : "";
  const functions = steps.map((texts) => "function(){\n" + texts.join("\n;\n") + "\n}").join(",\n");
  // The first file reads document.currentScript, valid only while the script runs, for brython_path (the
  // directory of brython.js) unless it is set already: the script sets it the same way before handing
  // the steps over.
  if (!statements[0].text.includes("this_url=document.currentScript.src")) {
    fail("the first file of brython.js no longer derives brython_path from document.currentScript");
  }
  const script = head + vars + "\n(function(steps){var boot=globalThis.__consentBoot,me=document.currentScript;" +
    "if(me&&me.src&&__BRYTHON__.brython_path===undefined){__BRYTHON__.brython_path=me.src.split('/').slice(0,-1).join('/')+'/'}" +
    "if(boot&&boot.runtimeSteps){boot.runtimeSteps(steps)}else{steps.forEach(function(step){step()})}})([\n" +
    functions + "\n]);\n";
  acorn.parse(script, {ecmaVersion: "latest", sourceType: "script"});       // still one valid script
  process.stdout.write(JSON.stringify({script, steps: steps.map((t) => t.join("").length), pruned,
                                       removed: [...removed].filter((n) => !defined.has(n)).sort()}));
}

try { main(); } catch (error) { process.stderr.write(String(error && error.message || error) + "\n"); process.exit(1); }
