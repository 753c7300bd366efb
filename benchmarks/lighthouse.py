"""Lighthouse 12 (npm `lighthouse`, pinned in package.json) with its default mobile preset: simulated
throttling (4x CPU slow-down, slow 4G), a Moto G Power-sized screen. Each run starts its own headless
Chromium with a fresh profile; we keep the performance score and Total Blocking Time (plus a few timings)."""

import json
import os
import subprocess
import tempfile
import time

from .runner import CHROMIUM, CHROMIUM_FLAGS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIGHTHOUSE = os.path.join(ROOT, "node_modules", ".bin", "lighthouse")
AUDITS = {"tbt_ms": "total-blocking-time", "fcp_ms": "first-contentful-paint",
          "lcp_ms": "largest-contentful-paint", "tti_ms": "interactive", "bootup_ms": "bootup-time",
          "mainthread_ms": "mainthread-work-breakdown"}


def available():
    return os.path.exists(LIGHTHOUSE)


def version():
    try:
        return subprocess.run([LIGHTHOUSE, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def command(url, output_path):
    return [LIGHTHOUSE, url, "--only-categories=performance", "--output=json", "--output-path=" + output_path,
            "--quiet", "--chrome-flags=" + " ".join(CHROMIUM_FLAGS)]


def summary(report):
    """The numbers we keep from one Lighthouse JSON report."""
    out = {"score": None, "error": None}
    perf = report.get("categories", {}).get("performance", {})
    if perf.get("score") is not None:
        out["score"] = round(perf["score"] * 100)
    for key, audit in AUDITS.items():
        out[key] = report.get("audits", {}).get(audit, {}).get("numericValue")
    if report.get("runtimeError", {}).get("code"):
        out["error"] = "%s: %s" % (report["runtimeError"]["code"], report["runtimeError"].get("message", ""))
    out["warnings"] = report.get("runWarnings", [])
    out["benchmark_index"] = report.get("environment", {}).get("benchmarkIndex")
    return out


def run(url, kind, keep_dir=None, timeout_s=180):
    """One Lighthouse run of `url`. The full report is kept in `keep_dir` when given."""
    handle, path = tempfile.mkstemp(prefix="bench-lh-", suffix=".json")
    os.close(handle)
    started = time.monotonic()
    out = {"kind": kind}
    try:
        proc = subprocess.run(command(url, path), capture_output=True, text=True, timeout=timeout_s,
                              env=dict(os.environ, CHROME_PATH=CHROMIUM))
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["exit status %d" % proc.returncode])[-1]
            out["error"] = "lighthouse: %s" % tail
            return out
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
        out.update(summary(report))
        if out["error"] is None:
            del out["error"]
        if keep_dir:
            os.makedirs(keep_dir, exist_ok=True)
            os.replace(path, os.path.join(keep_dir, "lighthouse-%s-%d.json" % (kind, int(time.time() * 1000))))
    except (OSError, ValueError, subprocess.SubprocessError) as error:
        out["error"] = "%s: %s" % (type(error).__name__, error)
    finally:
        out["elapsed_s"] = round(time.monotonic() - started, 1)
        if os.path.exists(path):
            os.unlink(path)
    return out
