"""Cookie lifetimes: the manifest's human text read as a duration, and a duration written as such text.

A manifest's `lifetime` is free text in the portal's languages ("13 mois", "2 semaines par défaut",
"Token réinitialisé ... 12 mois maximum.", "6 months", "1 Jahr", "Session"). `declared_seconds` reads
every "<number> <unit>" it holds (digits, or a number word: "un an", "a year", "ein Jahr") in French,
English, German, Spanish, Italian and Dutch, and keeps the longest: the most the text allows. Text naming
a session and no duration reads as a session cookie. Anything else cannot be read, and the audit says so
rather than guessing.

`drafted` writes a measured lifetime back as text, rounded up so that the draft never declares less than
what was measured ("13 mois" for a cookie of 395 days).
"""

import math
import re

from ..manifest import EXEMPT_MAX_AGE_DAYS

MINUTE = 60
HOUR = 3600
DAY = 86400
WEEK = 7 * DAY
YEAR = 365.25 * DAY
MONTH = YEAR / 12                 # 30.44 days: "13 mois" is 395.7 days, "6 mois" 182.6
SESSION = "session"               # what declared_seconds returns for a session cookie

# CNIL (deliberation 2020-091, and its guidance on audience measurement): trackers last 13 months at most,
# 395 days as the manifest's exemption counts them (banner.manifest.EXEMPT_MAX_AGE_DAYS).
CNIL_MAX_SECONDS = EXEMPT_MAX_AGE_DAYS * DAY
# Measured lifetimes come from an expiry read a moment after the cookie was set, and browsers round
# Max-Age: a real lifetime counts as over a limit only beyond this margin.
SLACK_SECONDS = DAY

_UNITS = (
    (YEAR, "years? ans? années? annees? jahre?n? jahr años? anos? año ano anni anno jaren jaar"),
    (MONTH, "months? mois monate?n? monat meses mes mesi mese maanden maand"),
    (WEEK, "weeks? semaines? wochen? woche semanas? settimane settimana weken week"),
    (DAY, "days? jours? tage?n? tag días? dias? giorni giorno dagen dag"),
    (HOUR, "hours? heures? stunden? horas? ore ora uren uur"),
    (MINUTE, "minutes? minuten? minutos? minuti minuto minuut min"),
    (1, "seconds? secondes? sekunden? segundos? secondi secondo seconden sec"),
)
_WORDS = {"un": 1, "une": 1, "one": 1, "a": 1, "an": 1, "ein": 1, "eine": 1, "einen": 1, "einem": 1,
          "uno": 1, "una": 1, "een": 1, "één": 1, "deux": 2, "two": 2, "zwei": 2, "dos": 2, "due": 2,
          "twee": 2, "trois": 3, "three": 3, "drei": 3, "tres": 3, "tre": 3, "drie": 3, "six": 6, "douze": 12,
          "twelve": 12, "treize": 13, "thirteen": 13}
_UNIT_OF = {}
for _seconds, _names in _UNITS:
    for _name in _names.split():
        _UNIT_OF[_name] = _seconds
_UNIT_RE = "|".join(sorted(_UNIT_OF, key=len, reverse=True))
_NUMBER_RE = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(_WORDS, key=len, reverse=True))
_DURATION = re.compile(r"(?<![\w.,])(%s)\s*(%s)(?!\w)" % (_NUMBER_RE, _UNIT_RE), re.IGNORECASE)
_SESSION = re.compile(r"\bsession\b|\bsitzung\b|\bsesi[oó]n\b|\bsessione\b|\bsessie\b|"
                      r"fermeture du navigateur|browser (?:is )?close|browser closes|"
                      r"schlie(?:ß|ss)en des browsers|cierre del navegador|chiusura del browser|"
                      r"sluiten van de browser", re.IGNORECASE)


def _unit(name):
    name = name.lower()
    if name in _UNIT_OF:
        return _UNIT_OF[name]
    for pattern, seconds in ((key, value) for key, value in _UNIT_OF.items() if "?" in key):
        if re.fullmatch(pattern, name):
            return seconds
    return None


def _number(text):
    text = text.lower()
    if text in _WORDS:
        return _WORDS[text]
    return float(text.replace(",", "."))


def parse_text(text):
    """Seconds (the longest duration the text names), SESSION, or None when it names neither."""
    found = []
    for match in _DURATION.finditer(text or ""):
        seconds = _unit(match.group(2))
        if seconds is not None:
            found.append(_number(match.group(1)) * seconds)
    if found:
        return max(found)
    if _SESSION.search(text or ""):
        return SESSION
    return None


