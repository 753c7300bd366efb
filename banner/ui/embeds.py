"""Embeds with a placeholder: until its category is accepted, an `<iframe data-consent data-src>` is
hidden and an accessible placeholder takes its box, naming the provider, with "Autoriser une fois"
(loads this iframe for this page view, writes nothing) and "Toujours autoriser" (accepts the category).
Iframes added to the page later, or handed over by consentBanner.apply, get the same treatment (watch.py),
and so does a closed block (blocks.py) holding an embed: its placeholder stands in front of it, and
"Autoriser une fois" opens that block for this page view.
A block opened that way counts as run for its category (Content.opened_once): what it holds besides the
embed (an `<object>`, an image, a `srcdoc` document) cannot be unloaded as an iframe is, so a decision
that leaves that category refused reloads the page.
The App hands in only what an embed needs: a View (texts, the manifest, the look its placeholders are
drawn in), an error report, the "accept this category" and "allowed once" actions, Content's rules
(undeclared, permits), the very ones the page's scripts and media go by, and Content.opened_once.
When the banner fails closed, the same placeholders, without buttons, say that the cookie settings could
not load (explain_failure, which failed_embeds.py calls)."""

from banner.i18n import localize
from banner.text import is_safe_url
from banner.ui import media
from banner.ui.blocks import BLOCK_SELECTOR, PLACEHOLDER_KEY, open_block
from banner.ui.contract import CATEGORY, PROVIDER, REFUSED, SRC
from banner.ui.dom import h, closest, select_all, themed, EMBED_SELECTOR


def _provider(frame):
    named = frame.getAttribute(PROVIDER)
    if named:
        return named
    src = frame.getAttribute(SRC) or ""
    rest = src.split("//", 1)[1] if "//" in src else ""
    return rest.split("/")[0] or src


def _addresses(frame):
    """What an embed would load: an iframe's data-src, a player's addresses (media.urls)."""
    return [frame.getAttribute(SRC)] if frame.tagName == "IFRAME" else media.urls(frame)


def _keep_ratio(frame):
    """A loaded embed shrinks to its container (consent.css: max-width 100%) like its placeholder did; its
    width and height attributes become its aspect ratio, so it keeps its shape instead of its height.
    Through the CSSOM: a style attribute would be blocked by a CSP without 'unsafe-inline'."""
    width, height = frame.getAttribute("width") or "", frame.getAttribute("height") or ""
    if width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0:
        frame.style.aspectRatio = width + " / " + height
        frame.style.height = "auto"


def placeholder(view, attrs, text, providers, provider):
    """The default look's placeholder (looks.py; DSFR's: dsfr_centre.placeholder), `attrs` its id, role,
    name and language. `providers` None: content that cannot load (undeclared), shown with its reason
    and no buttons."""
    doc, strings = view.doc, view.strings
    return h(doc, "div", themed(dict(attrs, **{"class": "cb-embed"}), view), [
        h(doc, "p", {"class": "cb-embed__text"}, [text]),
        h(doc, "p", {"class": "cb-embed__providers"}, [providers]) if providers else None,
        h(doc, "div", {"class": "cb-embed__actions"}, [
            h(doc, "button", {"type": "button", "class": "cb-btn", "data-cb-embed": "once"},
              [strings["allow_once"]]),
            h(doc, "button", {"type": "button", "class": "cb-btn", "data-cb-embed": "always"},
              [strings["allow_always"]]),
        ]) if providers else None,
    ])


def _placeholder_of(frame):
    """Looked up in the frame's own tree: the document, a shadow root or a fragment not yet inserted."""
    fid = frame.getAttribute(PLACEHOLDER_KEY)
    if not fid:
        return None
    return frame.getRootNode().querySelector('[data-cb-placeholder="%s"]' % fid)


def _drawn(view, frame, fid, text, providers):
    """The look's placeholder for `frame` (`fid` its id), in the embed's box: as wide as the embed and at
    least as tall. `providers` None: no buttons."""
    width = frame.getAttribute("width") or (str(frame.offsetWidth) if frame.offsetWidth else None)
    height = frame.getAttribute("height") or (str(frame.offsetHeight) if frame.offsetHeight else None)
    label = frame.getAttribute("title") or _provider(frame)
    attrs = {"data-cb-placeholder": fid, "role": "group", "aria-label": label, "lang": view.lang, "dir": view.direction}
    node = view.look.placeholder(view, attrs, text, providers, _provider(frame))
    # Sized through the CSSOM, not a style attribute, which a CSP without 'unsafe-inline' would block.
    if width and width.replace("px", "").isdigit():
        node.style.width = width.replace("px", "") + "px"
    if height and height.replace("px", "").isdigit():
        node.style.minHeight = height.replace("px", "") + "px"
    return node


