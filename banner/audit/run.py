"""One audit from start to end: Chromium found and started (banner.audit.cdp), the manifest read, the
states crawled (banner.audit.crawl), the findings judged (banner.audit.judge), the report assembled and
written (banner.audit.report).

States, each in a fresh profile but `withdraw`, acting through the banner's own interface (the first
layer's and the centre's `data-cb-action` buttons, `consentBanner`, `consent:change`):

- `before`: the pages as a first visitor gets them, no click. Also where the pages are found: the start
  page's same-origin links in document order, then those of /sitemap.xml, each read without being rendered
  (crawl.PROBE), up to N pages that carry our loader with the start page's manifest (others are listed as
  skipped, with why: a page that is not audited runs nothing in the profile).
- `refuse`: « Tout refuser » on the start page, then every other page.
- `accept`: « Tout accepter » on the start page, then every other page.
- `withdraw`: the `accept` profile continued (a withdrawal needs something to withdraw): the centre opened
  with `consentBanner.showPreferences()`, its « Tout refuser », then every page again.
- `only-ID`, per category needing consent: « Personnaliser », the switches set so that only ID is on (exempt
  measurement left on), « Enregistrer mes choix ».
- `oppose-ID`, per exempt measurement category: « Personnaliser », its switch off, « Enregistrer mes choix ».
"""

import hashlib
import json
import os
from urllib.parse import urlsplit

from .. import __version__
from ..errors import ManifestError
from ..fingerprint import fingerprints, layer_key
from ..manifest import parse_manifest, text_languages
from ..cookies import CONSENT_COOKIE
from ..server.host import regex_ok
from . import cdp, crawl, judge, report as reports
from .crawl import PageError, Recorder, Tab, iso, now

SCOPE = ("This audit knows one banner, consent-banner: it acts through that banner's own buttons and API "
         "and judges against its manifest. Pages using another banner are out of its scope.")
DEFAULT_PAGES = 5
RELOAD_GRACE_S = 0.5         # after a decision's event, how long a reload it started takes to show
EXTRA_CANDIDATES = 10        # candidate pages read beyond N, for those skipped (no loader, another manifest)


class AuditError(Exception):
    """The audit could not run (a usage or environment error): its message says why, exit status 2."""


