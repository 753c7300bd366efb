"""The first layer: a labelled region with the three equal buttons, the policy link, and the
"Continuer sans accepter" control, which records a refusal (silence is refusal, CNIL). When the banner
is back because categories changed (or their answer expired) since the visitor's choice, it says which,
and its accept and refuse buttons then act on those categories only (Session.decide), and say so. It
says what refusing changes (nothing but the optional services) and links to the providers' list in the
preferences centre ("providers" opens the centre)."""

from banner.i18n import localize
from banner.ui.dom import h, button, language_choice, themed, PRERENDERED_ATTR, CONTENT_ATTR, PENDING_ATTR


def _changed(strings, manifest, config, changed):
    """Why the banner is back although the visitor already chose: what changed, briefly."""
    if not changed:
        return None
    titles = ", ".join(localize(manifest.category(c).title, config.language) for c in changed)
    return strings["changed_text"].replace("{categories}", titles)


PURPOSES_ATTR = "data-cb-purposes"         # the paragraph naming the purposes, with the way to the providers


def build(view, changed=()):
    """The purposes come first, with the providers' list one tap away: on a phone they show before any
    scrolling, the rest of the text after them (what is always needed, how to change one's mind)."""
    strings, manifest, config = view.strings, view.manifest, view.config
    purposes = strings["banner_purposes"].replace("{purposes}", ", ".join(
        localize(c.title, config.language) for c in manifest.categories if not c.required and not c.exempt))
    text = strings["banner_text"] + " " + strings["refuse_effect"]
    exempt = [localize(c.title, config.language) for c in manifest.categories if c.exempt]
    if exempt:
        text += " " + strings["exempt_mention"].replace("{exempt}", ", ".join(exempt))
    why = _changed(strings, manifest, config, changed)
    choices = [(strings["accept_changed" if changed else "accept_all"], "accept_all"),
               (strings["reject_changed" if changed else "reject_all"], "reject_all"),
               (strings["customise"], "customise")]
    return view.look.banner(view, purposes, text, why, choices)


def banner(view, purposes, text, why, choices):
    """The default look's first layer (looks.py; DSFR's: dsfr.banner), of build's parts."""
    doc, strings, config = view.doc, view.strings, view.config
    providers = h(doc, "button", {"type": "button", "class": "cb-link", "data-cb-action": "providers"},
                  [strings["providers_link"]])
    policy = h(doc, "p", {"class": "cb-banner__policy"}, [
        h(doc, "a", {"href": config.policy_url, "class": "cb-link"}, [strings["policy_link"]])]) \
        if config.policy_url else None
    return h(doc, "section", themed({"class": "cb-banner", "id": "cb-banner", "role": "region",
                                     "aria-labelledby": "cb-banner-title", "lang": view.lang,
                                     "dir": view.direction, "data-cb-ui": True}, view), [
        h(doc, "div", {"class": "cb-banner__inner"}, [
            # Everything but the choices scrolls inside the banner when it does not fit in half the
            # screen, so "Tout accepter" and "Tout refuser" always show together (consent.css).
            h(doc, "div", {"class": "cb-banner__body"}, [
                h(doc, "div", {"class": "cb-banner__head"}, [
                    h(doc, "h2", {"class": "cb-title", "id": "cb-banner-title"}, [strings["banner_title"]]),
                    h(doc, "button", {"type": "button", "class": "cb-close", "data-cb-action": "reject_all",
                                      "id": "cb-continue"},
                      [strings["continue_without"], h(doc, "span", {"aria-hidden": "true", "class": "cb-close__x"},
                                                      ["\u2715"])]),
                ]),
                h(doc, "p", {"class": "cb-text cb-purposes", PURPOSES_ATTR: True}, [purposes + " ", providers]),
                h(doc, "p", {"class": "cb-text cb-changed"}, [why]) if why else None,
                h(doc, "p", {"class": "cb-text"}, [text]),
                policy,
                language_choice(doc, strings, config, config.language, "cb-banner"),
            ]),
            h(doc, "div", {"class": "cb-actions"}, [button(doc, label, action) for label, action in choices]),
        ]),
    ])


def take_place(doc, painted, banner):
    """The live banner takes the place of the one painted ahead of time (by the loader, or by the server)
    and is returned. When the painted one is the very same tree, the usual case, it stays and is only
    unmarked: the page lays nothing out again and sees no second, late largest paint (LCP), and focus
    stays where it is. Otherwise the live one replaces it: it does not slide in a second time, and the
    control that had focus in the painted one has it in the live one. One hidden for a decision clicked
    on it before Python ran stays hidden (StartUp.replay writes that decision next)."""
    pending = painted.hasAttribute(PENDING_ATTR)
    for name in (PRERENDERED_ATTR, CONTENT_ATTR, PENDING_ATTR):   # the marks go either way
        painted.removeAttribute(name)
    buttons = painted.querySelectorAll("button[form]")  # a server's form (banner.django.layer): the page's own now
    for i in range(buttons.length):
        for name in ("form", "name", "value"):
            buttons.item(i).removeAttribute(name)
        buttons.item(i).setAttribute("type", "button")
    if painted.isEqualNode(banner):
        banner = painted
    else:
        nodes = painted.querySelectorAll("*")
        focused = [i for i in range(nodes.length) if nodes.item(i) == doc.activeElement]
        # consent.css: the live banner has no entrance of its own. Had the painted one not finished sliding
        # in (Python took over within its 0.2 s), the live one stands where that entrance ends: a second
        # animation, restarted or continued, is what made clicks miss.
        banner.setAttribute("data-cb-entered", "")
        painted.replaceWith(banner)
        if focused:
            banner.querySelectorAll("*").item(focused[0]).focus()
    if pending:
        banner.setAttribute(PENDING_ATTR, "")
    return banner
