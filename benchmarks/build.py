"""Our files, built for the benchmark's page the way a portal builds them for its own data-config."""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_command():
    """The project's build tool: the one place the benchmark names it."""
    return [sys.executable, "-m", "banner.server.build"]


def build_for(config, out):
    """Build into `out` with the first layer prerendered for `config` (an inline-manifest data-config),
    leaving static/dist alone. Returns `out`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(config, handle, ensure_ascii=False)
    try:
        subprocess.run(build_command() + ["--config", handle.name, "--out", out], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
    finally:
        os.unlink(handle.name)
    return out
