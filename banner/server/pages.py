"""CPython-only (`consent-banner validate cookies.json --pages DIR`): the blocked content of a portal's HTML
pages and Django templates, judged before a visitor meets it, with the manifest entry that would let it run.

Blocked content of a category runs only for the third parties its category declares (Manifest.undeclared:
a `data-provider` must be a provider's `name`, a URL on another host a provider's `hosts`). Content that
names another stays blocked even once the visitor accepts, which nothing but the browser's console says.
This reads, in each file:

- every `<script>`, `<iframe>`, `<img>`, `<picture>`, `<video>` and `<audio>` carrying `data-consent` (its
  `data-provider`, and the addresses it keeps in `data-src`, `data-srcset` and `data-poster`, with those of
  the `<source>`, `<track>` and `<img>` inside a picture or player), with html.parser: the static contract,
  in any page or template;
- every `{% consent_block "CAT" %}...{% endconsent_block %}` of a Django template, judged as the server
  judges it (banner.django.gate.Check: every URL the browser would fetch, on the tree it would build;
  needs the `[django]` extra for the parser), so a block the server would refuse is named here first.

Each finding names the file, the line, the element, why, and the entry to add to the manifest (a JSON
snippet: a new provider of the category, or the host to add to a provider it declares).
"""

import json
import os
import re
from html.parser import HTMLParser

from banner.text import host_of
from banner.ui.contract import CATEGORY, KEPT_ADDRESSES, PROVIDER, SRCSET

EXTENSIONS = (".html", ".htm", ".djhtml", ".jinja", ".jinja2", ".j2", ".tpl")
BLOCK = re.compile(r"""\{%-?\s*consent_block\s+(["'])([^"']*)\1\s*-?%\}(.*?)\{%-?\s*endconsent_block\s*-?%\}""",
                   re.S)


class Finding:
    """One blocked element (or block) that its category does not let run."""

    STAYS = "it stays blocked even once accepted"
    DROPPED = "the server sends nothing of this block"

    def __init__(self, path, line, element, category, why, provider=None, hosts=(), effect=STAYS):
        self.path, self.line, self.element, self.effect = path, line, element, effect
        self.category, self.why, self.provider, self.hosts = category, why, provider, list(hosts)

    def key(self):
        return (self.path, self.line, self.element, self.why)


