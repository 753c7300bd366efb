"""What the install tests share besides fixtures (conftest.py): the clean environment commands run in, and
the time of each README route, printed at the end of the run."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
THIRD_PARTY_HOSTS = ("stats.example.org", "videos.example.org")
TIMES = {}


def clean_env(**extra):
    """The environment of a command run as a user would: nothing from the checkout or this test run's venv
    leaks in through PYTHONPATH or VIRTUAL_ENV, and its PATH does not start in this venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    here = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != here)
    env.update(extra)
    return env


def run(*command, cwd, env=None, timeout=600):
    return subprocess.run(command, cwd=cwd, env=env or clean_env(), capture_output=True, text=True, timeout=timeout)


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
