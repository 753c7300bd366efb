"""The verdicts: what a crawl recorded (banner.audit.crawl), judged against the manifest. Pure: no browser,
no clock, so the rules are unit-tested on recorded data (tests/core/test_audit_judge.py).

Each state of the crawl says which optional categories it should accept (`accepts`): none before a choice,
after « Tout refuser » and after withdrawing; all after « Tout accepter »; one in a category's own state.
Then:

- anything stored (cookie, localStorage, sessionStorage, IndexedDB) or contacted (a request to another
  site) in a state whose choice does not accept its category is a violation: before a choice, after
  refusal, still present after withdrawal, outside a single category's choice. A required category's
  cookies and hosts are allowed everywhere; what the manifest does not declare has no category, so it
  is allowed nowhere but after « Tout accepter ». The portal's own site is not another site, but for a
  host an optional category's provider declares (a tracker it hosts itself).
- a cookie, storage key or host the manifest does not declare at all is a violation, with a drafted
  manifest entry (banner.audit.drafts). IndexedDB databases cannot be declared (the manifest has no such
  storage): one before consent is a violation all the same.
- a cookie whose real lifetime exceeds the declared one, or the CNIL's 13 months, is a violation; a
  declared lifetime the audit cannot read is a warning.
- the banner must be shown on every page before a choice, start without a console error, and each
  button must do what it says: the `consent:change` event, `consentBanner.accepted(id)` for every
  optional category and the `cookies_preferences` value written must all say the choice made, the
  banner and the centre must be closed, and every later page of that state must keep the choice.
  The consent cookie's fingerprints must be the audited manifest's: otherwise the page decided with
  another manifest than the one judged.
"""

import re

from ..cookies import decode_consent, CONSENT_COOKIE
from ..fingerprint import fingerprints
from . import lifetimes
from .drafts import cookie_entry, provider_entry, same_site

VIOLATION, WARNING = "violation", "warning"

# Per kind of state: whether it restricts what may be present, and how a finding names it.
STATE_KINDS = {
    "before": (True, "stored before any choice"),
    "refuse": (True, "stored after refusal"),
    "accept": (False, "stored after accepting everything"),
    "withdraw": (True, "still present after withdrawal"),
    "only": (True, "stored with only {category} accepted"),
    "oppose": (True, "stored after opposing {category}"),
}
STORAGE_NAMES = {"local": "localStorage key", "session": "sessionStorage key", "indexeddb": "IndexedDB database"}


def state_kind(state):
    return state["id"].split("-", 1)[0]


def regex_search(pattern, name):
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def entry_for(manifest, name, storage="cookie"):
    """The manifest entry declaring a cookie (or storage key) of this name: its exact name first, then
    its `match` pattern."""
    entries = [k for k in manifest.cookies if k.storage == storage]
    for entry in entries:
        if entry.name == name:
            return entry
    for entry in entries:
        if entry.match and regex_search(entry.match, name):
            return entry
    return None


def host_category(manifest, host):
    """(category id, provider name) of the provider declaring `host` (or a parent of it), or (None, None)."""
    host = host.lower()
    for category in manifest.categories:
        for provider in category.providers:
            if any(host == known or host.endswith("." + known) for known in provider.hosts):
                return category.id, provider.name
    return None, None


class Findings:
    """Findings keyed by what they are about, so that one cookie seen on five pages in three states is one
    finding naming them all. A finding with `phrases` has its message written at the end: its subject,
    then what happened in each state ("stored before any choice, after « Tout refuser » and ..."), then why."""

    def __init__(self):
        self.items = {}

    def add(self, key, kind, severity, message, subject=None, state=None, page=None, category=None, set_by=None,
            draft=None, detail=None, phrase=None):
        found = self.items.get(key)
        if found is None:
            found = self.items[key] = {"kind": kind, "severity": severity, "message": message, "subject": subject,
                                       "category": category, "states": [], "pages": [], "setBy": [],
                                       "draft": draft, "detail": detail}
        for field, value in (("states", state), ("pages", page), ("setBy", set_by)):
            if value and value not in found[field]:
                found[field].append(value)
        if phrase:
            phrases = found.setdefault("_phrases", [])
            if phrase not in phrases:
                phrases.append(phrase)
        return found

    def list(self):
        order = {VIOLATION: 0, WARNING: 1}
        found = sorted(self.items.values(), key=lambda f: order[f["severity"]])
        for finding in found:
            phrases = finding.pop("_phrases", None)
            if phrases:
                head, why = finding["message"]
                finding["message"] = "%s %s%s" % (head, _join(phrases), why)
        return found


