"""Building DOM nodes from data. Strings always become text nodes, never markup: a manifest text holding
`<img onerror=...>` is shown as those characters. No HTML string is ever parsed by the banner."""

from banner.ui.contract import OPEN, POLICY, SRC, marked

# The portal's markup the shell looks for, used by the start-up bundle (to decide whether the extra
# bundle is needed) and by the extra bundle's modules alike.
EMBED_SELECTOR = ", ".join([marked("iframe") + "[%s]" % SRC, marked("video"), marked("audio")])   # shown by a placeholder
POLICY_SELECTOR = "[%s]" % POLICY
OPEN_SELECTOR = "[%s]" % OPEN                     # the portal's "Gestion des cookies" links

# Shared with the loader (static/src/consent.js gets them from banner/server/loader_facts.py at build time):
PRERENDERED_ATTR = "data-cb-prerendered"          # marks the first layer the loader painted ahead of Python
ACTION_ATTR = "data-cb-action"                    # a banner button's action: accept_all, customise...
LANGUAGE_ATTR = "data-cb-language"                # a language button's code
LANGUAGE_ACTION = "language:"                     # a language click recorded by the loader: "language:en"
CONTENT_ATTR = "data-cb-content"                  # on a first layer the server rendered: its layer_key
DECISIONS = ("accept_all", "reject_all")          # first-layer actions that decide (the layer leaves at once)
PENDING_ATTR = "data-cb-pending"                  # a first layer whose decision Python has still to write: hidden
OPENING_ATTR = "data-cb-opening"                  # the loader's veil: the centre was asked for, is on its way
# The policy page's form of choices that works without JavaScript (banner.django.layer.choices_form),
# which the page sets to the stored choice once Python runs (policy.mark_choices)
CHOICES_ID = "cb-choices"
CATEGORY_FIELD = "cb-category-"             # + category id: "1" accepted, "0" refused
# + category id, one value per ticked provider of a category offering a choice per provider, plus one
# empty value that says the form asked (nothing ticked then refuses the category)
PROVIDER_FIELD = "cb-provider-"
RELOAD_NOTE_KEY = "consent-banner:after-reload"   # sessionStorage: the visitor's place across our reload (carry.py)
# localStorage, not the tab's sessionStorage: a decision clicked before Python ran outlives the tab (closed
# on a slow network before the runtime arrived) and is written by Python on the site's next page, any tab
PENDING_KEY = "consent-banner:pending"
# Older than this, a kept decision is dropped unread. A refusal only turns things off: it is kept for a
# week. An acceptance, written on a page that shows no banner, could be another person's at a shared
# computer days later: it is kept only for the visit (half an hour), as in the tab's storage before.
PENDING_MAX_AGE_MS = {"reject_all": 7 * 24 * 3600 * 1000, "accept_all": 30 * 60 * 1000}


def h(doc, tag, attrs=None, children=None):
    """createElement + attributes (None/False skipped, True = empty) + children (str -> text node)."""
    node = doc.createElement(tag)
    for key, value in (attrs or {}).items():
        if value is True:
            node.setAttribute(key, "")
        elif value is not None and value is not False:
            node.setAttribute(key, str(value))
    for child in children or []:
        if child is None:
            continue
        node.appendChild(doc.createTextNode(child) if isinstance(child, str) else child)
    return node


def themed(attrs, view):
    """`attrs` plus what gives a root of ours (banner, centre, placeholder, reopen button, policy) its look:
    `data-cb-theme` (consent.css picks the colours from it, and for "auto" from the `data-cb-scheme` the
    loader keeps on <html>), and the look's mark (`data-cb-look`, looks.py). Part of the tree, so the banner
    painted ahead of time and the one a server renders look the same as the live one."""
    merged = dict(attrs)
    merged["data-cb-theme"] = view.config.theme
    if view.look.mark:
        merged["data-cb-look"] = view.look.mark
    return merged


def button(doc, label, action, extra_class=""):
    return h(doc, "button", {"type": "button", "class": ("cb-btn " + extra_class).strip(),
                             "data-cb-action": action}, [label])


def focus_main(doc):
    """Where focus goes when the element that held it has gone (the banner after a choice): the page's
    <main>, made focusable for the purpose, else the body. Never leave focus on a removed node."""
    target = doc.querySelector("main") or doc.querySelector("[role=main]")
    if target is None:
        target = doc.body
    if not target.hasAttribute("tabindex"):
        target.setAttribute("tabindex", "-1")
    target.focus()


def language_choice(doc, strings, config, current, id_prefix):
    """The language switcher shown only when the portal offers several languages."""
    from banner.i18n import LANGUAGE_NAMES
    if not config.multilingual:
        return None
    items = []
    for code in config.languages:
        attrs = {"type": "button", "class": "cb-lang__btn", "lang": code, "data-cb-language": code,
                 "aria-current": "true" if code == current else None}
        items.append(h(doc, "button", attrs, [LANGUAGE_NAMES.get(code, code)]))
    label_id = id_prefix + "-lang-label"
    return h(doc, "div", {"class": "cb-lang", "role": "group", "aria-labelledby": label_id}, [
        h(doc, "span", {"id": label_id, "class": "cb-lang__label"}, [strings["language_label"]]),
    ] + items)


def select_all(node, selector):
    """`node` itself when it matches, then its matching descendants in tree order (node: an element, a
    document, a fragment or a shadow root; only elements can match themselves)."""
    found = [node] if node.nodeType == 1 and node.matches(selector) else []
    return found + list(node.querySelectorAll(selector))


def closest(node, selector):
    """node.closest(selector) or None (a text node or the document has no closest() at all). Brython's
    DOM wrapper raises where JS returns null, and a raise costs about 0.5 ms in the page: every click
    asks this of its target, often to find nothing. So matches() (a boolean, never null) tells first
    whether there is an ancestor to find."""
    if getattr(node, "nodeType", 0) != 1 or not node.matches(":is(" + selector + "), :is(" + selector + ") *"):
        return None
    return node.closest(selector)
