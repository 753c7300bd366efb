"""Embeds with a placeholder: until its category is accepted, an `<iframe data-consent data-src>` is
hidden and an accessible placeholder takes its box, naming the provider, with "Autoriser une fois"
(loads this iframe for this page view, writes nothing) and "Toujours autoriser" (accepts the category).
Iframes added to the page later get the same treatment (app.App.observe_embeds)."""

from banner.i18n import localize
from banner.text import is_safe_url
from banner.ui.dom import h, closest, EMBED_SELECTOR

SELECTOR = EMBED_SELECTOR


def _provider(frame):
    named = frame.getAttribute("data-provider")
    if named:
        return named
    src = frame.getAttribute("data-src") or ""
    rest = src.split("//", 1)[1] if "//" in src else ""
    return rest.split("/")[0] or src


class Embeds:
    def __init__(self, app):
        self.app = app
        self.doc = app.doc

    def refresh(self, accepted):
        for frame in self.doc.querySelectorAll(SELECTOR):
            self.apply(frame, accepted)

    def apply(self, frame, accepted):
        category = frame.getAttribute("data-consent")
        if category in accepted or frame.hasAttribute("data-cb-once"):
            self.load(frame)
        else:
            self.block(frame)

    def load(self, frame):
        src = frame.getAttribute("data-src")
        if not is_safe_url(src):
            self.app.page.error("refused data-src %r on a blocked iframe: only http(s) or relative URLs load" % src)
            return
        placeholder = self._placeholder_of(frame)
        if placeholder is not None:
            placeholder.remove()
        frame.removeAttribute("hidden")
        if frame.getAttribute("src") != src:
            frame.setAttribute("src", src)

    def block(self, frame):
        if frame.hasAttribute("src") and frame.getAttribute("src") != "about:blank":
            frame.setAttribute("src", "about:blank")      # withdrawal stops the embedded service now
        if self._placeholder_of(frame) is not None:
            return
        frame.setAttribute("data-cb-frame", self._frame_id(frame))
        placeholder = self._build(frame)
        frame.parentNode.insertBefore(placeholder, frame)
        frame.setAttribute("hidden", "")

    def _frame_id(self, frame):
        existing = frame.getAttribute("data-cb-frame")
        if existing:
            return existing
        count = len(self.doc.querySelectorAll("[data-cb-frame]"))
        return "cb-frame-%d" % (count + 1)

    def _placeholder_of(self, frame):
        fid = frame.getAttribute("data-cb-frame")
        if not fid:
            return None
        return self.doc.querySelector('[data-cb-placeholder="%s"]' % fid)

    def _build(self, frame):
        app, strings = self.app, self.app.strings
        category = app.manifest.category(frame.getAttribute("data-consent"))
        cat_title = localize(category.title, app.config.language) if category else frame.getAttribute("data-consent")
        width = frame.getAttribute("width") or (str(frame.offsetWidth) if frame.offsetWidth else None)
        height = frame.getAttribute("height") or (str(frame.offsetHeight) if frame.offsetHeight else None)
        text = strings["placeholder_text"].replace("{provider}", _provider(frame)).replace("{category}", cat_title)
        fid = frame.getAttribute("data-cb-frame")
        label = frame.getAttribute("title") or _provider(frame)
        node = h(self.doc, "div", {"class": "cb-embed", "data-cb-placeholder": fid, "role": "group",
                                   "aria-label": label, "lang": app.lang, "dir": app.direction}, [
            h(self.doc, "p", {"class": "cb-embed__text"}, [text]),
            h(self.doc, "div", {"class": "cb-embed__actions"}, [
                h(self.doc, "button", {"type": "button", "class": "cb-btn", "data-cb-embed": "once"},
                  [strings["allow_once"]]),
                h(self.doc, "button", {"type": "button", "class": "cb-btn", "data-cb-embed": "always"},
                  [strings["allow_always"]]),
            ]),
        ])
        # Sized through the CSSOM, not a style attribute, which a CSP without 'unsafe-inline' would block.
        if width and width.replace("px", "").isdigit():
            node.style.width = width.replace("px", "") + "px"
        if height and height.replace("px", "").isdigit():
            node.style.minHeight = height.replace("px", "") + "px"
        node.addEventListener("click", app.guard(lambda ev: self.on_click(ev, frame)))
        return node

    def on_click(self, event, frame):
        button = closest(event.target, "[data-cb-embed]")
        if button is None:
            return
        if button.getAttribute("data-cb-embed") == "once":
            frame.setAttribute("data-cb-once", "")
            self.load(frame)
            frame.focus()
            self.app.log_once(frame.getAttribute("data-consent"))
        else:
            self.app.accept_category(frame.getAttribute("data-consent"))
