"""Issue 6: built-in German, Spanish, Italian, Dutch and Arabic strings (besides French and English, which
are in the start-up bundle). Each other language comes in its own bundle, consent-lang-XX.js, fetched only
when data-config lists it; Arabic is laid out right to left. (That every built-in language defines every
string is tests/core/test_i18n.py.)"""

import pytest

from features_kit import resources, single_text_manifest, strings

OTHERS = ("de", "es", "it", "nl", "ar")


@pytest.mark.parametrize("code", OTHERS)
def test_a_configured_language_shows_its_built_in_strings_from_its_own_bundle_only(browser, site, code):
    site.json("/t/plain.json", single_text_manifest())
    url = site.page("/t/lang-%s.html" % code, {"manifest": "/t/plain.json", "languages": [code], "language": code},
                    lang=code, probes=False)
    text = strings(code)
    browser.open(url)
    banner = browser.wait_banner()
    assert browser.find("#cb-banner-title").text == text["banner_title"]
    assert set(browser.buttons(banner)) >= {text["accept_all"], text["reject_all"], text["customise"]}
    direction = "rtl" if code == "ar" else "ltr"
    assert (banner.get_attribute("lang"), banner.get_attribute("dir")) == (code, direction)
    loaded = [p.rsplit("/", 1)[-1] for p in resources(browser) if "/consent-lang-" in p]
    assert loaded == ["consent-lang-%s.js" % code]
    browser.click_banner(text["customise"])
    dialog = browser.wait_dialog()
    assert (dialog.get_attribute("lang"), dialog.get_attribute("dir")) == (code, direction)
    assert browser.find("#cb-prefs-title").text == text["prefs_title"]
    assert set(browser.buttons(dialog)) >= {text["accept_all"], text["reject_all"], text["save"], text["close"]}
    if code == "ar":
        # Right to left for real: the centre's first action button sits to the right of the last one.
        assert browser.js("""var b = document.querySelectorAll("#cb-prefs .cb-prefs__foot button");
            return b[0].getBoundingClientRect().left > b[b.length - 1].getBoundingClientRect().left;""")
