"""The draft edited field by field in the admin, for the DPO or communication team who keep the cookie list
and should not have to write JSON: one input per field of every category, provider and cookie, one per
language for each text, entries added and removed with submit buttons (no JavaScript needed).

No table of its own: the form is built from the draft's JSON and writes back the JSON the draft stores,
checked by banner.manifest (versions.check) exactly as the JSON view is. A problem's field path
(`cookies[4].category`) is also the name of its input (`cookies-4-category`, `field_name`), so each
problem is shown next to its input, which Django ties to it (aria-invalid, aria-describedby).

The form carries the JSON it was built from (`base`, a hidden input): what the inputs do not show
(`$schema`, `revision`, a text in a language the portal no longer offers) is written back unchanged, and a
text written once for every language stays one string while its inputs all still say the same.
"""

import copy
import json

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from banner.manifest import STORAGES, text_languages

TEXTS = {"title": _("Title"), "description": _("Description"), "provider": _("Provider"),
         "lifetime": _("Lifetime"), "purpose": _("Purpose")}
STORAGE_LABELS = {"cookie": _("cookie"), "local": _("localStorage key"), "session": _("sessionStorage key")}


def field_name(path):
    """The input named by a problem's field path: `cookies[4].category` -> `cookies-4-category`."""
    return path.replace("[", "-").replace("]", "").replace(".", "-")


def editable(data):
    """Whether the field editor can show `data`: an object whose categories, providers and cookies are
    lists of objects (a saved draft always is; anything else is edited as JSON)."""
    def objects(value):
        return isinstance(value, list) and all(isinstance(item, dict) for item in value)
    return (isinstance(data, dict) and objects(data.get("categories")) and objects(data.get("cookies", []))
            and all(objects(c.get("providers", [])) for c in data["categories"]))


def blank(kind, languages):
    """A new entry, every text empty in every language: saving it unfilled names each empty field."""
    texts = {lang: "" for lang in languages}
    if kind == "categories":
        return {"id": "", "title": dict(texts), "description": dict(texts)}
    if kind == "providers":
        return {"name": ""}
    return {"name": "", "provider": dict(texts), "category": "", "lifetime": dict(texts), "purpose": dict(texts)}


def _lines(value):
    return "\n".join(str(v) for v in value) if isinstance(value, list) else ("" if value is None else str(value))


def _split(text):
    return [part for part in text.replace(",", " ").split() if part]


def _language_label(code):
    try:
        return "%s (%s)" % (get_language_info(code)["name_local"], code)
    except KeyError:
        return code


def _right_to_left(code):
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return False


class Entry:
    """One category, provider or cookie as the template lays it out: a fieldset whose legend names it, its
    rows (a field, or a text's inputs per language), its own problems, its providers."""

    def __init__(self, path, legend, rows, errors, children=(), remove_label="", add=None):
        self.path, self.legend, self.rows, self.errors = path, legend, rows, errors
        self.children, self.remove_label, self.add = list(children), remove_label, add

    @property
    def id(self):
        return field_name(self.path)


