"""Clicks as a visitor makes them: « Tout refuser » as soon as the banner shows (not 800 ms later, as the
main runs do), then, once the page is idle, the footer's "Gestion des cookies" link. Each session is a
fresh profile, its first visit cold; the page is not waited for (WebDriver's page load strategy "none"),
so the click can come while the banner's scripts are still downloading. Everything is timed in the page
by instrument.js (window.__bench): when each click reached the page, when the banner was gone (its root no
longer visible), when the choice was kept in the browser (a cookie, or ours: the localStorage
record of a decision clicked before Python ran, which Python writes on this page or the site's next),
when the consent cookie was written, when the preferences centre was visible, and the
Event Timing entries of each interaction (Interaction to Next Paint: the longest entry of the
interaction, from the pointer down to the next paint)."""

import os
import tempfile
import time

from .banners import BANNERS
from .runner import CHROMIUM_FLAGS, CHROMIUM, CHROMEDRIVER, click, close, failure, instrument_source, wait_for

# Chrome DevTools' "Regular 3G" preset: 750 kb/s down, 250 kb/s up, 100 ms round trip.
REGULAR_3G = {"offline": False, "latency": 100, "downloadThroughput": 750_000 / 8, "uploadThroughput": 250_000 / 8}
CONDITIONS = {
    "loopback": {"label": "Loopback (unthrottled)", "network": None},
    "3g": {"label": "Regular 3G (750 kb/s down, 250 kb/s up, 100 ms RTT; DevTools throttling)",
           "network": REGULAR_3G},
}
DEFAULT_RUNS = {"loopback": 5, "3g": 3}
# A click that has not hidden the banner by then was lost (tarteaucitron attaches its buttons' handlers
# 500 ms after it shows the banner): counted as lost, never as a number.
LOST_AFTER_S = 8
IDLE_S = 3            # after the load event, before the footer link: "once the page is idle"
CENTRE_TIMEOUT_S = 20


def new_driver(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.page_load_strategy = "none"          # driver.get returns at once: click as soon as it shows
    for flag in CHROMIUM_FLAGS + ("--user-data-dir=" + profile, "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def interaction_ms(events, clicked_at):
    """Interaction to Next Paint of the click that reached the page at `clicked_at`: the longest Event
    Timing entry of its interaction (its pointerdown, pointerup and click share an interactionId; the
    pointerdown comes up to a few hundred ms before the click). 0 when the browser reported no entry: each
    took under 16 ms, the API's lowest threshold."""
    ids = {i for name, start, d, i in events if i and clicked_at - 300 <= start <= clicked_at + 50}
    durations = [d for name, start, d, i in events if i in ids]
    return max(durations) if durations else 0


def click_run(base, kind, condition):
    """One session: the early reject click, then the footer link once idle. A dict of numbers, or with
    "error"; "lost": True when the early click did nothing."""
    b = BANNERS[kind]
    profile = tempfile.mkdtemp(prefix="bench-clicks-")
    out = {"kind": kind, "condition": condition, "loadavg_1m": os.getloadavg()[0]}
    driver = None
    try:
        driver = new_driver(profile)
        driver.execute_cdp_cmd("Network.enable", {})
        if CONDITIONS[condition]["network"]:
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", CONDITIONS[condition]["network"])
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": instrument_source(kind)})
        driver.get("%s/p/%s/" % (base, kind))
        visible = wait_for(driver, "window.__bench && window.__bench.visible", 30000, interval=0.01)
        if visible is None:
            raise RuntimeError("banner not visible within 30 s")
        out["visible_ms"] = visible
        driver.execute_script("window.__bench.armed = true")
        click(driver, b["reject"])
        gone = wait_for(driver, "window.__bench.goneAt", LOST_AFTER_S * 1000, interval=0.02)
        state = driver.execute_script("return window.__bench")
        if gone is None:
            out["lost"] = True
            return out
        out["gone_ms"] = gone - state["clickAt"]
        cookie_at = wait_for(driver, "window.__bench.cookieAt", 30000, interval=0.02)
        if cookie_at is None:
            raise RuntimeError("no consent cookie after the reject click")
        state = driver.execute_script("return window.__bench")
        out["stored_ms"] = cookie_at - state["clickAt"]
        out["kept_ms"] = state["keptAt"] - state["clickAt"]
        out["click_at_ms"] = state["clickAt"]
        if wait_for(driver, "document.readyState === 'complete' || null", 60000) is None:
            raise RuntimeError("the page never finished loading")
        time.sleep(IDLE_S)
        driver.execute_script("window.__bench.centreArmed = true")
        click(driver, b["manage"])
        centre = wait_for(driver, "window.__bench.centreAt", CENTRE_TIMEOUT_S * 1000, interval=0.02)
        state = driver.execute_script("return window.__bench")
        if centre is None:
            raise RuntimeError("the preferences centre did not open from the footer link")
        out["centre_ms"] = centre - state["centreClickAt"]
        time.sleep(0.3)                                   # the Event Timing entries of the last click
        events = driver.execute_script("return window.__bench.events")
        out["reject_inp_ms"] = interaction_ms(events, state["clickAt"])
        out["centre_inp_ms"] = interaction_ms(events, state["centreClickAt"])
    except Exception as error:
        out["error"] = failure(error)
    finally:
        close(driver, profile)
    return out


KEYS = ("gone_ms", "kept_ms", "stored_ms", "reject_inp_ms", "centre_ms", "centre_inp_ms")
ROWS = [("gone_ms", "Click « Tout refuser » as soon as the banner shows → banner gone", "ms"),
        ("kept_ms", "Same click → choice kept in the browser (theirs: their cookie; ours: the cookie, or the "
                    "record Python writes it from)", "ms"),
        ("stored_ms", "Same click → consent cookie written", "ms"),
        ("reject_inp_ms", "Interaction to Next Paint of that click (0: under 16 ms)", "ms"),
        ("centre_ms", "Footer link, page idle → preferences centre visible", "ms"),
        ("centre_inp_ms", "Interaction to Next Paint of the footer click (0: under 16 ms)", "ms")]


def describe(run):
    """One click session in the progress log: each of KEYS, or why there is no number."""
    from .report import fmt
    if "error" in run:
        return "ERROR " + run["error"]
    if run.get("lost"):
        return "early click lost"
    return "; ".join("%s %s" % (key[:-3], fmt(run.get(key), "ms")) for key in KEYS)


def summarise(results):
    """medians[condition][kind][key] of the click sessions, with n (clicks that acted), lost (early
    clicks that did nothing) and failed."""
    from .stats import median
    out = {}
    for condition in CONDITIONS:
        for kind in BANNERS:
            mine = [r for r in results if r["condition"] == condition and r["kind"] == kind]
            if not mine:
                continue
            ok = [r for r in mine if "error" not in r and not r.get("lost")]
            med = {key: median([r.get(key) for r in ok]) for key in KEYS + ("visible_ms", "click_at_ms")}
            med.update(n=len(ok), lost=sum(1 for r in mine if r.get("lost")),
                       failed=sum(1 for r in mine if "error" in r))
            out.setdefault(condition, {})[kind] = med
    return out


def plan(args):
    """Click sessions per network condition from the command line (--click-runs, --quick)."""
    if args.click_runs is not None:
        return {c: args.click_runs for c in CONDITIONS}
    if args.quick:
        return {c: 1 for c in CONDITIONS}
    return dict(DEFAULT_RUNS)