def _join(phrases):
    """"stored before any choice", "stored after refusal" -> "stored before any choice and after refusal"."""
    out, last = [], None
    for phrase in phrases:
        verb = phrase.split(" ", 1)[0]
        if verb == last and verb in ("stored", "made"):
            phrase = phrase[len(verb) + 1:]       # "stored before any choice and after refusal"
        out.append(phrase)
        last = verb
    return out[0] if len(out) == 1 else ", ".join(out[:-1]) + " and " + out[-1]


def _cookie_subject(cookie):
    return {"type": "cookie", "name": cookie["name"], "domain": cookie.get("domain", ""), "path": cookie.get("path", "/"),
            "httpOnly": bool(cookie.get("httpOnly")), "lifetime": cookie.get("lifetime")}


def _cookie_label(cookie):
    flags = " (HttpOnly)" if cookie.get("httpOnly") else ""
    return "cookie %s%s on %s" % (cookie["name"], flags, (cookie.get("domain") or "?").lstrip("."))


def _days(seconds):
    days = seconds / lifetimes.DAY
    return "%d days" % round(days) if days >= 2 else "%d hours" % round(seconds / lifetimes.HOUR) \
        if seconds >= lifetimes.HOUR else "%d seconds" % round(seconds)


def _where(state, titles):
    kind = state_kind(state)
    what = STATE_KINDS[kind][1]
    if kind in ("only", "oppose"):
        category = state["id"].split("-", 1)[1]
        what = what.format(category="« %s »" % titles.get(category, category))
    if kind == "refuse" and (state.get("action") or {}).get("label"):
        what = "stored after « %s »" % state["action"]["label"]
    return what


def _contacted(where):
    return where.replace("stored", "made").replace("still present", "made")


def judge(report, manifest):
    """The list of findings for a recorded report (its `states`, `site`, `languages`), each a dict:
    kind, severity, message, subject, category, states, pages, setBy, draft, detail."""
    findings = Findings()
    required = {c.id for c in manifest.categories if c.required}
    optional = manifest.optional_ids
    exempt = set(manifest.exempt_ids)
    titles = {c.id: category_title(c) for c in manifest.categories}
    languages = report.get("languages") or list(manifest.languages) or ["fr"]
    portal = report.get("host", "")
    expected_prints = fingerprints(manifest)

    for state in report["states"]:
        kind = state_kind(state)
        allowed = required | set(state.get("accepts", []))
        restricted = STATE_KINDS[kind][0]
        where = _where(state, titles)
        _judge_banner(findings, state, optional, titles, expected_prints, where, bool(manifest.consent_ids))

        for cookie in state.get("cookies", []):
            entry = entry_for(manifest, cookie["name"])
            category = entry.category if entry else None
            subject = _cookie_subject(cookie)
            if entry is None:
                findings.add(("undeclared", "cookie", cookie["name"], cookie.get("domain")), "undeclared_cookie",
                             VIOLATION, "%s is not in the manifest" % _cookie_label(cookie), subject, state["id"],
                             cookie.get("firstSeen"), set_by=cookie.get("setBy"),
                             draft=cookie_entry(cookie, languages, portal))
            if restricted and category not in allowed:
                findings.add(("consent", "cookie", cookie["name"], cookie.get("domain")), "without_consent", VIOLATION,
                             (_cookie_label(cookie), _because(category, titles)), subject, state["id"],
                             cookie.get("firstSeen"), category, cookie.get("setBy"), phrase=where)
            _judge_lifetime(findings, cookie, entry, subject, state)
            if category in exempt and portal and not same_site((cookie.get("domain") or "").lstrip("."), portal):
                findings.add(("exempt_third_party", cookie["name"], cookie.get("domain")), "exempt_third_party",
                             VIOLATION, "%s belongs to « %s », exempt audience measurement, but another site sets it:"
                             " the exemption allows first-party cookies only" % (_cookie_label(cookie),
                                                                                titles.get(category, category)),
                             subject, state["id"], cookie.get("firstSeen"), category, cookie.get("setBy"))

        for item in state.get("storage", []):
            storage = item["type"]
            entry = entry_for(manifest, item["name"], storage) if storage in ("local", "session") else None
            category = entry.category if entry else None
            label = "%s %s (%s)" % (STORAGE_NAMES[storage], item["name"], item.get("origin", ""))
            subject = {"type": storage, "name": item["name"], "origin": item.get("origin", "")}
            if entry is None:
                draft = cookie_entry(item, languages, portal, storage) if storage != "indexeddb" else None
                why = "is not in the manifest" if draft else "is not in the manifest (which cannot declare IndexedDB)"
                findings.add(("undeclared", storage, item["name"], item.get("origin")), "undeclared_storage", VIOLATION,
                             "%s %s" % (label, why), subject, state["id"], item.get("firstSeen"),
                             set_by=item.get("setBy"), draft=draft)
            if restricted and category not in allowed:
                findings.add(("consent", storage, item["name"], item.get("origin")), "without_consent", VIOLATION,
                             (label, _because(category, titles)), subject, state["id"], item.get("firstSeen"),
                             category, item.get("setBy"), phrase=where)

        for request in state.get("requests", []):
            host = request["host"]
            category, provider = host_category(manifest, host)
            if _portal_own(host, portal, category, required):
                continue
            subject = {"type": "host", "host": host}
            if category is None:
                findings.add(("undeclared", "host", host), "undeclared_host", VIOLATION,
                             "requests to %s: no provider of the manifest declares this host" % host, subject,
                             state["id"], request.get("page"), set_by=request.get("initiator"),
                             draft=provider_entry(host))
            if restricted and category not in allowed:
                findings.add(("consent", "host", host), "without_consent", VIOLATION,
                             ("requests to %s" % host, _because(category, titles, provider)), subject, state["id"],
                             request.get("page"), category, request.get("initiator"), phrase=_contacted(where))
    return findings.list()


