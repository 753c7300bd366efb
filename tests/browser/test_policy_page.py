"""The cookie policy page generated from the manifest into [data-consent-policy] (demo page
/pages/cookies/): what a cookie is, each category with the same cookie table as the preferences centre,
a button opening the centre, and the browsers' help pages, in the page's language."""

from browser_kit import demo_manifest
from browser_kit import strings

BROWSERS = ("Edge", "Safari", "Chrome", "Firefox")

READ_POLICY = """
var root = arguments[0];
function rows(scope) {
  var out = {};
  scope.querySelectorAll("[data-cb-cat]").forEach(function (cat) {
    out[cat.getAttribute("data-cb-cat")] = Array.from(cat.querySelectorAll("tbody tr"), function (tr) {
      return Array.from(tr.cells, function (td) { return td.textContent.trim(); });
    });
  });
  return out;
}
return {
  lang: root.getAttribute("lang"),
  headings: Array.from(root.querySelectorAll("h1, h2, h3, h4, h5, h6"), function (e) {
    return [e.tagName.toLowerCase(), e.textContent.trim()]; }),
  text: root.textContent,
  rows: rows(root),
  links: Array.from(root.querySelectorAll("a[href]"), function (a) { return [a.textContent.trim(), a.getAttribute("href")]; }),
  buttons: Array.from(root.querySelectorAll("button"), function (b) { return b.textContent.trim(); })
};"""


def expected_rows(language, multilingual=True):
    manifest = demo_manifest()

    def text(value):
        return value[language] if isinstance(value, dict) else value
    rows = {c["id"]: [] for c in manifest["categories"]}
    for cookie in manifest["cookies"]:
        if cookie.get("multilingualOnly") and not multilingual:
            continue
        rows[cookie["category"]].append([text(cookie["provider"]), cookie["name"], text(cookie["lifetime"]),
                                         text(cookie["purpose"])])
    return rows


def read_policy(browser):
    return browser.js(READ_POLICY, browser.find("[data-consent-policy]"))


def assert_policy(policy, language, multilingual=True, top="h2"):
    text = strings(language)
    sub = "h%d" % (int(top[1]) + 1)
    categories = demo_manifest()["categories"]
    assert policy["lang"] == language
    assert policy["headings"][:2] == [[top, text["policy_what_title"]], [top, text["policy_list_title"]]]
    assert [h for h in policy["headings"] if h[0] == sub] == [[sub, c["title"][language]] for c in categories]
    assert text["policy_what_text"] in policy["text"]
    assert policy["rows"] == expected_rows(language, multilingual)
    assert policy["buttons"] == [text["policy_open"]]
    providers = [[text["policy_of"].replace("{provider}", p["name"]), p["policyUrl"]]
                 for c in categories for p in c.get("providers", []) if p.get("policyUrl")]
    assert policy["links"] == providers + [[name, text["help_" + name]] for name in BROWSERS]
    for name in BROWSERS:
        assert text["help_" + name].startswith("https://")


def test_the_policy_page_is_generated_from_the_manifest_and_opens_the_centre_with_the_same_tables(browser, site):
    browser.open(site.url("/pages/cookies/"))
    policy = read_policy(browser)
    assert_policy(policy, "fr")
    # The button opens the preferences centre, whose tables show exactly the policy's rows.
    browser.scroll_to_end()
    browser.click_banner("Tout refuser")          # the first visit's banner first, as a visitor would
    browser.wait_no_banner()
    browser.button(browser.find("[data-consent-policy]"), strings("fr")["policy_open"]).click()
    dialog = browser.wait_dialog()
    centre = browser.js(READ_POLICY, dialog)
    assert centre["rows"] == policy["rows"]


def test_the_policy_page_follows_the_page_language(browser, site):
    browser.set_cookie("django_language", "en")
    browser.open(site.url("/pages/cookies/"))
    assert browser.js("return document.documentElement.lang") == "en"
    assert_policy(read_policy(browser), "en")


def test_data_consent_policy_3_starts_the_headings_at_h3(browser, site):
    url = site.page("/t/policy-h3.html", {"manifest": "/t/cookies.json", "languages": ["fr", "en"]}, probes=False,
                    body="<h2>Nos cookies</h2><div data-consent-policy=\"3\"></div>")
    browser.open(url)
    policy = read_policy(browser)
    assert_policy(policy, "fr", top="h3")
    assert not [h for h in policy["headings"] if h[0] == "h2"]


def test_with_one_language_the_language_cookie_is_not_listed(browser, mono):
    browser.open(mono.url("/pages/cookies/"))
    policy = read_policy(browser)
    assert_policy(policy, "fr", multilingual=False)
    assert "django_language" not in policy["text"]
