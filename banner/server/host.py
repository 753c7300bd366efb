"""What CPython hands the pure core in place of the page's own tools (CPython only, never bundled for the
page): Python's `re` for the browser's RegExp check, and `json` bounded in depth for the files the tools,
the build, the audit and the Django app read. The command line, the server side and the tests all take
them from here, so none of them imports another's module to get them."""

import json
import re

MAX_JSON_DEPTH = 64      # arrays and objects inside each other; a manifest needs 5, a data-config with it inline 6


def load_json(handle):
    """json.load for the files the tools and the Django app read (manifests, data-configs): a document nested
    deeper than MAX_JSON_DEPTH is a ValueError saying so. Python's decoder ends in a RecursionError on
    ~1,000 levels, and whatever walks a decoded document (repr() in a message, json.dumps) a little
    sooner: refused here, no traceback comes from nesting."""
    try:
        data = json.load(handle)
    except RecursionError:
        data = None
    else:
        level, depth = [data], 0
        while level and depth <= MAX_JSON_DEPTH:     # breadth first: no recursion, whatever the depth
            level = [v for node in level if isinstance(node, (dict, list))
                     for v in (node.values() if isinstance(node, dict) else node)]
            depth += 1
        if depth <= MAX_JSON_DEPTH:
            return data
    raise ValueError("arrays and objects nested more than %d levels deep (a manifest needs 5)" % MAX_JSON_DEPTH)


def regex_ok(pattern, name=None):
    """CPython's stand-in for the page's RegExp check: whether `pattern` compiles; given a `name`, whether
    it also finds a match in it (RegExp.test: anywhere in the name), as banner.manifest asks of the consent
    cookie's name."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return name is None or compiled.search(name) is not None
