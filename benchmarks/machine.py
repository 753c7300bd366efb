"""What the machine was doing: how busy other work kept the CPUs, and what it is (for the report)."""

import os
import platform
import subprocess
import time

from .runner import CHROMIUM

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUSY = 0.25          # above this share of CPU time used by other work, the report says the numbers are noisy


def cpu_busy(seconds=0.2):
    """Share of CPU time (all cores) spent non-idle during `seconds`, from /proc/stat; None if unavailable."""
    def sample():
        with open("/proc/stat") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return sum(values), values[3] + (values[4] if len(values) > 4 else 0)
    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def wait_idle(limit_s, threshold=BUSY):
    """Before a run: wait (at most limit_s) until other work leaves the CPUs mostly idle. Returns the last
    busy share seen."""
    deadline = time.monotonic() + limit_s
    busy = cpu_busy()
    while busy is not None and busy > threshold and time.monotonic() < deadline:
        time.sleep(0.5)
        busy = cpu_busy()
    return busy


def _run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def chromium_version():
    out = _run([CHROMIUM, "--version"])
    return next((line.strip() for line in out.splitlines() if "Chromium" in line), out) or "?"


def machine_info():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            mem = "%.1f GB RAM" % (int(handle.readline().split()[1]) / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        import selenium
        sel = selenium.__version__
    except ImportError:
        sel = "?"
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "platform": platform.platform(),
            "python": platform.python_version(), "selenium": sel, "chromium": chromium_version(),
            "node": _run(["node", "--version"]),
            "commit": _run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])}
