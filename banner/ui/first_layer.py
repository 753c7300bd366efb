"""The first layer on the page: shown, swapped in for the one the loader painted ahead of time, hidden
after a choice with focus kept on the page, and the page padded so that it never hides the focused
element. What the banner holds is notice.py's; what its buttons do is the App's (`on_click`)."""

from banner.ui.dom import focus_main, ACTION_ATTR, PENDING_ATTR
from banner.ui.notice import take_place


class FirstLayer:
    def __init__(self, doc, build, on_click, observe_size, painted):
        self.doc = doc
        self.painted = painted      # () -> the layer shown ahead of Python (Page.painted_layer), or None
        self.build = build          # changed categories -> the banner's <section> (notice.build)
        self.on_click = on_click
        self.observe_size = observe_size    # (node, resized) -> an observer with disconnect(), or None
        self.node = None
        self.resize = None

    @property
    def shown(self):
        return self.node is not None

    def button(self, action):
        return self.node.querySelector('[%s="%s"]' % (ACTION_ATTR, action))

    def show(self, changed=(), pending=False):
        """`pending`: a decision clicked before Python ran is about to be written (StartUp.replay): the layer is
        in place but hidden (consent.css), as the loader hid the one it painted."""
        if self.node is not None:
            return
        node = self.build(changed)
        painted = self.painted()
        if painted is None:
            self.doc.body.insertBefore(node, self.doc.body.firstChild)   # early in the tab order
        else:
            node = take_place(self.doc, painted, node)     # the loader painted it ahead of time
        if pending:                 # in this same task: never painted visible
            node.setAttribute(PENDING_ATTR, "")
        self.node = node
        node.addEventListener("click", self.on_click)
        self._reserve_space()
        # The banner's height changes with the viewport (a phone turned, the toolbar shown, text zoomed):
        # keep the reserved space equal to it, or a focused element could end up entirely behind it.
        self.resize = self.observe_size(self.node, self._reserve_space)

    def rebuild(self, changed, focus):
        """The shown banner built again in place (another language), without a second entrance; focus, when
        it was inside, goes to the new banner's `focus` (a selector: the language just chosen)."""
        if self.node is None:
            return
        had_focus = self.node.contains(self.doc.activeElement)
        node = self.build(changed)
        node.setAttribute("data-cb-entered", "")
        if self.node.hasAttribute(PENDING_ATTR):
            node.setAttribute(PENDING_ATTR, "")
        node.addEventListener("click", self.on_click)
        self.node.replaceWith(node)
        self.node = node
        if self.resize is not None:
            self.resize.disconnect()
            self.resize = self.observe_size(node, self._reserve_space)
        self._reserve_space()
        target = node.querySelector(focus)
        if had_focus and target is not None:
            target.focus()

    def reveal(self):
        """A layer hidden for a decision that is not written after all (StartUp.replay) asks again."""
        if self.node is not None and self.node.hasAttribute(PENDING_ATTR):
            self.node.removeAttribute(PENDING_ATTR)
            self._reserve_space()

    def hide(self):
        if self.node is None:
            return
        had_focus = self.node.contains(self.doc.activeElement)
        self.node.remove()
        self.node = None
        if self.resize is not None:
            self.resize.disconnect()
            self.resize = None
        self._reserve_space()
        if had_focus:
            focus_main(self.doc)

    def restore(self):
        """A portal that re-rendered all of <body> took the banner with it: put it back while it still
        waits for an answer."""
        if self.node is not None and not self.node.isConnected:
            self.doc.body.insertBefore(self.node, self.doc.body.firstChild)

    def drop_prerendered(self):
        """No banner is needed after all: remove the one the loader painted, keeping focus on the page."""
        painted = self.painted()
        if painted is not None:
            had_focus = painted.contains(self.doc.activeElement)
            painted.remove()
            if had_focus:
                focus_main(self.doc)

    def _reserve_space(self):
        """A sticky banner must never hide the focused element (WCAG 2.4.11): pad the page's scroll
        area by the banner's height."""
        root = self.doc.documentElement
        if self.node is None:
            root.style.removeProperty("scroll-padding-bottom")
            root.style.removeProperty("padding-bottom")
        else:
            height = str(self.node.offsetHeight) + "px"
            root.style.setProperty("scroll-padding-bottom", height)
            # scroll-padding alone adds no scroll room: without this, the end of a short page (the footer
            # link "Gestion des cookies") stays under the banner, for the mouse and for keyboard focus.
            root.style.setProperty("padding-bottom", height)