class DraftFieldsForm(forms.Form):
    """Fields built from `base` (decoded manifest JSON, see `editable`) for `languages`; `manifest()`
    writes the inputs back into a copy of it."""

    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, base, languages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_base = base
        self.languages = list(languages) + [c for c in text_languages(base) if c not in languages]
        self.entry_errors = {}          # entry path -> [message]
        self.problems = []              # [(id of the input or entry showing it, "path: message")]
        self.initial["base"] = json.dumps(base, ensure_ascii=False)
        ids = [c.get("id") for c in base["categories"] if isinstance(c.get("id"), str) and c.get("id")]
        for i, category in enumerate(base["categories"]):
            self._category("categories[%d]" % i, category)
        if self.is_bound:                # the ids as typed in this form: a category renamed with its cookies
            ids = [self.data.get(field_name("categories[%d].id" % i), "") for i in range(len(base["categories"]))]
        for i, cookie in enumerate(base.get("cookies", [])):
            self._cookie("cookies[%d]" % i, cookie, [known for known in ids if known])
        for name, field in self.fields.items():
            typed = self.data.get(name) if self.is_bound else None
            if isinstance(field.widget, forms.Select) and typed and typed not in dict(field.widget.choices):
                field.widget.choices = list(field.widget.choices) + [(typed, typed)]    # shown again as sent

    # --- building -------------------------------------------------------------------------------------
    def _add(self, path, field, value):
        field.required = False
        self.fields[field_name(path)] = field
        self.initial[field_name(path)] = value

    def _text(self, path, value, long=False):
        """One input per language, marked with its language (`lang`) for screen readers and spell-checkers."""
        for lang in self.languages:
            shown = value if isinstance(value, str) else (value.get(lang, "") if isinstance(value, dict) else "")
            marks = {"lang": lang, "dir": "rtl" if _right_to_left(lang) else "ltr"}
            widget = (forms.Textarea(attrs=dict(marks, rows=2, cols=60)) if long
                      else forms.TextInput(attrs=dict(marks, size=50)))
            self._add(path + "." + lang, forms.CharField(label=_language_label(lang), widget=widget),
                      shown if isinstance(shown, str) else "")

    def _category(self, path, data):
        self._add(path + ".id", forms.CharField(label=_("Identifier"), help_text=_(
            "a-z, 0-9, '_' or '-', starting with a letter; used by the pages' data-consent and in the consent cookie.")),
            _lines(data.get("id")))
        for key in ("title", "description"):
            self._text(path + "." + key, data.get(key), key in ("description", "purpose"))
        self._add(path + ".required", forms.BooleanField(label=_("Strictly necessary (always on)")),
                  data.get("required") is True)
        self._add(path + ".exempt", forms.BooleanField(
            label=_("Exempt audience measurement (on unless the visitor opposes it)")), data.get("exempt") is True)
        for j, provider in enumerate(data.get("providers", [])):
            prefix = "%s.providers[%d]" % (path, j)
            self._add(prefix + ".name", forms.CharField(label=_("Name")), _lines(provider.get("name")))
            self._add(prefix + ".policyUrl", forms.CharField(label=_("Privacy policy URL")),
                      _lines(provider.get("policyUrl")))
            self._add(prefix + ".hosts", forms.CharField(
                label=_("Hosts"), widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
                help_text=_("The host names its scripts and iframes come from, one per line (www.example.org).")),
                _lines(provider.get("hosts")))

    def _cookie(self, path, data, ids):
        self._add(path + ".name", forms.CharField(label=_("Name"), help_text=_(
            "The cookie's name, or the storage key.")), _lines(data.get("name")))
        category = _lines(data.get("category"))
        choices = [("", "—")] + [(i, i) for i in ids] + ([(category, category)] if category and category not in ids else [])
        self._add(path + ".category", forms.CharField(label=_("Category"), widget=forms.Select(choices=choices)),
                  category)
        storage = data.get("storage", "cookie")
        self._add(path + ".storage", forms.CharField(label=_("Storage"), widget=forms.Select(choices=[
            (s, STORAGE_LABELS[s]) for s in STORAGES] + ([(storage, storage)] if storage not in STORAGES else []))),
            storage if isinstance(storage, str) else "")
        for key in ("provider", "lifetime", "purpose"):
            self._text(path + "." + key, data.get(key), key in ("description", "purpose"))
        self._add(path + ".match", forms.CharField(label=_("Names matched (regular expression)"), help_text=_(
            "Optional: the cookies to clear on refusal when their names vary, e.g. ^_ga(_.*)?$.")),
            _lines(data.get("match")))
        self._add(path + ".maxAgeDays", forms.CharField(
            label=_("Kept at most (days)"), widget=forms.NumberInput(attrs={"min": 0, "max": 36500}),
            help_text=_("Optional; required in an exempt category, at most 395 days there.")),
            _lines(data.get("maxAgeDays")))
        self._add(path + ".domain", forms.CharField(label=_("Set by another site (host name)"), help_text=_(
            "Optional, cookies only: a third party's cookie.")), _lines(data.get("domain")))
        self._add(path + ".paths", forms.CharField(label=_("Other paths"), widget=forms.Textarea(
            attrs={"rows": 2, "cols": 40}), help_text=_(
            "Optional, cookies only: the paths besides / where it may be set, one per line (/explore/).")),
            _lines(data.get("paths")))
        self._add(path + ".multilingualOnly", forms.BooleanField(
            label=_("Only on a portal offering several languages")), data.get("multilingualOnly") is True)

    # --- writing back ---------------------------------------------------------------------------------
    def manifest(self):
        """The JSON the inputs say, written into a copy of `base` (call after is_valid())."""
        data = copy.deepcopy(self.data_base)
        for i, category in enumerate(data["categories"]):
            path = "categories[%d]" % i
            self._put(category, path, "id", self._value(path + ".id"), always=True)
            for key in ("title", "description"):
                category[key] = self._text_value(path + "." + key, category.get(key))
            for key in ("required", "exempt"):
                self._put(category, path, key, self._value(path + "." + key), default=False)
            for j, provider in enumerate(category.get("providers", [])):
                prefix = "%s.providers[%d]" % (path, j)
                self._put(provider, prefix, "name", self._value(prefix + ".name"), always=True)
                self._put(provider, prefix, "policyUrl", self._value(prefix + ".policyUrl"))
                self._put(provider, prefix, "hosts", _split(self._value(prefix + ".hosts")), default=[])
        for i, cookie in enumerate(data.get("cookies", [])):
            path = "cookies[%d]" % i
            for key in ("name", "category"):
                self._put(cookie, path, key, self._value(path + "." + key), always=True)
            self._put(cookie, path, "storage", self._value(path + ".storage"), default="cookie")
            for key in ("provider", "lifetime", "purpose"):
                cookie[key] = self._text_value(path + "." + key, cookie.get(key))
            days = self._value(path + ".maxAgeDays")
            self._put(cookie, path, "maxAgeDays", int(days) if days.isascii() and days.isdigit() else days)
            for key in ("match", "domain"):
                self._put(cookie, path, key, self._value(path + "." + key))
            self._put(cookie, path, "paths", _split(self._value(path + ".paths")), default=[])
            self._put(cookie, path, "multilingualOnly", self._value(path + ".multilingualOnly"), default=False)
        return data

    def _value(self, path):
        return self.cleaned_data.get(field_name(path), "")

    def _put(self, entry, path, key, value, default="", always=False):
        """Set `key`, or leave it out when the input is empty (or the default) and `base` did not have it:
        an optional field nobody filled stays absent, as in a hand-written file."""
        if always or value != default or key in entry and entry[key] == value:
            entry[key] = value
        else:
            entry.pop(key, None)

    def _text_value(self, path, before):
        """The inputs of one text: one string kept while every language still says it, else an object
        keyed by language (with any language `base` has that the inputs do not show)."""
        typed = {lang: self._value(path + "." + lang) for lang in self.languages}
        if isinstance(before, str) and len(set(typed.values())) == 1:
            return typed[self.languages[0]]
        result = dict(before) if isinstance(before, dict) else {}
        result.update(typed)
        return result

    # --- problems -------------------------------------------------------------------------------------
    def show_problems(self, problems):
        """Each (field path, message) of versions.check next to its input; a problem of a whole entry on
        the entry; the rest (`categories`: one must be required) above the form."""
        entries = {e.path for e in self.entries(with_children=True)}
        for path, message in problems:
            name, target = field_name(path), ""
            if name not in self.fields and name + "-" + self.languages[0] in self.fields:
                name += "-" + self.languages[0]              # a text as a whole: its first language's input
            if name in self.fields:
                self.add_error(name, message)
                target = self[name].auto_id
            else:
                owner = path
                while owner and owner not in entries:
                    owner = owner.rpartition(".")[0]
                if owner:
                    self.entry_errors.setdefault(owner, []).append(message)
                    target = field_name(owner)
            self.problems.append((target, ("%s: %s" % (path, message)) if path else message))

    def problem_links(self):
        """Every problem as `validate` words it, in its order, with the id of the input or entry showing it
        (none for a problem of the whole manifest), for the list above the form."""
        return self.problems

    # --- layout ---------------------------------------------------------------------------------------
    def _rows(self, path, keys):
        rows = []
        for key in keys:
            if key in TEXTS:
                rows.append({"legend": TEXTS[key], "id": field_name(path + "." + key),
                             "fields": [self[field_name("%s.%s.%s" % (path, key, lang))] for lang in self.languages]})
            else:
                rows.append({"field": self[field_name(path + "." + key)]})
        return rows

    def entries(self, with_children=False):
        """The categories then the cookies, as Entry objects (`with_children`: providers listed too)."""
        found = []
        for i, category in enumerate(self.data_base["categories"]):
            path = "categories[%d]" % i
            providers = [Entry("%s.providers[%d]" % (path, j), _("Provider %(n)d: %(name)s") % {
                "n": j + 1, "name": self.initial.get(field_name("%s.providers[%d].name" % (path, j))) or "…"},
                self._rows("%s.providers[%d]" % (path, j), ("name", "policyUrl", "hosts")),
                self.entry_errors.get("%s.providers[%d]" % (path, j), []), remove_label=_("Remove this provider"))
                for j in range(len(category.get("providers", [])))]
            found.append(Entry(path, _("Category %(n)d: %(id)s") % {
                "n": i + 1, "id": self.initial.get(field_name(path + ".id")) or "…"},
                self._rows(path, ("id", "title", "description", "required", "exempt")),
                self.entry_errors.get(path, []), providers, _("Remove this category"),
                add=(field_name(path + ".providers"), _("Add a provider to this category"))))
            if with_children:
                found += providers
        for i in range(len(self.data_base.get("cookies", []))):
            path = "cookies[%d]" % i
            found.append(Entry(path, _("Cookie %(n)d: %(name)s") % {
                "n": i + 1, "name": self.initial.get(field_name(path + ".name")) or "…"},
                self._rows(path, ("name", "category", "storage", "provider", "lifetime", "purpose", "match",
                                  "maxAgeDays", "domain", "paths", "multilingualOnly")),
                self.entry_errors.get(path, []), remove_label=_("Remove this cookie")))
        return found

    def categories(self):
        return [e for e in self.entries() if e.path.startswith("categories")]

    def cookies(self):
        return [e for e in self.entries() if e.path.startswith("cookies")]