def files(paths):
    """The HTML pages and templates under each path (a file is taken whatever its name), sorted."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                found += [os.path.join(folder, n) for n in sorted(names) if n.lower().endswith(EXTENSIONS)]
        else:
            found.append(path)
    return found


BLOCKED = ("script", "iframe", "img", "picture", "video", "audio")
CONTAINERS = ("picture", "video", "audio")          # their <source>, <track> and <img> hold addresses too
PARTS = ("source", "track", "img")
ADDRESSES = tuple(kept for kept, _ in KEPT_ADDRESSES)     # data-src, data-srcset, data-poster


def _addresses(attrs):
    """The URLs a blocked element's data-* attributes hold (a srcset: each candidate's URL)."""
    found = []
    for key in ADDRESSES:
        value = attrs.get(key)
        if value is None:
            continue
        found += [c.strip().split(" ")[0] for c in value.split(",") if c.strip()] if key == SRCSET else [value]
    return found


class _Elements(HTMLParser):
    """Every script, iframe, image, picture, video and audio carrying data-consent: [line, tag, attributes,
    URLs] (a picture's, video's or audio's with those of the parts inside it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.open = []                  # the blocked containers being read

    def handle_starttag(self, tag, attrs):
        named = {}
        for key, value in attrs:
            named.setdefault(key, value if value is not None else "")
        if tag in BLOCKED and CATEGORY in named:
            element = [self.getpos()[0], tag, named, _addresses(named)]
            self.found.append(element)
            if tag in CONTAINERS:
                self.open.append(element)
        elif tag in PARTS and self.open:
            self.open[-1][3].extend(_addresses(named))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in CONTAINERS and self.open and self.open[-1][1] == tag:
            self.open.pop()


def _describe(tag, attrs):
    shown = " ".join('%s="%s"' % (k, attrs[k]) for k in (CATEGORY, PROVIDER) + ADDRESSES if k in attrs)
    return "<%s %s>" % (tag, shown)


def _judge(manifest, category, provider, urls, page_host):
    """Why the content may not run (its provider first, then each URL's host), each by Manifest.undeclared,
    or []."""
    if manifest.category(category) is None:
        return ["category %r is not in the manifest (it has: %s)" % (
            category, ", ".join(c.id for c in manifest.categories))]
    problems = []
    for named, address in [(provider, None)] + [(None, url) for url in urls]:
        problem = manifest.undeclared(category, named, address, page_host)
        if problem is not None and problem not in problems:
            problems.append(problem)
    return problems


def scan_elements(manifest, path, text, page_host):
    parser = _Elements()
    parser.feed(text)
    parser.close()
    found = []
    for line, tag, attrs, urls in parser.found:
        category, provider = attrs[CATEGORY], attrs.get(PROVIDER) or None
        problems = _judge(manifest, category, provider, urls, page_host)
        if problems:
            hosts = []
            for url in urls:
                if host_of(url) and manifest.undeclared(category, None, url, page_host) is not None \
                        and host_of(url) not in hosts:
                    hosts.append(host_of(url))
            found.append(Finding(path, line, _describe(tag, attrs), category, "; ".join(problems), provider, hosts))
    return found


def scan_blocks(manifest, path, text, page_host):
    """Each {% consent_block %} as the server's gate reads it (banner.django.gate.Check)."""
    blocks = list(BLOCK.finditer(text))
    if not blocks:
        return []
    try:
        from banner.django.gate import Check, Refused
        from banner.django.html import parse
    except ImportError as error:        # turbohtml: pip install "consent-banner[django]"
        return [Finding(path, text.count("\n", 0, blocks[0].start()) + 1, "{% consent_block %}", None,
                        "cannot read Django templates' blocks without the parser of the [django] extra "
                        "(pip install \"consent-banner[django]\"): %s" % error)]

    class Collect(Check):
        """The gate's check, noting each undeclared provider or URL (per element) instead of stopping at
        the first."""

        def __init__(self, *args):
            super().__init__(*args)
            self.elements = {}           # id(element) -> [element, provider, [hosts], [reasons]]
            self.current = None

        def element(self, node, depth):
            self.current = node           # its attributes are judged before its children
            super().element(node, depth)

        def note(self, provider, host, why):
            node = self.current
            seen = self.elements.setdefault(id(node), [node, None, [], []])
            seen[1] = seen[1] or provider
            if host and host not in seen[2]:
                seen[2].append(host)
            seen[3].append(why)

        def url(self, url, where):
            try:
                super().url(url, where)
            except Refused as why:
                self.note(None, host_of(url.strip(WHITESPACE)), str(why))

        def provider(self, named):
            try:
                super().provider(named)
            except Refused as why:
                self.note(named, None, str(why))

    from banner.django.gate import WHITESPACE
    found = []
    for match in blocks:
        category, line = match.group(2), text.count("\n", 0, match.start()) + 1
        element = '{%% consent_block "%s" %%}' % category
        if manifest.category(category) is None:
            found.append(Finding(path, line, element, category, _judge(manifest, category, None, [], None)[0]))
            continue
        check = Collect(manifest, category, page_host)
        try:
            check.nodes(parse(match.group(3)))
        except Refused as why:
            found.append(Finding(path, line, element, category, str(why), effect=Finding.DROPPED))
        for node, provider, hosts, reasons in check.elements.values():
            found.append(Finding(path, line, "%s <%s>" % (element, node.name), category, "; ".join(reasons),
                                 provider, hosts, Finding.DROPPED))
    return found


def scan(manifest, paths, page_host=None):
    """Every finding in the pages and templates under `paths`; OSError for a file that cannot be read."""
    found, seen = [], set()
    for path in files(paths):
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        for finding in scan_elements(manifest, path, text, page_host) + scan_blocks(manifest, path, text, page_host):
            if finding.key() not in seen:
                seen.add(finding.key())
                found.append(finding)
    return found


def entry(manifest, finding):
    """(where, JSON snippet) of the manifest entry that would let the finding's content run, or None when
    no declaration would (an unknown category, a block the gate refuses for another reason)."""
    index = next((i for i, c in enumerate(manifest.categories) if c.id == finding.category), None)
    if index is None or (finding.provider is None and not finding.hosts):
        return None
    category = manifest.categories[index]
    name = finding.provider or finding.hosts[0]
    for j, provider in enumerate(category.providers):
        if provider.name == name:
            snippet = {"name": provider.name}
            if provider.policy_url:
                snippet["policyUrl"] = provider.policy_url
            snippet["hosts"] = provider.hosts + [h for h in finding.hosts if h not in provider.hosts]
            return "categories[%d].providers[%d] (%s)" % (index, j, category.id), snippet
    snippet = {"name": name}
    if finding.hosts:
        snippet["hosts"] = finding.hosts
    return "categories[%d].providers (%s)" % (index, category.id), snippet


def report(manifest, findings, out, base=None):
    """Print each finding and its entry; one line per finding, its entry indented under it."""
    for finding in findings:
        path = os.path.relpath(finding.path, base) if base else finding.path
        effect = "; " + finding.effect if finding.category and finding.why[:9] != "category " else ""
        print("%s:%d: %s: %s%s" % (path, finding.line, finding.element, finding.why, effect), file=out)
        suggestion = entry(manifest, finding)
        if suggestion is not None:
            where, snippet = suggestion
            verb = "replace" if "].providers[" in where else "add to"
            print("    %s %s: %s" % (verb, where, json.dumps(snippet, ensure_ascii=False)), file=out)
