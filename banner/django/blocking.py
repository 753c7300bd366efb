"""{% consent_block %}: the scripts and iframes of a fragment, sent live or blocked as the page expects.

The fragment is read with html.parser (never regular expressions on markup) and written back unchanged
except for the start tags of <script> and <iframe>:

- accepted (the request's decision accepts the category under the current manifest, and the content
  names no third party the category does not declare): sent live, marked `data-consent` plus
  `data-cb-ran` on scripts (the page's Python then knows they ran, never runs them again, and reloads on
  withdrawal as for the scripts it ran itself), `data-src` on iframes (so a withdrawal blanks them);
- otherwise blocked exactly as a portal writes it by hand: `type="text/plain" data-consent=... data-src=...`
  (the original type kept as data-type), iframes `data-consent data-src` without src.
"""

from html import escape
from html.parser import HTMLParser

from banner.ui.scripts import DONE

GATED = ("script", "iframe")


def _tag(tag, attrs, closed=False):
    text = "".join(" " + k if v is None else ' %s="%s"' % (k, escape(v, quote=True)) for k, v in attrs)
    return "<%s%s%s>" % (tag, text, " /" if closed else "")


def gate_attributes(tag, attrs, category, live):
    """The attributes of a <script> or <iframe> start tag, live or blocked, for `category`."""
    keep = [(k, v) for k, v in attrs if k not in ("data-consent", "data-src", DONE)]
    src = dict(attrs).get("src")
    if tag == "script":
        if live:
            return keep + [("data-consent", category), (DONE, None)]
        blocked = [(k, v) for k, v in keep if k not in ("src", "type")]
        original = dict(attrs).get("type")
        return ([("type", "text/plain"), ("data-consent", category)] + ([("data-src", src)] if src else []) +
                ([("data-type", original)] if original else []) + blocked)
    if src is None:
        return keep + [("data-consent", category)]
    if live:
        return keep + [("data-consent", category), ("data-src", src)]
    return [(k, v) for k, v in keep if k != "src"] + [("data-consent", category), ("data-src", src)]


class Gate(HTMLParser):
    """Rewrites a fragment; `allowed(attrs)` says whether one script or iframe may be sent live."""

    def __init__(self, category, allowed):
        super().__init__(convert_charrefs=False)
        self.category, self.allowed, self.out = category, allowed, []

    def _start(self, tag, attrs, closed):
        if tag in GATED:
            live = self.allowed(dict(attrs))
            self.out.append(_tag(tag, gate_attributes(tag, attrs, self.category, live), closed))
        else:
            self.out.append(self.get_starttag_text())

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, True)

    def handle_endtag(self, tag):
        self.out.append("</%s>" % tag)

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append("&%s;" % name)

    def handle_charref(self, name):
        self.out.append("&#%s;" % name)

    def handle_comment(self, data):
        self.out.append("<!--%s-->" % data)

    def handle_decl(self, decl):
        self.out.append("<!%s>" % decl)

    def handle_pi(self, data):
        self.out.append("<?%s>" % data)

    def unknown_decl(self, data):
        self.out.append("<![%s]>" % data)


def gate(fragment, category, accepted, undeclared=lambda category, named, url: None):
    """The fragment with its scripts and iframes live when `accepted` and declared, else blocked."""
    def allowed(attrs):
        return accepted and undeclared(category, attrs.get("data-provider"), attrs.get("src")) is None
    parser = Gate(category, allowed)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)
