"""Built-in interface strings, two modules per language so the page compiles and downloads only what
it shows: `xx.py` holds the first layer's strings, `xx_more.py` those of the preferences centre, the
policy page, the embed placeholders and the reopen button. French and English first-layer strings ship
in the start-up bundle and their `_more` parts in the extra bundle; every other language ships whole in
its own bundle (static/dist/consent-lang-XX.js), which the loader adds when data-config lists it.
Every language defines every key of French, with the same {placeholders} (tests/core/test_i18n.py)."""

SHIPPED = ("fr", "en", "de", "es", "it", "nl", "ar")
IN_MAIN_BUNDLE = ("fr", "en")
RTL = ("ar", "he", "fa", "ur")
BROWSER_HELP = ("Edge", "Safari", "Chrome", "Firefox")


def table(code):
    """The first-layer STRINGS of a shipped language (imported on first use)."""
    return __import__("banner.lang." + code, None, None, ["STRINGS"]).STRINGS


def more(code):
    """The rest of a shipped language's STRINGS (imported once the extra bundle is in)."""
    return __import__("banner.lang." + code + "_more", None, None, ["STRINGS"]).STRINGS


def all_tables():
    """Every shipped language's complete strings (CPython tools and tests)."""
    return {code: dict(table(code), **more(code)) for code in SHIPPED}
