"""banner/__init__.py: the public surface, resolved lazily."""

import subprocess
import sys

import pytest

import banner


def test_the_public_names_are_exactly_these():
    assert banner.__all__ == [
        "BannerError", "CONSENT_COOKIE", "Category", "Config", "ConfigError", "Consent",
        "CookieInfo", "MAX_AGE_DAYS", "Manifest", "ManifestError", "Session", "decide", "decode_consent",
        "encode_consent", "is_current", "parse_config", "parse_manifest"]


@pytest.mark.parametrize("name", banner.__all__)
def test_every_public_name_resolves_to_the_object_of_its_module(name):
    obj = getattr(banner, name)
    module = __import__("banner." + banner._EXPORTS[name], None, None, [name])
    assert obj is getattr(module, name)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        banner.no_such_thing  # noqa: B018 (the attribute access is what raises)


def test_importing_one_name_imports_only_its_module():
    code = ("import sys; from banner import decode_consent; "
            "print(sorted(m for m in sys.modules if m.startswith('banner')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = eval(out)
    assert "banner.cookies" in loaded
    assert "banner.manifest" not in loaded and "banner.session" not in loaded
