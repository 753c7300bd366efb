"""Every rule about languages, and the built-in interface strings.

- The page language is `language` from data-config when set; else <html lang> when the portal offers it
  (exactly, then by primary subtag: "en-GB" -> "en"); else the portal's first language.
- Manifest texts are already complete for every configured language (manifest.py checks that).
- Built-in strings exist for the languages in banner.lang.SHIPPED; another configured language falls back
  to English for the interface while manifest texts stay in that language.
- The language choice and the django_language cookie exist only when the portal offers several languages.
"""

from .lang import SHIPPED, RTL, table, more

LANGUAGE_COOKIE = "django_language"
LANGUAGE_COOKIE_MAX_AGE = 31536000   # 12 months, as the portal's cookie policy says

LANGUAGE_NAMES = {
    "fr": "Français", "en": "English", "de": "Deutsch", "es": "Español", "it": "Italiano", "nl": "Nederlands",
    "ar": "العربية",
}

FALLBACK = "en"


def pick_language(languages, requested=None, html_lang=""):
    """The language of this page view (see the module rules)."""
    if requested in languages:
        return requested
    lang = (html_lang or "").strip().lower().replace("_", "-")
    if lang in languages:
        return lang
    primary = lang.split("-")[0]
    if primary in languages:
        return primary
    for code in languages:
        if primary and code.split("-")[0] == primary:
            return code
    return languages[0]


def strings(language, available=SHIPPED, complete=False):
    """Built-in interface strings for a language (English when we ship none for it): the first layer's,
    or all of them with `complete`. `available` is what this page has loaded (the shell knows which
    language bundles arrived)."""
    code = interface_language(language, available)
    return dict(table(code), **more(code)) if complete else dict(table(code))


def interface_language(language, available=SHIPPED):
    """The language the built-in strings are actually in, for the `lang` attribute of those nodes."""
    if language in available:
        return language
    if language.split("-")[0] in available:
        return language.split("-")[0]
    return FALLBACK


def direction(language):
    """"rtl" for right-to-left scripts (Arabic...), else "ltr": set as `dir` on the banner's nodes."""
    return "rtl" if language.split("-")[0] in RTL else "ltr"


def localize(text, language):
    """A manifest text (dict language -> str, as manifest.py normalises it) in the given language."""
    if language in text:
        return text[language]
    for value in text.values():
        return value
    return ""


def language_cookie(code, secure=False):
    """The Set-Cookie string for the portal's language cookie, written only on a multilingual portal."""
    value = code + "; Path=/; Max-Age=%d; SameSite=Lax" % LANGUAGE_COOKIE_MAX_AGE
    return LANGUAGE_COOKIE + "=" + value + ("; Secure" if secure else "")
