"""The first layer and the choices the server writes into its pages, as forms that work without JavaScript.

- The first layer (banner.ui.notice's tree, banner.server.prerender.layer_tree) with its buttons as submit
  buttons of a form posting to the app (banner.django.choice): « Tout accepter », « Tout refuser » and
  « Continuer sans accepter » decide there with the page's own rules; « Personnaliser » and the providers'
  link lead to the policy page's choices. When the loader runs it holds these clicks for Python instead
  (the page then decides without a round trip), and Python's live banner takes the layer's place.
- On pages that are the same for every visitor, the layer is always written, and a constant inline script
  before it marks `<html data-cb-decided>` when a choice is stored (or Global Privacy Control answers):
  consent.css then keeps the layer out of the first paint, and Python shows it again only if that choice
  no longer stands. Its hash (SCRIPT_HASH) goes in the portal's Content-Security-Policy.
- The policy page's choices: one « Accepter / Refuser » pair per optional category (and, for a category
  offering a choice per provider, a checkbox per provider: accepting the category accepts the ticked
  ones) and « Enregistrer mes choix », posting to the same view: « Personnaliser » and withdrawal without
  JavaScript.
"""

import base64
import hashlib
import html

from banner.cookies import CONSENT_COOKIE
from banner.fingerprint import layer_key
from banner.i18n import direction, interface_language, localize, strings
from banner.server.prerender import layer_tree
from banner.ui.dom import (ACTION_ATTR, CATEGORY_FIELD, CHOICES_ID, CONTENT_ATTR, LANGUAGE_ATTR,
                           PRERENDERED_ATTR, PROVIDER_FIELD)

from banner.server.document import to_html

FORM_ID = "cb-form"
ACTION_FIELD = "cb-action"                  # the first layer's buttons: accept_all, reject_all, customise...
LANGUAGE_FIELD = "cb-language"
NEXT_FIELD = "next"
DECIDED_ATTR = "data-cb-decided"            # on <html>: a choice is stored, the server's layer waits
GPC_ATTR = "data-cb-gpc"                    # on the script: the portal respects Global Privacy Control
# Painted with the page, the layer makes no entrance, and the live banner taking its place none either.
ENTERED = "data-cb-entered"

# Constant text, so that one hash allows it in every page (banner.loader consentCookiePresent's rule).
SCRIPT = ('(function(s,d){if(/(^|;\\s*)%s=/.test(d.cookie)||s.hasAttribute("%s")&&navigator.globalPrivacyControl'
          '===true){d.documentElement.setAttribute("%s","")}})(document.currentScript,document)'
          % (CONSENT_COOKIE, GPC_ATTR, DECIDED_ATTR))
SCRIPT_HASH = "'sha256-%s'" % base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")


def _as_submit(node, form):
    """The tree with each decision or language button a submit button of `form`."""
    if isinstance(node, str):
        return node
    tag, attrs, children = node
    attrs = dict(attrs)
    if tag == "button" and (ACTION_ATTR in attrs or LANGUAGE_ATTR in attrs):
        field, value = (ACTION_FIELD, attrs[ACTION_ATTR]) if ACTION_ATTR in attrs else (LANGUAGE_FIELD, attrs[LANGUAGE_ATTR])
        attrs.update({"type": "submit", "form": form, "name": field, "value": value})
    return [tag, attrs, [_as_submit(child, form) for child in children]]


def first_layer(data, manifest, action_url, next_url):
    """The first layer as HTML, marked as shown ahead of Python with the manifest content it shows; with
    `action_url`, its buttons submit a form there (without, they only work once the page's script runs)."""
    tree = layer_tree(data, manifest, data["language"])
    extra = {PRERENDERED_ATTR: "", CONTENT_ATTR: layer_key(manifest), ENTERED: ""}
    if action_url is None:
        return to_html(tree, extra)
    form = ["form", {"id": FORM_ID, "method": "post", "action": action_url},
            [["input", {"type": "hidden", "name": NEXT_FIELD, "value": next_url}, []]]]
    return to_html(form) + to_html(_as_submit(tree, FORM_ID), extra)


def hide_script(respect_gpc, nonce=None):
    """The constant script before the first layer; `nonce`: the request's CSP nonce as text, or None (a
    lazy nonce object is read here, never tested for truth: django-csp 4's is falsy until read)."""
    nonce = None if nonce is None else str(nonce)
    attrs = (' %s=""' % GPC_ATTR if respect_gpc is not False else "") + (
        ' nonce="%s"' % html.escape(nonce) if nonce else "")
    return "<script%s>%s</script>" % (attrs, SCRIPT)


def _provider_boxes(category, ticked):
    """A checkbox per provider of a category offering a choice per provider, in the order of Category.
    choice_order, ticked for the names in `ticked`; the empty hidden value marks the category as asked."""
    items = []
    for i, name in enumerate(category.choice_order):
        ident = "%s-%s-p%d" % (CHOICES_ID, category.id, i)
        box = {"type": "checkbox", "id": ident, "name": PROVIDER_FIELD + category.id, "value": name}
        if name in ticked:
            box["checked"] = ""
        items.append(["li", {}, [["input", box, []], ["label", {"for": ident}, [name]]]])
    return [["input", {"type": "hidden", "name": PROVIDER_FIELD + category.id, "value": ""}, []],
            ["ul", {"class": "cb-choice__providers"}, items]]


def choices_form(manifest, language, action_url, next_url, level=2, accepted=None, providers=None):
    """The policy page's form: an « Accepter / Refuser » pair per optional category (`accepted`: the
    visitor's standing choice on a per-visitor page; else « Refuser » is checked, as nothing is accepted
    without an act), and a checkbox per provider of a category offering a choice per provider
    (`providers`: {category: accepted names} of the standing choice; else every one is ticked, since
    the category's « Accepter » is the act)."""
    texts = strings(language, complete=True)
    fieldsets = []
    for category in manifest.categories:
        if category.required:
            continue
        title = localize(category.title, language)
        # nothing is accepted without an act, but exempt measurement, on until the visitor opposes it
        choice = category.id in accepted if accepted is not None else category.exempt
        name = CATEGORY_FIELD + category.id
        pair = []
        for value, label, checked in (("1", texts["choice_accept"], choice), ("0", texts["choice_refuse"], not choice)):
            ident = "%s-%s-%s" % (CHOICES_ID, category.id, value)
            radio = {"type": "radio", "id": ident, "name": name, "value": value}
            if checked:
                radio["checked"] = ""
            pair.append(["div", {"class": "cb-choice__option"},
                         [["input", radio, []], ["label", {"for": ident}, [label]]]])
        note = [["p", {}, [texts["exempt_note"]]]] if category.exempt else []
        if category.provider_choice:
            known = providers.get(category.id) if providers is not None and category.id in accepted else None
            pair += _provider_boxes(category, category.choice_order if known is None else known)
        fieldsets.append(["fieldset", {"class": "cb-choice"}, [["legend", {}, [title]]] + note + pair])
    form = ["form", {"id": CHOICES_ID, "class": "cb-choices", "method": "post", "action": action_url,
                     "lang": interface_language(language), "dir": direction(language)},
            [["h%d" % min(max(int(level), 1), 6), {}, [texts["choices_title"]]],
             ["input", {"type": "hidden", "name": NEXT_FIELD, "value": next_url}, []],
             ["input", {"type": "hidden", "name": ACTION_FIELD, "value": "custom"}, []]]
            + fieldsets + [["button", {"type": "submit", "class": "cb-btn"}, [texts["save"]]]]]
    return to_html(form)
