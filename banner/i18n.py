"""Every rule about languages, and the built-in interface strings.

- The page language is `language` from data-config when set; else <html lang> when the portal offers it
  (exactly, then by primary subtag: "en-GB" -> "en"); else the portal's first language.
- Manifest texts are already complete for every configured language (manifest.py checks that).
- Built-in strings exist for the languages in STRINGS; another configured language falls back to English
  for the interface while manifest texts stay in that language.
- The language choice and the django_language cookie exist only when the portal offers several languages.
"""

LANGUAGE_COOKIE = "django_language"
LANGUAGE_COOKIE_MAX_AGE = 31536000   # 12 months, as the portal's cookie policy says

LANGUAGE_NAMES = {
    "fr": "Français", "en": "English", "de": "Deutsch", "es": "Español", "it": "Italiano", "nl": "Nederlands",
}

STRINGS = {
    "fr": {
        "banner_label": "Consentement aux cookies",
        "banner_title": "Ce portail utilise des cookies",
        "banner_text": "Certains cookies sont nécessaires au fonctionnement du portail. Avec votre accord, "
                       "nous en utilisons aussi pour : {purposes}. Vous pouvez changer d'avis à tout moment "
                       "avec le lien « Gestion des cookies » en bas de page.",
        "policy_link": "Politique de cookies",
        "accept_all": "Tout accepter",
        "reject_all": "Tout refuser",
        "customise": "Personnaliser",
        "continue_without": "Continuer sans accepter",
        "prefs_title": "Centre de gestion des cookies",
        "prefs_intro": "Choisissez, catégorie par catégorie, les cookies que vous acceptez. Les catégories "
                       "optionnelles restent désactivées tant que vous ne les activez pas. Vous pouvez "
                       "modifier ces choix à tout moment.",
        "save": "Enregistrer mes choix",
        "close": "Fermer",
        "state_on": "Activé",
        "state_off": "Désactivé",
        "always_on": "Toujours activé : ces cookies sont nécessaires au fonctionnement du portail et ne "
                     "peuvent pas être désactivés.",
        "table_caption": "Cookies de la catégorie « {title} »",
        "col_provider": "Nom du prestataire",
        "col_name": "Nom du cookie",
        "col_lifetime": "Durée de vie",
        "col_purpose": "Fonction",
        "no_cookies": "Aucun cookie déclaré dans cette catégorie.",
        "language_label": "Langue",
        "saved": "Vos choix ont été enregistrés.",
        "unavailable_title": "Gestion des cookies indisponible",
        "unavailable_text": "Le centre de gestion des cookies n'a pas pu démarrer ({reason}). Aucun cookie "
                            "optionnel n'est utilisé sur cette page.",
    },
    "en": {
        "banner_label": "Cookie consent",
        "banner_title": "This portal uses cookies",
        "banner_text": "Some cookies are needed for the portal to work. With your consent, we also use "
                       "cookies for: {purposes}. You can change your mind at any time with the "
                       "“Cookie settings” link at the bottom of the page.",
        "policy_link": "Cookie policy",
        "accept_all": "Accept all",
        "reject_all": "Reject all",
        "customise": "Customise",
        "continue_without": "Continue without accepting",
        "prefs_title": "Cookie preferences",
        "prefs_intro": "Choose, category by category, which cookies you accept. Optional categories stay "
                       "off until you switch them on. You can change these choices at any time.",
        "save": "Save my choices",
        "close": "Close",
        "state_on": "On",
        "state_off": "Off",
        "always_on": "Always on: these cookies are needed for the portal to work and cannot be switched off.",
        "table_caption": "Cookies in the “{title}” category",
        "col_provider": "Provider",
        "col_name": "Cookie name",
        "col_lifetime": "Lifetime",
        "col_purpose": "Purpose",
        "no_cookies": "No cookie is declared in this category.",
        "language_label": "Language",
        "saved": "Your choices have been saved.",
        "unavailable_title": "Cookie settings unavailable",
        "unavailable_text": "The cookie preferences centre could not start ({reason}). No optional cookie "
                            "is used on this page.",
    },
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
    for code in languages:
        if code == primary or code.split("-")[0] == primary and primary:
            return code
    return languages[0]


def strings(language):
    """Built-in interface strings for a language (English when we ship none for it)."""
    base = STRINGS.get(language) or STRINGS.get(language.split("-")[0]) or STRINGS[FALLBACK]
    return base


def interface_language(language):
    """The language the built-in strings are actually in, for the `lang` attribute of those nodes."""
    if language in STRINGS:
        return language
    if language.split("-")[0] in STRINGS:
        return language.split("-")[0]
    return FALLBACK


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
