"""The four banners under test, configured alike, and how the harness recognises each one.

Every banner gets two categories (necessary, analytics), the same French texts, a link to the cookie policy
and one blocked script. Each competitor is included with `defer`, the most favourable way to include it.
"""

import json

from banner.ui.dom import PENDING_KEY        # where ours keeps a decision clicked before Python ran

POLICY_URL = "/pages/cookies/"
ANALYTICS_URL = "/analytics.js"          # the demo's stand-in audience tag (demo/site/analytics.js)

TEXT_TITLE = "Ce portail utilise des cookies"
TEXT_DESC = ("Avec votre accord, nous utilisons des cookies de mesure d'audience pour améliorer le portail. "
             "Vous pouvez changer d'avis à tout moment depuis le lien « Gestion des cookies ».")
CAT_NECESSARY = ("Cookies strictement nécessaires",
                 "Ces cookies sont nécessaires à assurer l'accès et une utilisation optimale des services fournis.")
CAT_ANALYTICS = ("Mesure d'audience", "Ces cookies nous permettent de compter les visites et de savoir quelles "
                 "pages sont consultées, afin d'améliorer le portail.")

VANILLA_CONFIG = {
    "hideFromBots": False,           # it hides itself from navigator.webdriver browsers otherwise
    "revision": 1,
    "cookie": {"name": "cc_cookie", "expiresAfterDays": 182},
    "guiOptions": {"consentModal": {"layout": "box", "position": "bottom right"}},
    "categories": {"necessary": {"enabled": True, "readOnly": True},
                   "analytics": {"autoClear": {"cookies": [{"name": "__REGEX__"}]}}},
    "language": {"default": "fr", "translations": {"fr": {
        "consentModal": {"title": TEXT_TITLE, "description": TEXT_DESC, "acceptAllBtn": "Tout accepter",
                         "acceptNecessaryBtn": "Tout refuser", "showPreferencesBtn": "Personnaliser",
                         "footer": '<a href="%s">Politique de cookies</a>' % POLICY_URL},
        "preferencesModal": {"title": "Gestion des cookies", "acceptAllBtn": "Tout accepter",
                             "acceptNecessaryBtn": "Tout refuser", "savePreferencesBtn": "Enregistrer mes choix",
                             "closeIconLabel": "Fermer", "sections": [
                                 {"title": CAT_NECESSARY[0], "description": CAT_NECESSARY[1],
                                  "linkedCategory": "necessary"},
                                 {"title": CAT_ANALYTICS[0], "description": CAT_ANALYTICS[1],
                                  "linkedCategory": "analytics"}]}}}},
}

KLARO_CONFIG = {
    "version": 1, "elementID": "klaro", "storageMethod": "cookie", "cookieName": "klaro",
    "cookieExpiresAfterDays": 182, "default": False, "mustConsent": False, "acceptAll": True,
    "hideDeclineAll": False, "hideLearnMore": False, "noticeAsModal": False, "htmlTexts": False,
    "lang": "fr", "privacyPolicy": POLICY_URL,
    "translations": {"fr": {
        "privacyPolicyUrl": POLICY_URL,
        "consentNotice": {"title": TEXT_TITLE, "description": TEXT_DESC, "learnMore": "Personnaliser"},
        "ok": "Tout accepter", "acceptAll": "Tout accepter", "decline": "Tout refuser",
        "purposes": {"necessary": {"title": CAT_NECESSARY[0], "description": CAT_NECESSARY[1]},
                     "analytics": {"title": CAT_ANALYTICS[0], "description": CAT_ANALYTICS[1]}},
    }},
    "services": [
        {"name": "session", "title": "Opendatasoft", "purposes": ["necessary"], "required": True,
         "cookies": ["sessionid", "csrftoken"]},
        {"name": "bench-analytics", "title": "Mesure d'audience (démo)", "purposes": ["analytics"],
         "cookies": ["__REGEX__"]},
    ],
}

