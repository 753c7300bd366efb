"""What the footer link opens when the banner could not start: an explanation, not silence. Part of the
start-up bundle, since it must work when nothing else does. The technical reason (the console error's, in
English) follows in a paragraph of its own marked as English (RGAA 8.7), for whoever the visitor reports
it to: the explanation itself is in the visitor's language."""

from banner.ui.dom import h


def build_unavailable(doc, strings, lang, reason):
    return h(doc, "dialog", {"class": "cb-prefs cb-prefs--error", "id": "cb-prefs", "role": "dialog",
                             "aria-modal": "true", "aria-labelledby": "cb-prefs-title", "lang": lang,
                             "data-cb-ui": True}, [
        h(doc, "div", {"class": "cb-prefs__head"}, [
            h(doc, "h2", {"class": "cb-title", "id": "cb-prefs-title", "tabindex": "-1"},
              [strings["unavailable_title"]]),
            h(doc, "button", {"type": "button", "class": "cb-close", "data-cb-action": "close"},
              [strings["close"]]),
        ]),
        h(doc, "div", {"class": "cb-prefs__body"}, [
            h(doc, "p", {"class": "cb-text"}, [strings["unavailable_text"]]),
            h(doc, "p", {"class": "cb-text"}, [h(doc, "code", {"lang": "en", "dir": "ltr"}, [reason])])]),
    ])
