"""The portal's side of the contract: the attribute names its pages carry for the banner, and the mark
the banner leaves on content it keeps from running. Written once here: every module of the shell, the
loader (through banner/server/loader_facts.py at build time) and `validate --pages` (banner/server/pages.py) take them
from this module, so that a name portals write can never mean one thing to one part and another to
the next. No browser import: CPython reads it too."""

CATEGORY = "data-consent"               # on blocked content: the category it needs
SRC = "data-src"                        # a blocked script's, iframe's or medium's address, kept from the browser
SRCSET = "data-srcset"                  # an image's or source's srcset, kept
POSTER = "data-poster"                  # a video's poster, kept
PROVIDER = "data-provider"              # the third party the content comes from (a manifest provider's name)
TYPE = "data-type"                      # a blocked script's own type (module...), given back when it runs
OPEN = "data-consent-open"              # a link or button that opens the preferences centre
POLICY = "data-consent-policy"          # where the cookie policy goes; its value, the top heading level
REFUSED = "data-consent-refused"        # the banner's mark on content it keeps from running (undeclared, refused)

# Where each kept address goes back once its category is accepted.
KEPT_ADDRESSES = ((SRC, "src"), (SRCSET, "srcset"), (POSTER, "poster"))


def marked(selector):
    """`selector` restricted to content carrying the category attribute: "img" -> "img[data-consent]"."""
    return "%s[%s]" % (selector, CATEGORY)
