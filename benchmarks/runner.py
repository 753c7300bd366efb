"""One benchmark run: a fresh headless Chromium profile, a cold first visit, then (for a banner) reject,
a warm visit without consent, accept, and a return visit. Everything is measured inside the page by
instrument.js; WebDriver reads the values afterwards."""

import json
import os
import shutil
import tempfile
import time

from .banners import BANNERS

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--no-first-run",
                  "--disable-sync")
VISIBLE_TIMEOUT_MS = 15000

THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 9_000_000 / 8,
            "uploadThroughput": 9_000_000 / 8}
# Each condition: its network emulation (None = loopback as is), its CPU slow-down rate
# (CDP Emulation.setCPUThrottlingRate; 1 = none) and the long-task window after navigation start.
CONDITIONS = {
    "loopback": {"label": "Loopback (unthrottled)", "network": None, "cpu_rate": 1, "window_ms": 3000},
    "throttled": {"label": "Throttled: 9 Mbit/s down/up, 40 ms RTT", "network": THROTTLE, "cpu_rate": 1,
                  "window_ms": 3000},
    # A mid-range phone, as in Lighthouse's mobile run. Everything takes up to 4x longer, so the window does too.
    "cpu4x": {"label": "CPU slowed 4× (Emulation.setCPUThrottlingRate 4), loopback network", "network": None,
              "cpu_rate": 4, "window_ms": 5000},
}


def failure(error):
    """What a session records of an exception: its type and first line, never a number."""
    text = str(error).strip()
    return "%s: %s" % (type(error).__name__, text.splitlines()[0] if text else "")


def close(driver, profile):
    """Quit a session's browser (even a half-started one) and remove its profile."""
    if driver is not None:
        try:
            driver.quit()
        except Exception:
            pass
    shutil.rmtree(profile, ignore_errors=True)


def instrument_source(kind):
    """instrument.js called with this banner's settings."""
    with open(os.path.join(HERE, "instrument.js"), encoding="utf-8") as handle:
        source = handle.read().rstrip()
    b = BANNERS[kind]
    return "%s(%s);" % (source, json.dumps({"root": b.get("root"), "consent": b.get("consent", "^$"),
                                            "centre": b.get("centre"), "kept": b.get("kept")}))


