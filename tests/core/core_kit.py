"""What the core tests share, written once: the clock and consent id every test decides with, the
repository's paths, and a Consent builder. Fixtures (parsed manifests, configs) are in conftest.py."""

import os

from banner.consent import FORMAT_VERSION, Consent

NOW = 1764403200000            # 2025-11-29T08:00:00Z, in ms
DAY_MS = 24 * 3600 * 1000
CID = "k2m9x0c4a7q1v8z3"       # a consent id as the page makes them

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(HERE, "fixtures")


def read(*path):
    """A text file of the repository."""
    with open(os.path.join(ROOT, *path), encoding="utf-8") as handle:
        return handle.read()


def consent(accepted=("analytics",), revision=3, decided_at=NOW, consent_id=CID, fingerprints=None, decided=None):
    """A Consent of the current format, built field by field (decide() would compute the fingerprints)."""
    return Consent(version=FORMAT_VERSION, revision=revision, decided_at=decided_at, consent_id=consent_id,
                   accepted=accepted, fingerprints=fingerprints, decided=decided)


def release_step():
    """tools/release.py, the contributors' release step (not in the package: tools/ is no package)."""
    import importlib.util
    import sys
    if "release_step" not in sys.modules:
        spec = importlib.util.spec_from_file_location("release_step", os.path.join(ROOT, "tools", "release.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["release_step"] = module
        spec.loader.exec_module(module)
    return sys.modules["release_step"]


def validator_problems(cases):
    """[(manifest, languages)] -> the npm validator's problems for each ([path, message] lists), in one node
    run of static/src/validate.js as the npm package ships it."""
    import json
    import shutil
    import subprocess
    import sys
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import package
    script = ("var v = (function () { var module = {exports: {}}; %s; return module.exports; })();\n"
              "var cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
              "console.log(JSON.stringify(cases.map(function (c) { return v.validate(c[0], {languages: c[1]})"
              ".problems.map(function (p) { return [p.path, p.message]; }); })));") % package.validator_source()
    result = subprocess.run([shutil.which("node"), "-e", script], input=json.dumps(cases), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