def posted_form(post, languages):
    """The bound form of a POST (its `base` says which entries there are), or None when `base` is not a
    manifest the editor can show."""
    try:
        base = json.loads(post.get("base", ""))
    except ValueError:
        return None
    if not editable(base):
        return None
    return DraftFieldsForm(base, languages, post)


def changed(data, action, languages):
    """`data` with an entry added (`_add`: categories, cookies, categories-1-providers) or removed
    (`_remove`: cookies-3, categories-0-providers-1); None for an action that names no list or entry."""
    kind, _sep, rest = action.partition(":")
    parts = rest.split("-")
    data = copy.deepcopy(data)
    try:
        if kind == "add" and parts in (["categories"], ["cookies"]):
            data.setdefault(parts[0], []).append(blank(parts[0], languages))
        elif kind == "add" and len(parts) == 3 and parts[0] == "categories" and parts[2] == "providers":
            data["categories"][int(parts[1])].setdefault("providers", []).append(blank("providers", languages))
        elif kind == "remove" and len(parts) == 2 and parts[0] in ("categories", "cookies"):
            del data[parts[0]][int(parts[1])]
        elif kind == "remove" and len(parts) == 4 and parts[0] == "categories" and parts[2] == "providers":
            providers = data["categories"][int(parts[1])]["providers"]
            del providers[int(parts[3])]
            if not providers:
                del data["categories"][int(parts[1])]["providers"]
        else:
            return None
    except (ValueError, IndexError, KeyError):
        return None
    return data