TARTEAUCITRON_PARAMS = {
    "privacyUrl": POLICY_URL, "hashtag": "#tarteaucitron", "cookieName": "tarteaucitron",
    "orientation": "bottom", "groupServices": False, "showAlertSmall": False, "cookieslist": False,
    "showIcon": True, "iconPosition": "BottomLeft", "adblocker": False, "DenyAllCta": True,
    "AcceptAllCta": True, "highPrivacy": True, "handleBrowserDNTRequest": False, "removeCredit": True,
    "moreInfoLink": True, "useExternalCss": False, "useExternalJs": False, "mandatory": True,
    "mandatoryCta": True, "googleConsentMode": False, "bingConsentMode": False, "pianoConsentMode": False,
}

# A custom tarteaucitron service: its js() revives the page's blocked script (tarteaucitron has no generic
# text/plain convention; a service definition plus a job is how a site adds its own tag).
TARTEAUCITRON_SERVICE = """{
  key: "benchanalytics", type: "analytic", name: "Mesure d'audience (démo)", uri: "%s", needConsent: true,
  cookies: ["demo_analytics", "demo_analytics_visits"],
  js: function () {
    document.querySelectorAll('script[type="text/plain"][data-tac-service="benchanalytics"]').forEach(function (old) {
      var s = document.createElement("script");
      s.src = old.getAttribute("data-src");
      old.replaceWith(s);
    });
  },
  fallback: function () {}
}""" % POLICY_URL

# How the harness recognises each banner. root: the element that must be visible; reject/accept: the
# first-layer buttons (" || " separates fallbacks); consent: a regex on document.cookie that is true once
# the refusal is recorded. blocked: the analytics tag in the banner's own convention (all type="text/plain").
# code: where the banner's own scripts are served from (benchmarks/tasks.py: the tasks that run its code).
# manage: the footer's "Gestion des cookies" link; centre: the preferences centre once open (benchmarks/clicks.py).
BANNERS = {
    "ours": {"label": "ours (Brython)", "short": "ours (Brython)", "root": "#cb-banner",
             "manage": "footer [data-consent-open]", "centre": "#cb-prefs[open]",
             "reject": ('#cb-banner .cb-actions [data-cb-action="reject_all"] || '
                        '#cb-banner [data-cb-action="reject_all"]'),
             "accept": ('#cb-banner .cb-actions [data-cb-action="accept_all"] || '
                        '#cb-banner [data-cb-action="accept_all"]'),
             "consent": r"(?:^|; )cookies_preferences=", "kept": PENDING_KEY,
             "blocked": 'data-consent="analytics"', "code": "/static/dist/", "idle": "/consent-extra.js"},
    "vanilla": {"label": "vanilla-cookieconsent 3.1.0", "short": "vanilla-cc", "root": "#cc-main .cm",
                "manage": 'footer [data-cc="show-preferencesModal"]', "centre": "#cc-main .pm",
                "reject": '#cc-main .cm .cm__btn[data-role="necessary"]',
                "accept": '#cc-main .cm .cm__btn[data-role="all"]',
                "consent": r"(?:^|; )cc_cookie=",
                "blocked": 'data-category="analytics"', "code": "/vendor/vanilla/"},
    "klaro": {"label": "Klaro 0.7.22", "short": "Klaro", "root": ".klaro .cookie-notice",
              "manage": "footer a[onclick]", "centre": ".klaro .cookie-modal .cm-modal",
              "reject": ".klaro .cookie-notice .cn-decline",
              "accept": ".klaro .cookie-notice .cm-btn-success",
              "consent": r"(?:^|; )klaro=",
              "blocked": 'data-type="text/javascript" data-name="bench-analytics"', "code": "/vendor/klaro/"},
    "tarteaucitron": {"label": "tarteaucitron 1.34.0", "short": "tarteaucitron", "root": "#tarteaucitronAlertBig",
                      "manage": "footer a[onclick]", "centre": "#tarteaucitron",
                      "reject": "#tarteaucitronAllDenied2", "accept": "#tarteaucitronPersonalize2",
                      "consent": r"(?:^|; )tarteaucitron=[^;]*benchanalytics=false",
                      "blocked": 'data-tac-service="benchanalytics"', "code": "/vendor/tarteaucitron/"},
    # Ours again, on a page the Django app renders (benchmarks/django_page.py).
    "django": {"label": "ours (Django app)", "short": "ours (Django)", "root": "#cb-banner",
               "manage": "footer [data-consent-open]", "centre": "#cb-prefs[open]",
               "reject": '#cb-banner [data-cb-action="reject_all"]', "accept": '#cb-banner [data-cb-action="accept_all"]',
               "consent": r"(?:^|; )cookies_preferences=", "blocked": 'data-consent="analytics"'},
    "none": {"label": "no banner", "short": "no banner", "root": None, "blocked": 'data-consent="analytics"'},
    "brython": {"label": "Brython runtime only", "short": "Brython only", "root": None,
                "blocked": 'data-consent="analytics"'},
}
COMPETITORS = ["vanilla", "klaro", "tarteaucitron"]
BANNER_KINDS = ["ours"] + COMPETITORS
ALL_KINDS = BANNER_KINDS + ["none", "brython", "django"]