def new_driver(profile, width=1280, height=900, scale=None):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    if scale:
        options.add_argument("--force-device-scale-factor=%s" % scale)
    for flag in CHROMIUM_FLAGS + ("--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height)):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def page_now(driver):
    return driver.execute_script("return performance.now()")


def bench_state(driver):
    return driver.execute_script("return window.__bench || null")


def wait_for(driver, script, timeout_ms, interval=0.05):
    """Poll `script` (a JS expression) until it is not null/undefined; returns its value or None."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = driver.execute_script("return (%s);" % script)
        if value is not None or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def resources(driver):
    return driver.execute_script("""
        var nav = performance.getEntriesByType("navigation")[0];
        var out = [[location.pathname, nav.transferSize, nav.encodedBodySize]];
        performance.getEntriesByType("resource").forEach(function (r) {
            out.push([r.name.replace(location.origin, ""), r.transferSize, r.encodedBodySize]);
        });
        return out;""")


def click(driver, selector):
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import WebDriverException
    element = None
    for candidate in selector.split(" || "):      # fallbacks, first match wins
        found = driver.find_elements(By.CSS_SELECTOR, candidate)
        if found:
            element = found[0]
            break
    if element is None:
        raise RuntimeError("no element matches %s" % selector)
    try:
        element.click()
        return "native"
    except WebDriverException:
        driver.execute_script("arguments[0].click()", element)
        return "js"


def first_visit(driver, url, kind, window_ms):
    """Cold visit: wait for the banner and the end of the long-task window; collect the load metrics."""
    driver.get(url)
    remaining = window_ms - page_now(driver)
    if remaining > 0:
        time.sleep(remaining / 1000 + 0.05)
    root = BANNERS[kind]["root"]
    if root:
        wait_for(driver, "window.__bench.visible", VISIBLE_TIMEOUT_MS)
    state = bench_state(driver)
    timing = driver.execute_script("""var n = performance.getEntriesByType("navigation")[0];
        return [n.domContentLoadedEventEnd, n.loadEventEnd];""")
    res = resources(driver)
    long_tasks = [(s, d) for s, d in state["longtasks"] if s < window_ms]
    return {
        "visible_ms": state["visible"] if root else None,
        "fcp_ms": state["fcp"],
        "longtask_ms": sum(d for _, d in long_tasks),
        "longtask_count": len(long_tasks),
        "longtask_max_ms": max([d for _, d in long_tasks] or [0]),
        "bytes": sum(r[1] for r in res),
        # what the banner fetches once the page is idle, before it is asked for (ours: the centre's code)
        "idle_bytes": sum(r[1] for r in res if BANNERS[kind].get("idle") and r[0].split("?")[0].endswith(
            BANNERS[kind]["idle"])),
        "body_bytes": sum(r[2] for r in res),
        "requests": len(res),
        "resources": res,
        "dcl_ms": timing[0], "load_ms": timing[1],
        "runtime_loaded_ms": state.get("runStart"),
        "runtime_ready_ms": state.get("runtimeReady"),
        "first_run_ms": (state["runtimeReady"] - state["runStart"]) if state.get("runtimeReady") else None,
    }


def settle(driver, visible_ms, delay_ms=800):
    """Wait until the banner has been visible for delay_ms: tarteaucitron attaches its button handlers
    500 ms after it shows the banner (a setTimeout in tarteaucitron.js), so an earlier click is lost."""
    remaining = visible_ms + delay_ms - page_now(driver)
    if remaining > 0:
        time.sleep(remaining / 1000)


def banner_flow(driver, url, kind, out):
    """After the first visit: reject, then (fresh cookies) accept, then the return visit."""
    b = BANNERS[kind]
    if out["visible_ms"] is None:
        raise RuntimeError("banner not visible within %d ms" % VISIBLE_TIMEOUT_MS)
    # click "Tout refuser" -> consent cookie written
    settle(driver, out["visible_ms"])
    driver.execute_script("window.__bench.armed = true")
    out["reject_click"] = click(driver, b["reject"])
    cookie_at = wait_for(driver, "window.__bench.cookieAt", 5000, interval=0.02)
    state = bench_state(driver)
    if cookie_at is None or state["clickAt"] is None:
        raise RuntimeError("no consent cookie after the reject click (click seen: %s)" % state["clickAt"])
    out["reject_ms"] = cookie_at - state["clickAt"]
    out["reject_detected_by"] = state["cookieHow"]
    if state["analyticsRan"] is not None:
        raise RuntimeError("the analytics script ran before consent")
    # forget the answer, show the banner again (warm cache), accept
    driver.delete_all_cookies()
    driver.execute_script("localStorage.clear(); sessionStorage.clear();")
    driver.get(url)
    out["visible_warm_ms"] = wait_for(driver, "window.__bench.visible", VISIBLE_TIMEOUT_MS)
    if out["visible_warm_ms"] is None:
        raise RuntimeError("banner not visible on the second visit (no consent, warm cache)")
    settle(driver, out["visible_warm_ms"])
    click(driver, b["accept"])
    if wait_for(driver, "window.__bench.analyticsRan", 5000, interval=0.02) is None:
        raise RuntimeError("the analytics script did not run after 'accept all'")
    # return visit: time until the consented script has run
    driver.get(url)
    out["return_ms"] = wait_for(driver, "window.__bench.analyticsRan", 10000, interval=0.02)
    if out["return_ms"] is None:
        raise RuntimeError("the consented script did not run on the return visit")
    time.sleep(0.1)
    if bench_state(driver)["visible"] is not None:
        raise RuntimeError("the banner showed again on the return visit")


def one_run(base, kind, condition, window_ms=None):
    """One browser session for `kind` under `condition`; a dict of numbers, or with "error" on failure."""
    settings = CONDITIONS[condition]
    window_ms = window_ms or settings["window_ms"]
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    driver = None
    out = {"kind": kind, "condition": condition, "window_ms": window_ms, "loadavg_1m": os.getloadavg()[0]}
    try:
        driver = new_driver(profile)
        driver.execute_cdp_cmd("Network.enable", {})
        if settings["network"]:
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", settings["network"])
        if settings["cpu_rate"] != 1:
            driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": settings["cpu_rate"]})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": instrument_source(kind)})
        url = "%s/p/%s/" % (base, kind)
        out.update(first_visit(driver, url, kind, window_ms))
        if BANNERS[kind]["root"]:
            banner_flow(driver, url, kind, out)
    except Exception as error:    # recorded and reported; never turned into a number
        out["error"] = failure(error)
    finally:
        close(driver, profile)
    return out
