"""Built-in interface strings, one module per language, so the page compiles and downloads only the
languages the portal offers: French and English ship in the start-up bundle, the others in their own
bundle (static/dist/consent-lang-XX.js) that the loader adds when data-config lists that language.
Every language defines every key of fr.py with the same {placeholders} (tests/core/test_i18n.py)."""

SHIPPED = ("fr", "en", "de", "es", "it", "nl", "ar")
IN_MAIN_BUNDLE = ("fr", "en")
RTL = ("ar", "he", "fa", "ur")
BROWSER_HELP = ("Edge", "Safari", "Chrome", "Firefox")


def table(code):
    """The STRINGS dict of a shipped language (imported on first use)."""
    return __import__("banner.lang." + code, None, None, ["STRINGS"]).STRINGS


def all_tables():
    """Every shipped language's strings (CPython tools and tests)."""
    return {code: table(code) for code in SHIPPED}