def _portal_own(host, portal, category, required):
    """Whether a request to `host` is the portal's own business, not judged: a host of its own site that no
    provider of an optional category declares. A tracker the portal hosts itself (a Matomo on
    stats.portal.example) is declared by its provider, and must wait for consent like any third party."""
    return bool(portal) and same_site(host, portal) and (category is None or category in required)


def category_title(category):
    """A category's title in the reports: French, else English, else the first language."""
    title = category.title
    for code in ("fr", "en"):
        if code in title:
            return title[code]
    return title[sorted(title)[0]] if title else category.id


def _because(category, titles, provider=None):
    if category is None:
        return ": not declared, so in no required category"
    by = " (provider %s)" % provider if provider else ""
    return ": category « %s »%s is not accepted" % (titles.get(category, category), by)


def _judge_lifetime(findings, cookie, entry, subject, state):
    measured = cookie.get("lifetime")           # seconds, None for a session cookie
    name = cookie["name"]
    if entry is not None:
        declared, text = lifetimes.declared_seconds(entry.lifetime, entry.max_age_days)
        if declared is None:
            findings.add(("lifetime_unreadable", name), "lifetime_unreadable", WARNING,
                         "cookie %s: its declared lifetime « %s » cannot be read as a duration; it lasts %s"
                         % (name, text, _days(measured) if measured is not None else "the session"),
                         subject, state["id"], cookie.get("firstSeen"), entry.category)
        elif lifetimes.exceeds(measured, declared):
            said = "the session" if declared == lifetimes.SESSION else "%s (%s)" % (text, _days(declared))
            findings.add(("lifetime", name), "lifetime_exceeds_declared", VIOLATION,
                         "cookie %s lasts %s, longer than its declared %s" % (
                             name, _days(measured), text if text.startswith("maxAgeDays") else
                             "lifetime « %s »" % text) if declared != lifetimes.SESSION else
                         "cookie %s lasts %s, but the manifest declares it for the session" % (name, _days(measured)),
                         subject, state["id"], cookie.get("firstSeen"), entry.category,
                         detail={"measuredSeconds": measured, "declared": said})
    if lifetimes.over_cnil(measured):
        findings.add(("cnil", name), "lifetime_over_13_months", VIOLATION,
                     "cookie %s lasts %s, beyond the CNIL's 13 months (%d days)" % (
                         name, _days(measured), lifetimes.CNIL_MAX_SECONDS // lifetimes.DAY),
                     subject, state["id"], cookie.get("firstSeen"), entry.category if entry else None,
                     detail={"measuredSeconds": measured})


def _judge_banner(findings, state, optional, titles, expected_prints, where, asks=True):
    """The banner on each page of a state, and the state's click. `asks`: whether the manifest has a
    category needing consent (else no banner is due)."""
    kind = state_kind(state)
    expected = set(state.get("accepts", []))
    for page in state.get("pages", []):
        url = page["url"]
        if page.get("loadError"):
            findings.add(("unreachable", url), "page_unreachable", WARNING,
                         "%s could not be loaded %s: %s" % (url, where.split(" ", 1)[1], page["loadError"]),
                         None, state["id"], url)
            continue
        if page.get("failed"):
            findings.add(("failed", url), "banner_failed", VIOLATION,
                         "the banner did not start on %s: %s" % (url, page["failed"]), None, state["id"], url)
            continue
        if kind == "before":
            if asks and not page.get("bannerShown"):
                findings.add(("not_shown", url), "banner_not_shown", VIOLATION,
                             "the banner was not shown on %s before any choice" % url, None, state["id"], url)
        elif page.get("bannerShown") and not page.get("afterAction"):
            findings.add(("choice_not_kept", state["id"], url), "choice_not_kept", VIOLATION,
                         "%s: the banner asks again on %s" % (state["title"], url), None, state["id"], url)
        wrong = sorted(c for c in optional if bool(page.get("api", {}).get(c)) != (c in expected))
        if wrong and not page.get("bannerShown"):
            findings.add(("choice_not_kept", state["id"], url), "choice_not_kept", VIOLATION,
                         "%s: on %s, consentBanner.accepted() says %s" % (
                             state["title"], url, _api_text(page.get("api", {}), wrong)), None, state["id"], url)
    action = state.get("action")
    if action:
        problems = action_problems(action, expected, optional, expected_prints)
        if problems:
            findings.add(("button", state["id"]), "button_mismatch", VIOLATION,
                         "« %s » does not do what it says: %s" % (action.get("label") or action["name"],
                                                                   "; ".join(problems)),
                         None, state["id"], action.get("page"), detail={"problems": problems})
        prints = (action.get("consentCookie") or {}).get("fingerprints")
        if prints is not None and prints != expected_prints:
            findings.add(("manifest_differs",), "manifest_differs", VIOLATION,
                         "the page decided with another manifest than the one audited: the fingerprints it stored "
                         "(%s) are not the audited manifest's (%s)" % (_prints(prints), _prints(expected_prints)),
                         None, state["id"], action.get("page"))


def _prints(prints):
    return ", ".join("%s=%s" % (k, prints[k]) for k in sorted(prints))


def _api_text(api, wrong):
    return ", ".join("accepted(%r) is %s" % (c, "true" if api.get(c) else "false") for c in wrong)


def action_problems(action, expected, optional, expected_prints=None):
    """What a click recorded (`action`) shows against the choice it names (`expected` optional ids)."""
    problems = []
    if action.get("error"):
        return [action["error"]]
    event = action.get("event")
    if event is None:
        problems.append("no consent:change event followed the click")
    elif set(event) & set(optional) != expected:
        problems.append("consent:change announced %s" % (", ".join(sorted(set(event) & set(optional))) or "nothing optional"))
    wrong = sorted(c for c in optional if bool(action.get("api", {}).get(c)) != (c in expected))
    if wrong:
        problems.append("consentBanner.%s" % _api_text(action.get("api", {}), wrong))
    value = action.get("consentCookie")
    if value is None:
        problems.append("no %s cookie was written" % CONSENT_COOKIE)
    else:
        consent = decode_consent(value.get("value"))
        if consent is None:
            problems.append("the %s value written does not decode" % CONSENT_COOKIE)
        elif set(consent.accepted) != expected:
            problems.append("%s records %s accepted" % (CONSENT_COOKIE, ", ".join(consent.accepted) or "nothing"))
    if action.get("bannerShown"):
        problems.append("the banner is still shown")
    if action.get("centreOpen"):
        problems.append("the preferences centre is still open")
    return problems


def decoded_cookie(value):
    """{"value", "accepted", "fingerprints"} of a cookies_preferences value as the crawl records it."""
    consent = decode_consent(value)
    if consent is None:
        return {"value": value, "accepted": None, "fingerprints": None}
    return {"value": value, "accepted": list(consent.accepted), "fingerprints": dict(consent.fingerprints)}