class Embeds:
    def __init__(self, view, report, guard, accept_category, allowed_once, page_host, undeclared, permits,
                 opened_once):
        self.view = view                    # the placeholders are built in its look
        self.doc = view.doc
        self.strings = view.strings         # the interface strings, complete (extra bundle)
        self.manifest = view.manifest
        self.language = view.config.language    # of the manifest texts (the category's title)
        self.lang = view.lang               # of the interface strings, and their direction
        self.direction = view.direction
        self.report = report                # Page.error
        self.guard = guard
        self.accept_category = accept_category  # "Toujours autoriser": App.accept_category
        self.allowed_once = allowed_once        # "Autoriser une fois", for the consent log: ProofLog.once
        self.count = 0                      # placeholder ids, unique across shadow roots
        self.page_host = page_host          # content from the page's own host names no third party
        # Content.undeclared: why the manifest forbids this content whatever the visitor says, or None
        self.undeclared = undeclared
        # Content.permits: in a category offering a choice per provider, this embed's provider is accepted
        self.permits = permits
        self.opened_once = opened_once          # Content.opened_once: a block "Autoriser une fois" opened

    def _permitted(self, frame, accepted):
        """The visitor's answer lets `frame` load: its category, and its provider where that is asked."""
        category = frame.getAttribute(CATEGORY)
        return category in accepted and self.permits(category, frame.getAttribute(PROVIDER), _addresses(frame))

    def provider(self, frame):
        """The declared provider of an embed (Manifest.provider_of), whose answer "Toujours autoriser" gives."""
        for url in _addresses(frame) or [None]:
            found = self.manifest.provider_of(frame.getAttribute(CATEGORY), frame.getAttribute(PROVIDER), url,
                                              self.page_host)
            if found:
                return found
        return None

    def refresh(self, accepted, roots):
        for root in roots:
            for block in select_all(root, BLOCK_SELECTOR):
                category = block.getAttribute(CATEGORY)
                if category not in accepted or not self.permits(category, None, []):
                    self.hold(block)
            for frame in select_all(root, EMBED_SELECTOR):
                self.apply(frame, accepted)

    def hold(self, block):
        """A closed block holding an embed shows that embed's placeholder in front of it."""
        frame = block.content.querySelector(EMBED_SELECTOR)
        if frame is None or block.parentNode is None or _placeholder_of(block) is not None:
            return
        block.setAttribute(PLACEHOLDER_KEY, self._frame_id(block))
        block.parentNode.insertBefore(self._build(frame, block), block)

    def apply(self, frame, accepted):
        if self._permitted(frame, accepted) or frame.hasAttribute("data-cb-once"):
            self.load(frame)
        else:
            self.block(frame)

    def load(self, frame):
        if frame.tagName != "IFRAME":
            return self._load_player(frame)
        src = frame.getAttribute(SRC)
        if not is_safe_url(src):
            self.report("refused data-src %r on a blocked iframe: only http(s) or relative URLs load" % src)
            return
        problem = self.undeclared(frame.getAttribute(CATEGORY), frame.getAttribute(PROVIDER), src)
        if problem is not None:
            if not frame.hasAttribute(REFUSED):
                self.report("blocked iframe stays blocked: " + problem)
            frame.setAttribute(REFUSED, "")
            if _placeholder_of(frame) is None:
                self.block(frame)
            return
        placeholder = _placeholder_of(frame)
        if placeholder is not None:
            placeholder.remove()
        frame.removeAttribute("hidden")
        _keep_ratio(frame)
        if frame.getAttribute("src") != src:
            frame.setAttribute("src", src)

    def _load_player(self, player):
        """A <video> or <audio> (media.py): its addresses back once all of them are declared."""
        problem = media.problem(player, self.undeclared)
        if problem is not None:
            if not player.hasAttribute(REFUSED):
                self.report("blocked media stays blocked: " + problem)
            player.setAttribute(REFUSED, "")
            if _placeholder_of(player) is None:
                self.block(player)
            return
        placeholder = _placeholder_of(player)
        if placeholder is not None:
            placeholder.remove()
        player.removeAttribute("hidden")
        media.show(player)

    def block(self, frame):
        if frame.tagName != "IFRAME":
            frame = media.hide(frame)                      # a player stops at once
        elif frame.hasAttribute("src"):
            frame = self._unloaded(frame)                  # withdrawal stops the embedded service now
        if _placeholder_of(frame) is not None:
            return
        frame.setAttribute(PLACEHOLDER_KEY, self._frame_id(frame))
        if frame.parentNode is None:
            frame.setAttribute("hidden", "")        # a lone iframe not yet inserted: placeholder on insertion
            return
        placeholder = self._build(frame)
        frame.parentNode.insertBefore(placeholder, frame)
        frame.setAttribute("hidden", "")

    def _unloaded(self, frame):
        """The iframe replaced by a copy without `src`. Navigating it away (src = "about:blank") would add
        an entry to the session history, and the visitor's next Back would load the third party again,
        hidden; a removed iframe takes its history with it."""
        fresh = frame.cloneNode(False)
        fresh.removeAttribute("src")
        fresh.removeAttribute("data-cb-once")
        frame.replaceWith(fresh)
        return fresh

    def end_once(self, accepted, roots):
        """A decision ends "Autoriser une fois": an embed of a category it leaves refused is unloaded."""
        for root in roots:
            for frame in select_all(root, EMBED_SELECTOR):
                if frame.hasAttribute("data-cb-once") and not self._permitted(frame, accepted):
                    frame.removeAttribute("data-cb-once")

    def _frame_id(self, frame):
        existing = frame.getAttribute(PLACEHOLDER_KEY)
        if existing:
            return existing
        self.count += 1
        return "cb-frame-%d" % self.count

    def _build(self, frame, block=None):
        """The placeholder of `frame`, or of the closed `block` holding it."""
        strings = self.strings
        category = self.manifest.category(frame.getAttribute(CATEGORY))
        cat_title = localize(category.title, self.language) if category else frame.getAttribute(CATEGORY)
        # A third party the category does not declare never loads, whatever the visitor says: no buttons
        # that would record a consent and load nothing, the reason instead.
        undeclared = (media.problem(frame, self.undeclared) if frame.tagName != "IFRAME" else self.undeclared(
            frame.getAttribute(CATEGORY), frame.getAttribute(PROVIDER), frame.getAttribute(SRC))
        ) is not None
        text = strings["placeholder_undeclared" if undeclared else "placeholder_text"].replace(
            "{provider}", _provider(frame)).replace("{category}", cat_title)
        providers = None if undeclared else self._providers_text(category, cat_title)
        node = _drawn(self.view, frame, (block or frame).getAttribute(PLACEHOLDER_KEY), text, providers)
        node.addEventListener("click", self.guard(lambda ev: self.on_click(ev, frame, block)))
        return node

    def _providers_text(self, category, cat_title):
        """"Toujours autoriser" accepts the whole category: name every provider it covers first."""
        names = [p.name for p in category.providers] if category is not None else []
        if not names:
            return self.strings["placeholder_no_providers"].replace("{category}", cat_title)
        return self.strings["placeholder_providers"].replace("{category}", cat_title).replace("{providers}",
                                                                                              ", ".join(names))

    def on_click(self, event, frame, block=None):
        button = closest(event.target, "[data-cb-embed]")
        if button is None:
            return
        if button.getAttribute("data-cb-embed") == "once":
            frames = list(block.content.querySelectorAll(EMBED_SELECTOR)) if block is not None else [frame]
            for each in frames:
                each.setAttribute("data-cb-once", "")
            if block is not None:
                open_block(block)
                self.opened_once(block.getAttribute(CATEGORY))
            for each in frames:
                self.load(each)
            frame.focus()
            self.allowed_once(frame.getAttribute(CATEGORY))
        else:
            self.accept_category(frame.getAttribute(CATEGORY), self.provider(frame))


