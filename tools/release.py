"""The release step (contributors, from a checkout; not in the wheel): `python tools/release.py`.

`release()` (contributors, from a checkout: `make build` / `make package`) turns the sources into the
packaged assets, banner/static/consent_banner/, which the wheel and the npm package ship:

    consent.js              the loader (static/src/consent.js with its pure rules, static/src/rules.js, put
                            in at /*RULES*/; minified with terser when available), with the styles in it:
                            it adopts them as a constructed stylesheet
    consent.css             the styles (static/src/consent.css, comments and spaces removed), for pages that
                            link them (the Django app's first layer) and browsers without constructed sheets
    brython.js              the Brython runtime from the pinned `brython` package (pyproject.toml) without its
                            compiler (the page never compiles) nor what our Python never uses (bytes,
                            complex, files: RUNTIME_PRUNE, LEFT_OUT), minified with terser (sizes in
                            docs/architecture.md; cached in .build-cache/ since it takes seconds)
    consent.brython.js      the start-up bundle: the core, the first layer, French and English strings
    consent-extra.js        loaded when needed: preferences centre, policy page, embeds, reopen button,
                            Google Consent Mode, vendor signals, consent log
    consent-lang-XX.js      the strings of each other built-in language, loaded when data-config lists it
    consent-mode.js         Google Consent Mode's default (and a stored choice's update), and the vendor
                            signals (banner/vendors.py), before any tag, for servers that send consented
                            tags live (banner.django)

   plus banner/consent.template.js, the same minified loader with a hole where a prerendered first layer goes.

A portal's own build, `consent-banner build` (banner/server/build.py), copies these assets and fills the
loader's hole with its prerendered first layer; it needs neither Node nor a checkout.

Bundles hold JavaScript, not Python: release() runs Brython's own compiler, from the very brython.js it
ships, in Node (tools/compile_python.js, with Math.random seeded so that the same sources give the same
bytes) over every module of every bundle. Each bundle calls the loader's `__consentBoot.bundle(stamp, vfs,
code)`: `stamp` is the runtime's version and build timestamp (generated code calls the runtime's
internals, so the loader refuses a bundle made for another build), `vfs` empty Brython VFS entries so that
Brython's finder knows the modules, `code` the generated JavaScript for `__BRYTHON__.precompiled`, which
Brython's VFS loader evaluates instead of compiling. The page never compiles. The generated code keeps no
line numbers or position tables (only a printed traceback read them). Only release() needs Node;
build() copies its output.
"""

import ast
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))    # the checkout
sys.path.insert(0, ROOT)
from banner import __version__  # noqa: E402
from banner.server import loader_facts  # noqa: E402
from banner.server.build import ASSETS, HERE, HOLE, TEMPLATE, BuildError, write  # noqa: E402
from banner.lang import IN_MAIN_BUNDLE, SHIPPED  # noqa: E402

DIST = os.path.join(ROOT, "static", "dist")
SRC = os.path.join(ROOT, "static", "src")
SIGNALS = "/*SIGNALS*/null"                   # where static/src/signals.js goes (loader, consent-mode.js)
PACKAGE = "banner"
CPYTHON_ONLY = {"__main__.py"}            # the command line; the rest of the CPython side is a folder:
# banner/server/ (portal build, prerender, receiver...), the Django app (banner/django/), the audit (banner/audit/)
CPYTHON_SUBPACKAGES = {"server", "django", "audit"}
EXTRA = {"banner.ui.preferences", "banner.ui.tables", "banner.ui.policy", "banner.ui.embeds", "banner.ui.reopen",
         "banner.ui.signals", "banner.google", "banner.vendors", "banner.record",
         "banner.ui.browser_help", "banner.ui.dsfr_centre", "banner.ui.carry",
         "banner.ui.failed_embeds"}          # plus the French and English `_more` strings
TERSER = os.path.join(ROOT, "node_modules", ".bin", "terser")
COMPILER = os.path.join(ROOT, "tools", "compile_python.js")    # Brython's compiler in Node (release only)


class _StripDocstrings(ast.NodeTransformer):
    def _strip(self, node):
        self.generic_visit(node)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:] or [ast.Pass()]
        node.body = body
        return node

    visit_Module = visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _strip


