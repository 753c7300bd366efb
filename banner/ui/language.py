"""The banner's language choice (its language buttons, with two or more `languages`): to the language's
own URL (languageUrls), through django_language and a reload (languageCookie: the Django app), or, on a
static page, the banner switching its own language in place."""

from banner.i18n import strings, interface_language, language_cookie, direction
from banner.ui.dom import LANGUAGE_ATTR
from banner.ui.extra import reload_keeping_place


def choose(app, code):
    """To the language's own URL when the portal names one (languageUrls); else, when the server reads
    django_language (languageCookie: the Django app), written and reloaded; else in place."""
    if code not in app.config.languages:
        return False
    url = app.config.language_urls.get(code)
    if app.config.language_cookie:
        app.page.write_cookie(language_cookie(code, app.page.secure))
    if url is not None:
        app.page.window.location.assign(url)
    elif app.config.language_cookie:
        reload_keeping_place(app)        # the server renders the new language: the visitor's place is kept
    else:
        switch(app, code)
        return False
    return True         # the page is going away


def switch(app, code):
    """A static page is the same whatever the banner says: the banner itself speaks `code` from now on
    (its first layer, centre and reopen button; the page's own content stays as it is), writing nothing."""
    available = app.page.available_languages
    app.config.language = code
    app.lang, app.direction = interface_language(code, available), direction(code)
    app.strings = strings(code, available, complete=app.extra.ready)
    for node in [app.live, app.reopen_button]:
        if node is not None:
            node.setAttribute("lang", app.lang)
            node.setAttribute("dir", app.direction)
    if app.reopen_button is not None:
        app.reopen_button.querySelector(".cb-sr-only").textContent = app.strings["reopen_label"]
    chosen = '[%s="%s"]' % (LANGUAGE_ATTR, code)
    app.first_layer.rebuild(app.session.changed, chosen)
    if app.dialog is not None and app.dialog.node is not None:
        app.dialog.rebuild(app.strings, chosen)
    else:
        app.dialog = None                  # built anew, in this language, when next opened