# -- the banner failed closed --------------------------------------------------------------------------------
FAILED_ID = "cb-frame-failed-"          # the id of a placeholder explain_failure drew, and a count
_failed = [0]


def _loaded(frame):
    """Whether the embed has its address back (a start-up that failed late may have let an accepted one in)."""
    if frame.tagName == "IFRAME":
        return frame.getAttribute("src") not in (None, "about:blank")
    return media.shown(frame)


def explain_failure(view, roots):
    """The banner failed closed (failed_embeds.py): each blocked embed in `roots`, and each closed block
    holding one, shows its placeholder in the page's look saying that the cookie settings could not load,
    with no button, since nothing can be accepted; the embed keeps its address in data-src, so nothing of
    it loads. A placeholder a start-up that failed late had drawn, buttons and all, gives way to this one;
    an embed already loaded is left as it is. Calling it again on the same content changes nothing."""
    for root in roots:
        for block in select_all(root, BLOCK_SELECTOR):
            frame = block.content.querySelector(EMBED_SELECTOR)
            if frame is not None and block.parentNode is not None:
                _stand_in(view, block, frame)
        for frame in select_all(root, EMBED_SELECTOR):
            if frame.parentNode is not None and not _loaded(frame):
                _stand_in(view, frame, frame)
                frame.setAttribute("hidden", "")


def _stand_in(view, target, frame):
    """The failure's placeholder in front of `target` (the embed `frame`, or the closed block holding it)."""
    drawn = _placeholder_of(target)
    if drawn is not None:
        if (target.getAttribute(PLACEHOLDER_KEY) or "").startswith(FAILED_ID):
            return
        drawn.remove()
    _failed[0] += 1
    fid = FAILED_ID + str(_failed[0])
    target.setAttribute(PLACEHOLDER_KEY, fid)
    text = view.strings["placeholder_failed"].replace("{provider}", _provider(frame))
    target.parentNode.insertBefore(_drawn(view, frame, fid, text, None), target)
