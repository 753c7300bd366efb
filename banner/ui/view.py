"""What every view needs, in one value. A view is a DOM builder (the first layer, the centre, the policy
page, the reopen button, an embed's placeholder): it reads data and returns nodes, holds no state, and runs
in the page and on servers alike (banner/server/document.py's Document in place of the page's document). Each
needs the same six things: the document to build in, the interface strings, the manifest, the config, and
the interface's language and direction. The App makes a View of the moment (a new one after the visitor
switches language); prerender.py and the Django app make theirs on a Document. The look (looks.py) is
chosen here, once: the views ask it for their markup instead of asking which look it is."""

from banner.ui.looks import look_of


class View:
    __slots__ = ("doc", "strings", "manifest", "config", "lang", "direction", "look")

    def __init__(self, doc, strings, manifest, config, lang, direction):
        self.doc = doc
        self.strings = strings        # the interface strings (i18n.strings)
        self.manifest = manifest
        self.config = config          # its `language` is the manifest texts' language
        self.lang = lang              # the interface's language code, and its direction ("ltr"/"rtl")
        self.direction = direction
        self.look = look_of(config)   # looks.DEFAULT or looks.DSFR (`"look": "dsfr"`)