READING_ORDER = ("fr", "en", "de", "es", "it", "nl")


def declared_seconds(lifetime, max_age_days=None):
    """(seconds or SESSION or None, the text read): a manifest entry's `maxAgeDays` when it gives one (what
    it says in numbers), else its lifetime (a dict language -> text, or a string) read in the first
    language that can be read, French first as the portals' legal language."""
    if max_age_days is not None:
        return max_age_days * DAY, "maxAgeDays %d" % max_age_days
    if isinstance(lifetime, str):
        lifetime = {"": lifetime}
    order = [c for c in READING_ORDER if c in lifetime] + sorted(c for c in lifetime if c not in READING_ORDER)
    for code in order:
        value = parse_text(lifetime[code])
        if value is not None:
            return value, lifetime[code]
    return None, (lifetime[order[0]] if order else "")


def exceeds(measured, declared):
    """Whether a measured lifetime (seconds, or None for a session cookie) goes beyond a declared one
    (seconds or SESSION)."""
    if measured is None:
        return False
    if declared == SESSION:
        return True
    return measured > declared + SLACK_SECONDS


def over_cnil(measured):
    return measured is not None and measured > CNIL_MAX_SECONDS + SLACK_SECONDS


# -- writing a lifetime ------------------------------------------------------------------------------------
_NAMES = {
    # unit: {language: (singular, plural)}
    "minute": {"fr": ("minute", "minutes"), "en": ("minute", "minutes"), "de": ("Minute", "Minuten"),
               "es": ("minuto", "minutos"), "it": ("minuto", "minuti"), "nl": ("minuut", "minuten")},
    "hour": {"fr": ("heure", "heures"), "en": ("hour", "hours"), "de": ("Stunde", "Stunden"),
             "es": ("hora", "horas"), "it": ("ora", "ore"), "nl": ("uur", "uur")},
    "day": {"fr": ("jour", "jours"), "en": ("day", "days"), "de": ("Tag", "Tage"), "es": ("día", "días"),
            "it": ("giorno", "giorni"), "nl": ("dag", "dagen")},
    "month": {"fr": ("mois", "mois"), "en": ("month", "months"), "de": ("Monat", "Monate"),
              "es": ("mes", "meses"), "it": ("mese", "mesi"), "nl": ("maand", "maanden")},
    "year": {"fr": ("an", "ans"), "en": ("year", "years"), "de": ("Jahr", "Jahre"), "es": ("año", "años"),
             "it": ("anno", "anni"), "nl": ("jaar", "jaar")},
}
_SESSION_TEXT = {"fr": "Session", "en": "Session", "de": "Sitzung", "es": "Sesión", "it": "Sessione",
                 "nl": "Sessie"}


def rounded(measured):
    """(count, unit) for a measured lifetime in seconds, rounded up to the unit a policy would use; None
    for a session cookie."""
    if measured is None:
        return None
    measured = max(measured, 0)
    for unit, size, below in (("minute", MINUTE, HOUR), ("hour", HOUR, DAY - HOUR), ("day", DAY, 62 * DAY),
                              ("month", MONTH, 2 * YEAR - DAY)):
        if measured < below:
            # a measured expiry falls a moment short of the real one: "395 days" is 13 months, not 12.99
            return max(1, math.ceil((measured - (SLACK_SECONDS if unit in ("month",) else size * 0.01)) / size)), unit
    return max(1, math.ceil((measured - SLACK_SECONDS) / YEAR)), "year"


def describe(measured, language="en"):
    """A measured lifetime as text in one language ("13 months", "Session")."""
    lang = language.split("-")[0] if language.split("-")[0] in _SESSION_TEXT else "en"
    pair = rounded(measured)
    if pair is None:
        return _SESSION_TEXT[lang]
    count, unit = pair
    singular, plural = _NAMES[unit][lang]
    return "%d %s" % (count, singular if count == 1 else plural)


def per_language(languages, text_for):
    """A drafted manifest text: `text_for(code)` as a string with one language, else {language: text}."""
    languages = list(languages)
    if len(languages) == 1:
        return text_for(languages[0])
    return {code: text_for(code) for code in languages}


def drafted(measured, languages):
    """The lifetime of a drafted manifest entry: a string with one language, else {language: text}."""
    return per_language(list(languages) or ["fr"], lambda code: describe(measured, code))