class Progress:
    """A progress line on a terminal (redrawn in place), plain lines elsewhere (CI logs)."""

    def __init__(self, stream=None):
        self.stream = stream
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.total = 0
        self.done = 0

    def step(self, state, url):
        self.done += 1
        if self.stream is None:
            return
        total = max(self.total, self.done)
        path = urlsplit(url).path or "/"
        if self.tty:
            width = 24
            filled = int(width * self.done / total)
            line = "[%s%s] %d/%d %s %s" % ("#" * filled, "." * (width - filled), self.done, total, state, path)
            self.stream.write("\r\x1b[K" + line[:110])
        else:
            self.stream.write("audit: [%d/%d] %s %s\n" % (self.done, total, state, path))
        self.stream.flush()

    def end(self):
        if self.stream is not None and self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def audit(url, manifest=None, pages=DEFAULT_PAGES, out=None, progress=None, chromium=None, resolve=None):
    """Audit the portal page `url` in a real Chromium and return the report (a dict; its JSON Schema is
    banner/audit/report.schema.json). `manifest`: a manifest file to judge against (default: the one the
    page's data-config names). `pages`: how many pages per state. `out`: a directory receiving report.json,
    report.html and the screenshots. `progress`: a stream for the progress line (None: silent). `chromium`:
    the executable (default: see banner.audit.cdp). `resolve`: {host: address}, host names Chromium maps to
    another address (a staging server under the portal's name). AuditError when it cannot run."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AuditError("%r is not an http(s) URL" % url)
    if not isinstance(pages, int) or pages < 1:
        raise AuditError("--pages must be a whole number from 1")
    file_manifest = _read_manifest_file(manifest) if manifest else None
    if out:
        _check_out(out)
    try:
        path = cdp.find_chromium(chromium)
    except cdp.BrowserMissing as error:
        raise AuditError(str(error))
    flags = []
    if resolve:
        flags.append("--host-resolver-rules=" + ", ".join("MAP %s %s" % (h, a) for h, a in sorted(resolve.items())))
    run = _Run(url, file_manifest, pages, Progress(progress), resolve)
    try:
        browser = cdp.Chromium(path, flags, on_event=run.dispatch)
    except cdp.BrowserMissing as error:
        raise AuditError(str(error))
    try:
        result = run.go(browser, path)
    except cdp.BrowserError as error:
        raise AuditError("Chromium failed during the audit: %s" % error)
    finally:
        run.progress.end()
        browser.close()
    if out:
        try:
            reports.write(result, out)
        except OSError as error:
            raise AuditError("cannot write the reports into %s: %s" % (out, error.strerror or error))
    return result


def _read_manifest_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise AuditError("%s: cannot read: %s" % (path, error.strerror or error))
    except UnicodeDecodeError as error:       # a ValueError, not an OSError: it would end in a traceback
        raise AuditError("%s: not UTF-8 (byte 0x%02x at offset %d): a manifest is JSON, saved as UTF-8"
                         % (path, error.object[error.start], error.start))
    return {"source": path, "text": text}


def _check_out(out):
    if os.path.exists(out) and not os.path.isdir(out):
        raise AuditError("--out %s: not a directory" % out)
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise AuditError("--out %s: its parent directory does not exist" % out)


class _Run:
    def __init__(self, url, file_manifest, pages, progress, resolve):
        self.start = url
        self.file_manifest = file_manifest
        self.max_pages = pages
        self.progress = progress
        self.resolve = dict(resolve or {})
        self.sessions = {}               # DevTools session -> Tab
        self.loads = 0                   # pages loaded, skipped ones included

    def dispatch(self, message):
        tab = self.sessions.get(message.get("sessionId"))
        if tab is not None:
            tab.on_event(message.get("sessionId"), message.get("method"), message.get("params") or {})

    def tab(self):
        return Tab(self.browser, self.sessions)

    # -- the whole audit -----------------------------------------------------------------------------------
    def go(self, browser, path):
        self.browser = browser
        started = now()
        before = self.before()
        result = {
            "format": 1, "tool": "consent-banner audit", "version": __version__, "url": self.start,
            "host": (urlsplit(self.start).hostname or "").lower(), "startedAt": iso(started),
            "browser": {"path": path, "version": browser.version, "resolve": self.resolve},
            "banner": self.banner, "manifest": self.manifest_info, "languages": self.languages,
            "pages": self.pages, "skipped": self.skipped, "scope": SCOPE,
        }
        states = [before]
        if self.manifest.consent_ids:
            labels = {}
            exempt = self.manifest.exempt_ids        # on without consent, until the visitor opposes it
            states.append(self.decided("refuse", exempt, self.first_layer("reject_all", labels)))
            accept, withdraw = self.accept_then_withdraw(labels)
            states += [accept, withdraw]
            for category in self.optional:
                if category in exempt:                # its own state: opposed, everything else refused
                    wanted = [c for c in exempt if c != category]
                    states.append(self.decided("oppose-" + category, wanted, self.custom("oppose", category, wanted)))
                else:                                 # its own state: only it accepted (and exempt measurement)
                    wanted = [c for c in self.optional if c == category or c in exempt]
                    states.append(self.decided("only-" + category, wanted, self.custom("only", category, wanted)))
        result["states"] = states
        result["findings"] = judge.judge(result, self.manifest)
        finished = now()
        result["finishedAt"] = iso(finished)
        result["seconds"] = round(finished - started, 1)
        violations = sum(1 for f in result["findings"] if f["severity"] == judge.VIOLATION)
        result["summary"] = {"verdict": "violations" if violations else "clean", "violations": violations,
                             "warnings": len(result["findings"]) - violations,
                             "pageLoads": self.loads, "states": len(states)}
        return result

    def visit(self, tab, recorder, url, state_id, records):
        """Load one page in a state's profile and record it."""
        self.loads += 1
        try:
            tab.navigate(url)
        except PageError as error:
            records.append({"url": url, "loadError": str(error)})
            self.progress.step(state_id, url)
            return None
        state = tab.wait_started(self.optional)
        tab.settle()
        recorder.snapshot(tab.page_url)
        self.progress.step(state_id, url)
        if state is None:
            records.append({"url": url, "loader": False, "status": tab.try_evaluate(crawl.STATUS)})
            return None
        records.append(_page_record(url, state))
        return state

    # -- before any choice, and finding the pages ----------------------------------------------------------
    def before(self):
        tab = self.tab()
        recorder = Recorder(tab)
        try:
            try:
                tab.navigate(self.start)
            except PageError as error:
                raise AuditError("cannot open %s: %s" % (self.start, error))
            self.loads += 1
            first = tab.wait_started([])
            if first is None:
                reason = _not_a_page(tab)
                if reason:
                    raise AuditError("cannot audit %s: %s" % (self.start, reason))
                raise AuditError(
                    "%s has no consent-banner loader (window.__consentBoot is absent). The audit knows only this "
                    "banner: it acts through its buttons and API. A page with another banner is out of its scope."
                    % self.start)
            self.read_manifest(tab, first)
            first = tab.wait_started(self.optional)
            tab.settle()
            recorder.snapshot(tab.page_url)
            self.start = tab.page_url               # after any redirect
            self.banner = {"build": first.get("build"), "version": first.get("version"),
                           "config": _json_or_text(first.get("config"))}
            self.reference = crawl.manifest_ref(first.get("config"), self.start)
            records = [_page_record(self.start, first)]
            shot = crawl.screenshot_record(tab, "before", "The first visit: the banner as shown before any choice")
            self.pages, self.skipped = [self.start], []
            candidates = crawl.candidate_links(tab.try_evaluate(crawl.LINKS) or [], self.start)
            sitemap = tab.try_evaluate(crawl.sitemap_script())
            candidates += [u for u in crawl.sitemap_urls(sitemap, self.start) if u not in candidates]
            self.progress.total = min(self.max_pages, 1 + len(candidates)) * (4 + len(self.optional))
            self.progress.step("before", self.start)
            # each candidate read first, not rendered (no script of a page that is not ours runs in this
            # profile); the pages with our loader and the start page's manifest are visited
            found, candidates = [], candidates[:self.max_pages + EXTRA_CANDIDATES]
            while candidates and 1 + len(found) < self.max_pages:
                wanted = self.max_pages - 1 - len(found)
                batch, candidates = candidates[:wanted], candidates[wanted:]
                probes = tab.try_evaluate(crawl.probe_script(batch), timeout=15 + 10 * len(batch))
                for probe in probes or [{"url": url, "error": "no answer"} for url in batch]:
                    reason = self.skip_reason(probe, found)
                    if reason:
                        self.skipped.append({"url": probe["url"], "reason": reason})
                    else:
                        found.append(probe["final"])
            for url in found:
                page_records = []
                state = self.visit(tab, recorder, url, "before", page_records)
                if state is None or page_records[0].get("loadError"):       # not what its HTML said
                    self.skipped.append({"url": url, "reason": self.visit_reason(page_records[0])})
                    continue
                self.pages.append(url)
                records.extend(page_records)
            self.progress.total = len(self.pages) * (4 + len(self.optional)) + (3 if len(self.pages) == 1 else 0)
            result = {"id": "before", "title": "Before any choice", "accepts": self.manifest.exempt_ids, "action": None,
                      "pages": records, "screenshot": shot}
            result.update(recorder.result())
            return result
        finally:
            tab.close()

    def skip_reason(self, probe, found):
        """Why a candidate page, as read, is not audited (None: it is)."""
        if probe.get("error"):
            return "could not be read: %s" % probe["error"]
        final = probe.get("final") or probe["url"]
        if urlsplit(final)[:2] != urlsplit(self.start)[:2]:
            return "redirects to another site (%s)" % final
        unusable = _unusable(probe.get("status", 200), probe.get("type"), probe.get("html"))
        if unusable:
            return unusable
        if probe.get("config") is None:
            return "no consent-banner loader on this page"
        ref = crawl.manifest_ref(probe["config"], final)
        if ref != self.reference:
            return "its banner uses another manifest (%s): audit it on its own" % (
                ref if ref and not ref.startswith("{") else "an inline one")
        if any(crawl.same_page(final, p) for p in self.pages + found):
            return "the same page as %s" % final
        return None

    @staticmethod
    def visit_reason(record):
        if record.get("loadError"):
            return "could not be loaded: %s" % record["loadError"]
        return "no consent-banner loader on this page once loaded"

    def read_manifest(self, tab, first):
        config = _json_or_text(first.get("config"))
        languages = config.get("languages") if isinstance(config, dict) else None
        if self.file_manifest:
            text, source = self.file_manifest["text"], self.file_manifest["source"]
        elif isinstance(config, dict) and isinstance(config.get("manifest"), dict):
            text, source = json.dumps(config["manifest"], ensure_ascii=False), "inline in data-config"
        else:
            source = crawl.manifest_ref(first.get("config"), tab.page_url) or "?"
            text = tab.try_evaluate("Promise.resolve(window.__consentBoot.manifestText).catch(function (e) { "
                                    "return {error: String(e)}; })")
            if not isinstance(text, str):
                raise AuditError("the page's manifest (%s) could not be fetched%s" % (
                    source, ": %s" % text["error"] if isinstance(text, dict) else ""))
        try:
            data = json.loads(text)
        except ValueError as error:
            raise AuditError("the manifest (%s) is not valid JSON: %s" % (source, error))
        if not isinstance(languages, list) or not all(isinstance(c, str) for c in languages):
            languages = text_languages(data) if isinstance(data, dict) else None
        self.languages = [c.lower() for c in (languages or ["fr"])]
        try:
            self.manifest = parse_manifest(data, self.languages, regex_ok)
        except ManifestError as error:
            raise AuditError("the manifest (%s) is not valid: %s" % (source, "; ".join(
                "%s: %s" % (field or "(top level)", message) for field, message in error.problems)))
        self.optional = self.manifest.optional_ids
        self.manifest_info = {
            "source": source, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "revision": self.manifest.revision, "layerKey": layer_key(self.manifest),
            "fingerprints": fingerprints(self.manifest),
            "categories": [{"id": c.id, "title": judge.category_title(c), "required": c.required}
                           for c in self.manifest.categories]}

    # -- decided states ------------------------------------------------------------------------------------
    def decided(self, state_id, accepts, act, tab=None, continued=False):
        """A state after a decision: the start page loaded and the decision made there (`continued`: made
        on the tab's current page instead, the withdrawal going on in the accept profile), then the pages
        visited with it stored. A tab given is the caller's to close."""
        own = tab is None
        tab = tab or self.tab()
        records = []
        try:
            if continued:
                state = tab.state(self.optional)
            else:                   # what the page does before the decision is the `before` state's finding
                state = self.visit(tab, Recorder(tab), self.start, state_id, [])
            tab.decision = None
            if state is None or state.get("failed"):
                action, shot = {"name": act.name, "error": "the banner did not start on %s" % self.start}, None
            else:
                action, shot = act(tab, state)
            action["page"] = tab.page_url
            # from the decisive click on: what it sets off at once (a tag's click trigger, the answer to a
            # request made then) is the decision's, though it came before the decision was read
            recorder = Recorder(tab, tab.decision)
            recorder.snapshot(tab.page_url)
            records.append({"url": tab.page_url, "afterAction": True, "bannerShown": action.get("bannerShown"),
                            "api": action.get("api", {})})
            if shot is None and not action.get("error"):
                shot = crawl.screenshot_record(tab, state_id, "After the click on « %s »" % action.get("label"))
            # the other pages; all of them after a withdrawal, and a one-page audit loads its page again
            rest = self.pages if continued or len(self.pages) == 1 else self.pages[1:]
            for url in rest:
                self.visit(tab, recorder, url, state_id, records)
            result = {"id": state_id, "title": act.title(action), "accepts": accepts, "action": action,
                      "pages": records, "screenshot": shot}
            result.update(recorder.result())
            return result
        finally:
            if own:
                tab.close()

    def accept_then_withdraw(self, labels):
        tab = self.tab()
        try:
            accept = self.decided("accept", list(self.optional), self.first_layer("accept_all", labels), tab)
            withdraw = self.decided("withdraw", self.manifest.exempt_ids, self.withdraw(labels), tab, continued=True)
        finally:
            tab.close()
        return accept, withdraw

    # -- actions: each returns (action record, screenshot or None) -----------------------------------------
    def first_layer(self, name, labels):
        run = self

        class FirstLayer:
            def __init__(self):
                self.name = name

            def title(self, action):
                label = action.get("label") or {"reject_all": "Tout refuser", "accept_all": "Tout accepter"}[name]
                labels[name] = label
                return "After « %s »" % label

            def __call__(self, tab, state):
                # « Continuer sans accepter » (#cb-continue) also refuses: the audit clicks « Tout refuser »
                return run.click_and_read(tab, state, name, '#cb-banner [data-cb-action="%s"]:not(#cb-continue)'
                                          % name), None
        return FirstLayer()

    def withdraw(self, labels):
        run = self

        class Withdraw:
            name = "withdraw"

            def title(self, action):
                return "After withdrawal (« %s », then « %s » in the preferences centre)" % (
                    labels.get("accept_all", "Tout accepter"), action.get("label") or "Tout refuser")

            def __call__(self, tab, state):
                tab.try_evaluate("window.consentBanner && window.consentBanner.showPreferences()")
                if not wait_centre(tab, run.optional):
                    return {"name": "withdraw", "error": "consentBanner.showPreferences() did not open the "
                                                         "preferences centre"}, None
                shot = crawl.screenshot_record(tab, "withdraw", "The preferences centre, opened to withdraw")
                state = tab.state(run.optional)
                action = run.click_and_read(tab, state, "withdraw", '#cb-prefs [data-cb-action="reject_all"]')
                return action, shot
        return Withdraw()

    def custom(self, kind, category, wanted):
        """« Personnaliser », then each switch of the centre set as `wanted` says (only `category` on, with
        exempt measurement; or exempt `category` opposed), then « Enregistrer mes choix »."""
        run = self
        title = next(c["title"] for c in self.manifest_info["categories"] if c["id"] == category)
        state_id = "%s-%s" % (kind, category)

        class Custom:
            name = "custom"

            def title(self, action):
                how = ("Only « %s » accepted" if kind == "only" else "« %s » opposed") % title
                return "%s (« %s », %s, « %s »)" % (how, action.get("via") or "Personnaliser",
                                                     "its switch" if kind == "only" else "its switch off",
                                                     action.get("label") or "Enregistrer mes choix")

            def __call__(self, tab, state):
                opened, error = tab.click('#cb-banner [data-cb-action="customise"]')
                if error:
                    return {"name": "custom", "error": error}, None
                if not wait_centre(tab, run.optional):
                    return {"name": "custom", "error": "« %s » did not open the preferences centre" % opened["label"]}, None
                for other in run.optional:
                    switch = '#cb-prefs input[data-cb-category="%s"]' % other
                    on = "!!(document.querySelector(%s) || {}).checked" % json.dumps(switch)
                    if tab.try_evaluate(on) == (other in wanted):
                        continue
                    spot, error = tab.click(switch)
                    if error:
                        return {"name": "custom", "error": error}, None
                    if not cdp.wait_until(lambda on=on, want=other in wanted: tab.try_evaluate(on) == want, 5):
                        return {"name": "custom", "error": "the switch « %s » did not turn %s" % (
                            spot["label"], "on" if other in wanted else "off")}, None
                shot = crawl.screenshot_record(tab, state_id, "The preferences centre, « %s » switched %s" % (
                    title, "on" if kind == "only" else "off"))
                action = run.click_and_read(tab, tab.state(run.optional), "custom",
                                            '#cb-prefs [data-cb-action="save"]')
                action["via"] = opened["label"]
                return action, shot
        return Custom()

    def click_and_read(self, tab, state, name, selector):
        """Click a banner button, wait for its decision (an event, or a reload), and read what it did."""
        before = len((state or {}).get("events") or [])
        tab.try_evaluate("window.__auditStale = true; window.__auditLeaving = false; addEventListener("
                         "'beforeunload', function () { window.__auditLeaving = true; })")
        tab.decision = tab.mark()
        spot, error = tab.click(selector)
        if error:
            return {"name": name, "label": spot and spot.get("label"), "error": error}
        label = spot["label"]

        def reloading():
            """A new document, or this one on its way out: the decision reloaded the page."""
            return tab.try_evaluate("window.__auditStale === true && window.__auditLeaving !== true") is False

        def decided():
            if reloading():
                return "reload"
            current = tab.state(self.optional)
            return "event" if current and len(current.get("events") or []) > before else None
        how = cdp.wait_until(decided, 10)
        if how == "event" and cdp.wait_until(reloading, RELOAD_GRACE_S):
            how = "reload"        # the event came, then the page reloads: the decision took back what had run
        if how == "reload":
            tab.wait_reload(crawl.LOAD_TIMEOUT)
            tab.page_url = tab.try_evaluate("location.href") or tab.page_url
            after = tab.wait_started(self.optional) or {}
            event = (after.get("events") or [None])[-1]
        else:
            after = tab.state(self.optional) or {}
            events = after.get("events") or []
            event = events[-1] if how == "event" else None
        tab.settle()
        after = tab.state(self.optional) or after
        value = tab.page_cookie(CONSENT_COOKIE)
        return {"name": name, "label": label, "event": event, "reloaded": how == "reload",
                "api": after.get("api", {}), "bannerShown": bool(after.get("bannerShown")),
                "centreOpen": bool(after.get("centreOpen")),
                "consentCookie": judge.decoded_cookie(value) if value is not None else None, "error": None}


def _not_a_page(tab):
    """Why the page loaded is no page to audit at all (an HTTP error, a JSON or CSS file), or None: then
    what it lacks is our loader. Said as a skipped page's reason is."""
    kind = tab.try_evaluate("document.contentType") or ""
    return _unusable(tab.try_evaluate(crawl.STATUS), kind, "html" in kind)


def _unusable(status, kind, html):
    """The reason a page that answered is no page at all, as a skipped page and a refused start URL both
    say it (None: it is an HTML page)."""
    if isinstance(status, int) and status >= 400:
        return "HTTP %d" % status
    if not html:
        return "not an HTML page (%s)" % (kind or "no Content-Type")
    return None


def wait_centre(tab, optional):
    return cdp.wait_until(lambda: (tab.state(optional) or {}).get("centreOpen"), 10)


def _page_record(url, state):
    record = {"url": url, "bannerShown": bool(state.get("bannerShown")), "api": state.get("api", {})}
    if state.get("failed"):
        record["failed"] = state["failed"]
    return record


def _json_or_text(text):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text
