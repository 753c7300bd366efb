"""What the audit's crawl records from what Chromium reports, without a browser: DevTools events fed to a tab
the way Chromium sends them, and the cookies a state is found to have stored."""

from banner.audit.crawl import PROBE_MARK, Recorder, Tab

PORTAL = "http://www.portal.example/"


class Quiet:
    """A browser that answers every command with nothing in particular: no cookie stored, no script result."""

    def send(self, method, params=None, session=None, timeout=None):
        return {"browserContextId": "context", "targetId": "target", "sessionId": "page", "cookies": []}

    def post(self, method, params=None, session=None):
        pass


def response(tab, request_id, url, set_cookie, blocked=(), fragment=None):
    """A request and its response's Set-Cookie lines, as Network events; `blocked`: the lines Chromium refused."""
    request = {"url": url, **({"urlFragment": fragment} if fragment else {})}
    tab.on_event("page", "Network.requestWillBeSent", {"requestId": request_id, "request": request,
                                                       "documentURL": PORTAL, "type": "Fetch", "initiator": {}})
    tab.on_event("page", "Network.responseReceivedExtraInfo", {
        "requestId": request_id, "headers": {"Set-Cookie": "\n".join(set_cookie)},
        "blockedCookies": [{"blockedReasons": ["SameSiteNoneInsecure"], "cookieLine": line} for line in blocked]})


def recorded(*responses):
    """The cookies a state records after these responses, none of them stored when it looks."""
    tab = Tab(Quiet(), {})
    tab.page_url = PORTAL
    recorder = Recorder(tab)
    for args in responses:
        response(tab, *args)
    recorder.snapshot(PORTAL)
    return {c["name"]: c for c in recorder.result()["cookies"]}


def test_a_cookie_set_by_a_response_and_gone_before_the_audit_looked_is_still_recorded():
    found = recorded(("1", PORTAL, ["fx_early=1; Path=/; Max-Age=60"]))
    assert found["fx_early"]["transient"] is True and found["fx_early"]["setBy"] == PORTAL


def test_the_cookies_of_pages_the_audit_only_read_are_not_blamed_on_the_portal():
    # candidate pages are fetched without credentials: what they set is never stored, redirects included
    found = recorded(("2", PORTAL + "other/", ["probe_session=1; Path=/"], (), PROBE_MARK),
                     ("3", PORTAL + "moved/", ["probe_moved=1; Path=/"], (), PROBE_MARK))
    assert found == {}


def test_a_cookie_chromium_refused_is_not_recorded_as_stored():
    found = recorded(("4", PORTAL, ["fx_insecure=1; SameSite=None; Path=/", "fx_kept=1; Path=/"],
                      ["fx_insecure=1; SameSite=None; Path=/"]))
    assert sorted(found) == ["fx_kept"]


def test_a_cookie_set_by_another_host_s_response_is_on_that_host():
    found = recorded(("5", "https://tiles.example/t.png", ["tile=1; Max-Age=60"]),
                     ("6", "https://stats.portal.example/p", ["_pk_ses=1; Domain=stats.portal.example; Max-Age=60"]))
    assert found["tile"]["domain"] == "tiles.example"
    assert found["_pk_ses"]["domain"] == "stats.portal.example"