def compact_source(source):
    """Python source without docstrings or comments, indented by one space: what the release compiles.
    ast.unparse writes one statement per line with 4-space indents and escapes newlines inside strings,
    so re-indenting the leading spaces cannot change a string."""
    tree = _StripDocstrings().visit(ast.parse(source))
    lines = ast.unparse(ast.fix_missing_locations(tree)).split("\n")
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        out.append(" " * ((len(line) - len(stripped)) // 4) + stripped)
    return "\n".join(out) + "\n"


def modules(package_dir=HERE):
    """(module name, compact source, is package) for every module the page may import."""
    for dirpath, dirnames, filenames in os.walk(package_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__"
                             and not (dirpath == package_dir and d in CPYTHON_SUBPACKAGES))
        rel = os.path.relpath(dirpath, os.path.dirname(package_dir)).split(os.sep)
        for filename in sorted(filenames):
            if not filename.endswith(".py") or filename in CPYTHON_ONLY:
                continue
            with open(os.path.join(dirpath, filename), encoding="utf-8") as handle:
                source = compact_source(handle.read())
            is_package = filename == "__init__.py"
            yield ".".join(rel if is_package else rel + [filename[:-3]]), source, is_package


def bundle_name(module):
    if module in EXTRA:
        return "consent-extra.js"
    if module.startswith("banner.lang."):
        code, _, part = module.split(".")[-1].partition("_")
        if code not in IN_MAIN_BUNDLE:
            return "consent-lang-%s.js" % code
        if part == "more":
            return "consent-extra.js"
    return "consent.brython.js"


def compile_modules(sources, runtime=None, unavailable=()):
    """Brython's own compiler, from the runtime that ships, over `sources` ([(name, source, is_package)]):
    {"version", "implementation", "timestamp", "modules": {name: JavaScript}}, minified with terser when
    `npm ci` installed it. The full runtime compiles; the shipped one (without_compiler) keeps its build
    timestamp. `unavailable`: runtime names the shipped runtime leaves out (runtime_in_steps); generated
    code calling one fails the build. Without line numbers and position tables (tools/compile_python.js):
    only a printed traceback used them. Runs Node once (tools/compile_python.js); only a release needs
    Node, a portal's build() copies the result."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("the release step compiles the Python with Node (`node` on PATH); install nodejs")
    terser = os.path.join(ROOT, "node_modules", "terser")
    request = {"runtime": runtime or brython_runtime(), "modules": [list(m) for m in sources],
               "terser": terser if os.path.isdir(terser) else None, "unavailable": sorted(unavailable)}
    result = subprocess.run([node, COMPILER], input=json.dumps(request), capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("compiling the Python failed: %s" % (result.stderr.strip().splitlines() or ["?"])[-1])
    return json.loads(result.stdout)


def runtime_stamp(compiled):
    """What a bundle is made for and the loader checks: the runtime's release and build timestamp."""
    return "%s+%s" % (compiled["version"], compiled["timestamp"])


# V8's explicit compile hint (Chromium 136+), the first line of brython.js and of every bundle: compile
# each function of the file while the script streams in, off the main thread, instead of lazily on the
# main thread at its first call. Generated code is verbose, and its first calls used to pay that compiling
# inside our start-up tasks (measured in docs/architecture.md).
# Other engines read a comment.
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"


def bundles(compiled=None, sources=None):
    """{file name: JS text} for every Brython bundle: each module's generated JavaScript (packages as a
    one-element list, as Brython's precompiled path expects) with an empty VFS entry so that Brython's
    finder knows the module, handed to the loader's `bundle()` with the runtime it was compiled for. Each
    module is a function `function(locals_NAME){...; return locals_NAME}`, what Brython would otherwise
    build from a string with `new Function` (see RUNTIME_PRECOMPILED)."""
    sources = sources or list(modules())
    compiled = compiled or compile_modules(sources)
    stamp = runtime_stamp(compiled)
    grouped = {}
    for name, _source, is_package in sources:
        vfs, code = grouped.setdefault(bundle_name(name), ({}, []))
        vfs[name] = [".py", "", [], 1] if is_package else [".py", "", []]
        scope = compiled["scopes"][name]
        function = "function(%s){%s\nreturn %s}" % (scope, compiled["modules"][name], scope)
        code.append("%s:%s" % (json.dumps(name), "[%s]" % function if is_package else function))
    return {file: COMPILE_HINT + "__consentBoot.bundle(%s,%s,{%s});\n" % (json.dumps(stamp), _js(vfs), ",\n".join(code))
            for file, (vfs, code) in sorted(grouped.items())}


def _js(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _module_imports(name, source, is_package, known):
    """The banner modules a module imports when it is executed (top-level imports only: imports inside
    functions run later, on demand), parents included."""
    package = name if is_package else name.rsplit(".", 1)[0]
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.append(base)
            found += [base + "." + alias.name for alias in node.names if base + "." + alias.name in known]
    result = []
    for module in found:
        parts = module.split(".")
        result += [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return [m for m in result if m in known and m != name]


def start_chunks(entry="banner.ui.boot", chunk_chars=1):
    """The start-up modules in dependency order, grouped into chunks the loader imports one task at a
    time (the page evaluates precompiled modules, tens of milliseconds in all; the chunks keep each task
    short on slow CPUs). By default each module is a chunk of its own: a class-heavy module alone takes
    a few milliseconds on a desktop CPU, four times that on a phone."""
    sources = {name: (source, is_package) for name, source, is_package in modules()
               if bundle_name(name) == "consent.brython.js"}
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in _module_imports(name, sources[name][0], sources[name][1], sources):
            visit(dep)
        order.append(name)

    visit(entry)
    chunks, current, size = [], [], 0
    for name in order:
        current.append(name)
        size += len(sources[name][0])
        if size >= chunk_chars:
            chunks.append(current)
            current, size = [], 0
    return chunks + ([current] if current else [])


def build_hash():
    """12 hex digits of SHA-256 over what runs in the page (every module's shipped source, the loader and
    the styles): the build each consent record names, so a portal can show which code asked (CNIL's
    "hash of each version of the banner code" as proof of how consent was obtained)."""
    import hashlib
    digest = hashlib.sha256()
    for name, source, _ in sorted(modules()):
        digest.update(("%s\0%s\0" % (name, source)).encode("utf-8"))
    for name in ("consent.js", "consent.css", "consent-mode.js", "signals.js"):
        with open(os.path.join(SRC, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:12]


def with_signals(source):
    """`source` with its `/*SIGNALS*/null` replaced by the vendor-signal runner (static/src/signals.js, one
    function expression after its comment): the loader and consent-mode.js both run vendor signals. (A
    `/*CONSOLE_PREFIX*/""` gets banner.errors' prefix: consent-mode.js has no loader facts.)"""
    from banner.errors import CONSOLE_PREFIX
    with open(os.path.join(SRC, "signals.js"), encoding="utf-8") as handle:
        runner = handle.read()
    runner = runner[runner.index("function ("):].strip()
    if source.count(SIGNALS) > 1:
        raise BuildError("%d signal holes in one script" % source.count(SIGNALS))
    source = source.replace('/*CONSOLE_PREFIX*/""', json.dumps(CONSOLE_PREFIX))
    return source.replace(SIGNALS, "(" + runner + ")")


def rules_source(indent=""):
    """static/src/rules.js, the loader's pure rules, as the loader holds them (`indent`: inside its
    function) and as the tests load them whole."""
    with open(os.path.join(SRC, "rules.js"), encoding="utf-8") as handle:
        text = handle.read()
    return "".join(indent + line if line.strip() else line for line in text.splitlines(True))


def loader_source(prerendered=None, hole=False, runtime=""):
    """The loader with this release's facts filled in (`runtime`: the runtime_stamp() its bundles are
    compiled for), and the prerendered first layer (or, with `hole`, the HOLE that build() fills for
    each portal)."""
    with open(os.path.join(SRC, "consent.js"), encoding="utf-8") as handle:
        source = handle.read()
    source = source.replace("  /*RULES*/\n", rules_source(indent="  "))
    extra_languages = [c for c in SHIPPED if c not in IN_MAIN_BUNDLE]
    source = source.replace('/*VERSION*/""', json.dumps(__version__))
    source = source.replace('/*BUILD*/""', json.dumps(build_hash()))
    source = source.replace('/*RUNTIME*/""', json.dumps(runtime))
    source = with_signals(loader_facts.fill(source))
    source = source.replace("/*EXTRA_LANGUAGES*/[]", json.dumps(extra_languages))
    source = source.replace('/*STYLES*/""', json.dumps(styles(), ensure_ascii=False))
    source = source.replace("/*START_CHUNKS*/[]", json.dumps(start_chunks(), separators=(",", ":")))
    first_layer = HOLE if hole else json.dumps(prerendered, ensure_ascii=False, separators=(",", ":"))
    return source.replace("/*PRERENDERED*/null", first_layer)


def minify_js(source):
    if not os.path.exists(TERSER):
        print("build: terser not installed (npm ci), consent.js left unminified", file=sys.stderr)
        return source
    result = subprocess.run([TERSER, "--compress", "--mangle", "--comments", "false"], input=source,
                            capture_output=True, text=True, check=True)
    return result.stdout


def styles():
    """static/src/consent.css as shipped: in consent.css and, the same text, in the loader."""
    with open(os.path.join(SRC, "consent.css"), encoding="utf-8") as handle:
        return minify_css(handle.read())


def minify_css(source):
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"\s+", " ", source)
    source = re.sub(r"\s*([{};,>])\s*", r"\1", source)
    return source.replace(";}", "}").strip() + "\n"


# While brython.js is evaluated, Brython validated navigator.language with Intl.DateTimeFormat and built two
# more formatters to find the time zone's name: a long ICU start-up in the runtime's first step, for
# values only the `time` module and help() read (neither ships). A tag the engine rejects ("C" in WebKit
# under LANG=C.UTF-8) even threw a RangeError and nothing of ours could start. The runtime we ship works
# both out on first read instead (not enumerable: the runtime walks $B's properties once at start-up), and
# falls back to the engine's default locale.
RUNTIME_LOCALE = ("$B.language=_window.navigator.userLanguage ||_window.navigator.language\n"
                  "$B.locale=\"C\" \n"
                  "var date=new Date()\n"
                  "var formatter=new Intl.DateTimeFormat($B.language,{timeZoneName:'short'}),short=formatter.format(date)\n"
                  "formatter=new Intl.DateTimeFormat($B.language,{timeZoneName:'long'})\n"
                  "var long=formatter.format(date)\n"
                  "var ix=0,minlen=Math.min(short.length,long.length)\n"
                  "while(ix < minlen && short[ix]==long[ix]){ix++}\n"
                  "$B.tz_name=long.substr(ix).trim()\n")
RUNTIME_LOCALE_LAZY = (
    "$B.locale=\"C\"\n"
    "function lazy(name,compute){Object.defineProperty($B,name,{configurable:true,enumerable:false,"
    "get:function(){var value=compute();Object.defineProperty($B,name,{value:value,writable:true,"
    "configurable:true,enumerable:true});return value},set:function(value){Object.defineProperty($B,name,"
    "{value:value,writable:true,configurable:true,enumerable:true})}})}\n"
    "lazy(\"language\",function(){var tag=_window.navigator.userLanguage ||_window.navigator.language\n"
    "try{new Intl.DateTimeFormat(tag);return tag}catch(e){return undefined}})\n"
    "lazy(\"tz_name\",function(){var date=new Date(),ix=0\n"
    "var short=new Intl.DateTimeFormat($B.language,{timeZoneName:'short'}).format(date)\n"
    "var long=new Intl.DateTimeFormat($B.language,{timeZoneName:'long'}).format(date)\n"
    "var minlen=Math.min(short.length,long.length)\n"
    "while(ix < minlen && short[ix]==long[ix]){ix++}\n"
    "return long.substr(ix).trim()})\n")


# Our modules arrive as functions in script files (bundles()), not as strings: Brython's precompiled
# import path then calls the function instead of building one with `new Function`, and a portal's
# Content-Security-Policy needs no 'unsafe-eval' for them. The runtime's start-up probe
# `eval("async function* f(){}")` (every browser we support has async generators) goes too: under such a
# policy it would report a violation on every page view.
RUNTIME_PRECOMPILED = ('mod_js+="return "+prefix+parent_id\n'
                       'var $module=new Function(prefix+parent_id,mod_js)(')
RUNTIME_PRECOMPILED_CALLS = ('var $module=(typeof mod_js=="function"?mod_js:'
                             'new Function(prefix+parent_id,mod_js+"return "+prefix+parent_id))(')
RUNTIME_EVAL_PROBE = 'eval("async function* f(){}")'
RUNTIME_CALLS_FUNCTIONS = "__BRYTHON__.calls_precompiled_functions=true"   # the loader's sign (consent.js)


# Every `node.attr = value` from Python (DOMNode.tp_setattro: `document.cookie = ...` when a click stores a
# choice, `hidden`, `textContent`...) first walked the node's prototypes, copying each one's property
# descriptors (Object.getOwnPropertyDescriptors), only to print a console warning for a read-only property
# or a style name. On `document` that walk took about 1 ms of the click's 4-5 ms before its cookie was
# written (a sampled profile of the reject click). Cut from the dist's own start of the walk to its last
# warning: the assignment itself stays, so a read-only property still raises (the runtime is strict-mode
# code), as it did after the warning.
RUNTIME_SETATTR_WALK = ('if(DOMNode.tp_funcs[attr+"_set"]!==undefined){return DOMNode.tp_funcs[attr+"_set"](self,value)}\n',
                        'function warn(msg){console.log(msg)\n',
                        '){warn("Warning: \'"+attr+"\' is a property of element.style")}\n')


def without_setattr_walk(source):
    """brython.js without the warning walk of DOMNode.tp_setattro (RUNTIME_SETATTR_WALK)."""
    before, start, end = RUNTIME_SETATTR_WALK
    at = source.find(before + start)
    stop = source.find(end, at)
    if source.count(before + start) != 1 or source.count(end) != 1 or stop < 0 or \
            "Object.getOwnPropertyDescriptors(proto)" not in source[at:stop]:
        raise BuildError("brython.js no longer warns in DOMNode.tp_setattro as tools/release.py expects; check "
                         "what changed (RUNTIME_SETATTR_WALK)")
    return source[:at + len(before)] + source[stop + len(end):]


def robust_runtime(source):
    """brython.js with its locale facts worked out on first read (see RUNTIME_LOCALE), precompiled
    modules given as functions called as they are, no eval at start-up (see RUNTIME_PRECOMPILED) and no
    warning walk on DOM attribute assignment (RUNTIME_SETATTR_WALK)."""
    for expected, why in ((RUNTIME_LOCALE, "reads navigator.language and the time zone at start-up"),
                          (RUNTIME_PRECOMPILED, "evaluates precompiled modules"),
                          (RUNTIME_EVAL_PROBE, "probes for async generators")):
        if source.count(expected) != 1:
            raise BuildError("brython.js no longer %s as tools/release.py expects; check what changed (start-up "
                             "with an invalid locale: tests/browser/test_loader.py; no 'unsafe-eval': "
                             "tests/browser/test_csp.py)" % why)
    source = source.replace(RUNTIME_LOCALE, RUNTIME_LOCALE_LAZY)
    source = source.replace(RUNTIME_PRECOMPILED, RUNTIME_PRECOMPILED_CALLS)
    return without_setattr_walk(source.replace(RUNTIME_EVAL_PROBE, RUNTIME_CALLS_FUNCTIONS))


COMPILER_CHAIN = ("// >>> brython compiler chain\n", "// <<< brython compiler chain\n")


def without_compiler(text):
    """brython.js without its compiler: the tokenizer, parser, AST, symtable and code generator, which the
    dist itself marks as "brython compiler chain". What generated code calls at run time (the resolve*
    helpers, scope_name, decode_position, the identifier and unicode helpers) lies outside the markers.
    Python's exec/eval/compile, the ast module, runPythonSource and text/python scripts no longer work;
    the page never needs them (the bundles are precompiled)."""
    start, end = COMPILER_CHAIN
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise BuildError("brython.js does not mark its compiler chain once; cannot ship a compiler-free runtime")
    return text[:text.index(start)] + text[text.index(end) + len(end):]


# The deeper cut (tools/split_runtime.js prunes these dist files, found by a statement each holds): the
# tokenizer and its token table, the AST classes, the AST-to-JavaScript code generator and the builtins'
# docstrings (compiler only); then what the page's Python never uses (LEFT_OUT below): the io classes and
# open(), complex numbers, bytes/bytearray, memoryview, eval/exec (useless without the compiler) and the
# `match` helper. From them the runtime keeps only what generated code and the runtime call: the
# identifier and unicode helpers (str.isidentifier...), the position helpers and the name resolvers.
RUNTIME_PRUNE = {
    "anchors": ["$B.py_tokens=", "$B.tokenizer=", "__BRYTHON__.ast_classes=", "__BRYTHON__.ast_attributes=",
                "$B.ast_py_to_js=", "$B.js_from_root=", "var docs=", "for(var key in docs)",
                "$B.make_IOUnsupported=", "$B.make_complex=", "$B.to_bytes=", "$B.memory_iterator.tp_iter=",
                "var $$eval=_b_.eval=", "$B.pattern_match="],
    "keep": ["is_XID_Start", "is_XID_Continue", "in_unicode_category", "copy_position", "decode_position",
             "scope_name", "resolve", "resolve_local", "resolve_in_scopes", "resolve_global", "own_class_name"],
    # used by the runtime only to compile, exec or eval Python, to show source lines in a traceback, or on
    # objects of the types left out (browser.load, complex ** and bytes in str formatting included)
    "drop": ["py_tokens", "tokenizer", "ast_js_to_py", "ast_py_to_js", "js_from_root", "ast",
             "_b_.open", "make_complex", "is_bytes_like", "bytes_decode"],
}
# The docstrings of the built-in types (`init_type(..., [..., tp_doc, ...])` in the runtime's first files,
# kilobytes of text no page reads): each becomes $B.NULL, as the dist has it for the types without one, in tools/split_runtime.js.
# Only `int.__doc__` and the like would show them; nothing in the page reads them (help() does not ship).
RUNTIME_TYPE_DOCS = "tp_doc"
# What the pruning above leaves out of Python: bytes, bytearray and memoryview (with str.encode and
# bytes.decode), complex numbers, open(), eval() and exec(), and `match`. Page code never uses them
# (builtins only, and none of these); the release refuses a page module that does (left_out_uses).
LEFT_OUT = {"names": {"bytes", "bytearray", "memoryview", "complex", "open", "eval", "exec"},
            "methods": {"encode", "decode", "to_bytes", "from_bytes", "tobytes"}}


def left_out_uses(name, source):
    """Where page module `name` uses what the shipped runtime leaves out (LEFT_OUT), as messages."""
    found = []
    for node in ast.walk(ast.parse(source)):
        what = None
        if isinstance(node, ast.Name) and node.id in LEFT_OUT["names"]:
            what = node.id
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in LEFT_OUT["methods"]:
            what = "." + node.func.attr + "()"
        elif isinstance(node, ast.Constant) and isinstance(node.value, (bytes, complex)):
            what = type(node.value).__name__ + " literal"
        elif isinstance(node, getattr(ast, "Match", ())):
            what = "match"
        if what:
            found.append("%s line %d uses %s, which the shipped runtime leaves out" % (name, node.lineno, what))
    return found


# Evaluating the runtime, in steps of about this many characters of source, one task each; the loop that
# finalises every built-in type (a long task on its own) is cut into RUNTIME_SLICE["into"] steps.
RUNTIME_STEP_CHARS = 4000
RUNTIME_SLICE = {"loop": "for(var ns of[$B.builtin_types,$B.created_types]){for(var name in ns){var cls=ns[name]\n"
                         "$B.finalize_type(cls)}}",
                 "item": "var cls=ns[name]\n$B.finalize_type(cls)", "into": 12}
SPLITTER = os.path.join(ROOT, "tools", "split_runtime.js")


def runtime_in_steps(text):
    """brython.js (without its compiler chain) pruned deeper and cut into steps the loader evaluates one
    task at a time (tools/split_runtime.js; see its header), and the runtime names pruning removed. Fails
    the build when the dist's layout is not the one expected."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("the release step shapes the runtime with Node (`node` on PATH); install nodejs")
    if not os.path.isdir(os.path.join(ROOT, "node_modules", "acorn")):
        print("build: acorn not installed (npm ci), brython.js shipped whole, its evaluation one long task",
              file=sys.stderr)
        return text, []
    request = {"source": text, "pieceChars": RUNTIME_STEP_CHARS, "prune": RUNTIME_PRUNE, "slice": RUNTIME_SLICE,
               "typeDocs": RUNTIME_TYPE_DOCS}
    result = subprocess.run([node, SPLITTER], input=json.dumps(request), capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("cutting brython.js into steps failed: %s" % (result.stderr.strip().splitlines() or ["?"])[-1])
    result = json.loads(result.stdout)
    return result["script"], result["removed"]


def minified_runtime(path):
    """brython.js without its compiler (without_compiler, then runtime_in_steps), made robust
    (robust_runtime), through terser, cached by content hash (its size, in
    docs/architecture.md, is what the bench's first-visit bytes count). Returns its path and the runtime names pruning removed."""
    import hashlib
    with open(path, encoding="utf-8") as handle:
        text = robust_runtime(without_compiler(handle.read()))
    with open(SPLITTER, encoding="utf-8") as handle:
        recipe = json.dumps([handle.read(), RUNTIME_PRUNE, RUNTIME_STEP_CHARS, RUNTIME_SLICE, RUNTIME_TYPE_DOCS])
    text, removed = runtime_in_steps(text)
    digest = hashlib.sha256((text + recipe).encode("utf-8")).hexdigest()[:16]
    cut = os.path.join(ROOT, ".build-cache", "brython-%s.js" % digest)
    cached = os.path.join(ROOT, ".build-cache", "brython-%s.min.js" % digest)
    os.makedirs(os.path.dirname(cached), exist_ok=True)
    if not os.path.exists(cut):
        write(os.path.dirname(cut), os.path.basename(cut), text)
    if not os.path.exists(cached):
        if not os.path.exists(TERSER):
            print("build: terser not installed (npm ci), brython.js left unminified", file=sys.stderr)
            return cut, removed
        subprocess.run([TERSER, cut, "--compress", "--mangle", "--comments", "false", "-o", cached + ".tmp"],
                       check=True)
        os.replace(cached + ".tmp", cached)
    return cached, removed


def brython_runtime():
    try:
        import brython
    except ImportError:
        raise BuildError("the 'brython' package is missing; run `make build` (it installs it from pyproject.toml)")
    return os.path.join(os.path.dirname(brython.__file__), "data", "brython.js")


def release():
    """Sources -> the packaged assets (ASSETS and TEMPLATE). Needs a checkout and the `brython` package;
    minifies with terser when `npm ci` has installed it, and works without it (larger files)."""
    if not os.path.exists(os.path.join(SRC, "consent.js")):
        raise BuildError("no static/src/ next to %s: the release step runs in a checkout" % HERE)
    sources = list(modules())
    problems = [p for name, source, _ in sources for p in left_out_uses(name, source)]
    if problems:
        raise BuildError("; ".join(problems) + " (LEFT_OUT in tools/release.py)")
    runtime, removed = minified_runtime(brython_runtime())
    compiled = compile_modules(sources, unavailable=removed)
    template = minify_js(loader_source(hole=True, runtime=runtime_stamp(compiled)))
    if template.count(HOLE) != 1:
        raise BuildError("the minified loader holds %d prerender holes, not one" % template.count(HOLE))
    files = {"consent.js": template.replace(HOLE, "null")}
    files["consent.css"] = styles()
    with open(os.path.join(SRC, "consent-mode.js"), encoding="utf-8") as handle:
        files["consent-mode.js"] = minify_js(with_signals(handle.read()))
    files.update(bundles(compiled, sources))
    os.makedirs(ASSETS, exist_ok=True)
    for name in os.listdir(ASSETS):                          # generated, git-ignored: stale bundles go
        if name.endswith((".js", ".css")):
            os.remove(os.path.join(ASSETS, name))
    with open(runtime, encoding="utf-8") as handle:
        write(ASSETS, "brython.js", COMPILE_HINT + handle.read())
    for name, text in files.items():
        write(ASSETS, name, text)
    write(HERE, os.path.basename(TEMPLATE), template)


def main():
    try:
        release()
    except BuildError as error:
        print("release: %s" % error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