def js_value(value):
    """A config as a JavaScript literal; "__REGEX__" stands for the analytics cookies' regex."""
    return json.dumps(value, ensure_ascii=False).replace('"__REGEX__"', "/^demo_analytics/")


def competitor_tags(kind):
    """(tags for <head>, tags before </body>, attribute of the footer's "Gestion des cookies" link)."""
    if kind == "vanilla":
        head = ('<link rel="stylesheet" href="/vendor/vanilla/cookieconsent.css">\n'
                '<script defer src="/vendor/vanilla/cookieconsent.umd.js"></script>')
        tail = ("<script>document.addEventListener('DOMContentLoaded', function () {\n"
                "  CookieConsent.run(%s);\n});</script>" % js_value(VANILLA_CONFIG))
        return head, tail, 'data-cc="show-preferencesModal"'
    if kind == "klaro":
        head = ("<script>window.klaroConfig = %s;</script>\n"
                '<script defer data-config="klaroConfig" src="/vendor/klaro/klaro.js"></script>'
                % js_value(KLARO_CONFIG))
        return head, "", 'onclick="klaro.show(); return false;"'
    if kind == "tarteaucitron":
        head = ("<script>var tarteaucitronForceLanguage = 'fr';</script>\n"
                '<script defer src="/vendor/tarteaucitron/tarteaucitron.min.js"></script>')
        tail = ("<script>document.addEventListener('DOMContentLoaded', function () {\n"
                "  tarteaucitron.init(%s);\n"
                "  tarteaucitron.services.benchanalytics = %s;\n"
                "  (tarteaucitron.job = tarteaucitron.job || []).push('benchanalytics');\n"
                "});</script>" % (js_value(TARTEAUCITRON_PARAMS), TARTEAUCITRON_SERVICE))
        return head, tail, 'onclick="tarteaucitron.userInterface.openPanel(); return false;"'
    if kind == "brython":
        # The runtime alone, loaded the way our loader loads it (async, never blocking the parser), then one
        # trivial import through Brython's import system, the way the loader starts our precompiled code
        # (the shipped runtime has no compiler): what any Brython code costs first.
        return ('<script async src="/static/dist/brython.js" onload="var B = window.__bench || {}, R = __BRYTHON__; '
                'B.runStart = performance.now(); R.$__import__(\'javascript\', R.builtins.None, R.builtins.None, []); '
                'B.runtimeReady = performance.now();"></script>'), "", ""
    return "", "", ""       # none
