"""Built-in interface strings, German: the first layer (start-up bundle)."""

STRINGS = {
    'banner_title': 'Dieses Portal verwendet Cookies',
    'banner_purposes': 'Cookies, die Ihre Zustimmung brauchen: {purposes}.',
    'banner_text': 'Einige Cookies sind für den Betrieb des Portals notwendig. Sie können Ihre Wahl jederzeit über den Link „Cookie-Einstellungen“ unten auf der Seite ändern.',
    'changed_text': 'Seit Ihrer letzten Wahl haben sich diese Kategorien geändert oder Ihre Wahl ist abgelaufen: {categories}. Die Schaltflächen unten gelten nur für diese Kategorien; Ihre übrigen Einstellungen bleiben erhalten.',
    'policy_link': 'Cookie-Richtlinie',
    'accept_all': 'Alle akzeptieren',
    'reject_all': 'Alle ablehnen',
    'customise': 'Anpassen',
    'continue_without': 'Ohne Zustimmung fortfahren',
    'language_label': 'Sprache',
    'saved': 'Ihre Auswahl wurde gespeichert.',
    'close': 'Schließen',
    'unavailable_title': 'Cookie-Einstellungen nicht verfügbar',
    'unavailable_text': 'Die Cookie-Einstellungen konnten nicht gestartet werden. Auf dieser Seite werden keine optionalen Cookies verwendet.',
    'accept_changed': 'Diese Kategorien akzeptieren',
    'reject_changed': 'Diese Kategorien ablehnen',
    'refuse_effect': 'Eine Ablehnung ändert nur die optionalen Dienste.',
    'providers_link': 'Anbieterliste',
    'exempt_mention': 'Ohne Ihre Zustimmung messen wir außerdem die Nutzung anonym, wie es die CNIL erlaubt: {exempt}. Sie können dem mit „Anpassen“ widersprechen.',
}
