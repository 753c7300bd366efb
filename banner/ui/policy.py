"""The cookie policy page, generated from the manifest into every element carrying
`data-consent-policy`: what a cookie is, each category with its third parties and its table, how to change one's choice
(a button opening the centre) and the browsers' own help pages. One manifest, no duplicated tables.
`data-consent-policy="3"` starts the headings at <h3> to fit the host page's outline.

The same code writes the page as static HTML, for visitors without JavaScript (banner/server/static_policy.py,
`python -m banner policy`): such an element carries `data-cb-static`, and the script then only adds the
button, which needs it."""

from banner.i18n import localize
from banner.ui.browser_help import browser_only
from banner.ui.contract import OPEN, POLICY
from banner.ui.dom import h, select_all, CATEGORY_FIELD, CHOICES_ID, POLICY_SELECTOR, PROVIDER_FIELD
from banner.ui.looks import DEFAULT
from banner.ui.tables import cookie_table, provider_list


def build(view, level, with_button=True):
    """The page's nodes. It is the portal's own page content: its tables and help links keep our
    classes whatever the look; each category's providers' list is in the view's look (looks.py)."""
    doc, strings, manifest, config = view.doc, view.strings, view.manifest, view.config
    top, sub = "h%d" % level, "h%d" % min(level + 1, 6)
    nodes = [h(doc, top, None, [strings["policy_what_title"]]), h(doc, "p", None, [strings["policy_what_text"]]),
             h(doc, top, None, [strings["policy_list_title"]])]
    for category in manifest.categories:
        title = localize(category.title, config.language)
        nodes.append(h(doc, "section", {"class": "cb-policy__cat", "data-cb-cat": category.id}, [
            h(doc, sub, None, [title]),
            h(doc, "p", None, [localize(category.description, config.language)]),
            h(doc, "p", {"class": "cb-policy__exempt"}, [strings["exempt_note"]]) if category.exempt else None,
            provider_list(doc, strings, category, view.look),
            cookie_table(doc, strings, manifest, config, category, title, DEFAULT),
        ]))
    nodes += [h(doc, top, None, [strings["policy_manage_title"]]),
              h(doc, "p", {"data-cb-policy-manage": True}, [strings["policy_manage_text"]]),
              open_button(doc, strings) if with_button else None,
              ] + browser_only(doc, strings, DEFAULT, "policy_browser_text")
    return [n for n in nodes if n is not None]


def open_button(doc, strings):
    return h(doc, "p", None, [h(doc, "button", {"type": "button", "class": "cb-btn cb-policy__open",
                                                OPEN: True}, [strings["policy_open"]])])


def _add_button(doc, strings, target):
    """A page written by `python -m banner policy` lacks only the button that opens the centre."""
    manage = target.querySelector("[data-cb-policy-manage]")
    if manage is not None and target.querySelector(".cb-policy__open") is None:
        manage.parentNode.insertBefore(open_button(doc, strings), manage.nextSibling)


def follow_choices(doc, session, event):
    """The policy page's form of choices (the Django app's, which works without JavaScript) is the same
    for every visitor of a page served to all. Once Python runs it shows the visitor's standing choice,
    and again after each decision (`event`: the page's consent change), so that « Enregistrer mes choix »
    pressed after a mere look changes nothing."""
    form = doc.getElementById(CHOICES_ID)
    if form is not None:
        mark_choices(form, session)
        doc.addEventListener(event, lambda e: mark_choices(form, session))


def mark_choices(form, session):
    accepted = session.accepted
    for box in form.querySelectorAll("input[type=radio], input[type=checkbox]"):
        name = box.getAttribute("name") or ""
        if name.startswith(CATEGORY_FIELD):
            box.checked = box.getAttribute("value") == ("1" if name[len(CATEGORY_FIELD):] in accepted else "0")
        elif name.startswith(PROVIDER_FIELD) and name[len(PROVIDER_FIELD):] in accepted:
            # a refused category keeps every provider ticked: its « Accepter » is then the act
            box.checked = box.getAttribute("value") in session.accepted_providers(name[len(PROVIDER_FIELD):])


def fill(view, roots=None):
    """Fill every [data-consent-policy] of the page, or of `roots` (added later: watch.py)."""
    doc, strings, config = view.doc, view.strings, view.config
    if roots:
        targets = [t for root in roots for t in select_all(root, POLICY_SELECTOR)]
    else:
        targets = doc.querySelectorAll(POLICY_SELECTOR)
    for target in targets:
        target.setAttribute("data-cb-theme", config.theme)     # its button's colours (dom.themed)
        if target.hasAttribute("data-cb-static"):
            _add_button(doc, strings, target)
            continue
        level = target.getAttribute(POLICY) or "2"
        level = int(level) if level in ("1", "2", "3", "4", "5") else 2
        while target.firstChild:
            target.removeChild(target.firstChild)
        target.classList.add("cb-policy")
        target.setAttribute("lang", view.lang)
        target.setAttribute("dir", view.direction)
        for node in build(view, level):
            target.appendChild(node)
