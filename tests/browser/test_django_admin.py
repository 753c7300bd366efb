"""The demo Django portal's own admin in Chromium, the manifest in its database (demo/portal, served by
runserver: tests/browser/django_site.py): a visitor's consent record shows, in the admin, the very version
they were shown; a change published in the admin makes the banner ask that visitor again, and their new
record names the new version."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import urllib.request

import pytest

from a11y_kit import axe
from browser_kit import serving
from django_site import serve

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PASSWORD = "admin-test-password"


class Running:
    def __init__(self, directory):
        self.base, self.process, self.database = serve(directory)
        environment = dict(os.environ, DEMO_DATABASE=self.database, DJANGO_SETTINGS_MODULE="django_site",
                           PYTHONPATH=os.pathsep.join([HERE, ROOT]), DJANGO_SUPERUSER_PASSWORD=PASSWORD)
        subprocess.run([sys.executable, os.path.join(ROOT, "demo", "manage.py"), "createsuperuser", "--noinput",
                        "--username", "dpo", "--email", "dpo@example.org"], cwd=ROOT, env=environment, check=True,
                       stdout=subprocess.DEVNULL)

    def url(self, path="/"):
        return self.base + path

    def query(self, sql):
        db = sqlite3.connect(self.database)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def records(self):
        return self.query("SELECT id, action, manifest_version_id FROM consent_banner_consentrecord ORDER BY id")

    def served_sha256(self):
        with urllib.request.urlopen(self.url("/consent/cookies.json")) as response:
            return hashlib.sha256(response.read()).hexdigest()

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def portal(tmp_path_factory, servers):
    yield from serving(Running(tmp_path_factory.mktemp("admin")), servers)


def accept(browser, portal, label="Tout accepter"):
    """A visitor accepts on the home page's first layer; returns their record's (id, action, version id)."""
    before = len(portal.records())
    browser.open(portal.url())
    browser.click_banner(label)
    browser.wait(lambda d: len(portal.records()) > before, "no consent record was stored")
    return portal.records()[-1]


def text(browser):
    return browser.js("return document.getElementById('content').innerText;")


def analytics_row(browser):
    """The row of the demo's analytics cookie in the policy the admin shows."""
    return browser.js("return Array.from(document.querySelectorAll('#content tr')).map(function (r) {"
                      " return r.innerText; }).filter(function (t) { return t.indexOf('demo_analytics') >= 0; })"
                      ".join(' | ');")


def test_a_record_shows_the_version_seen_and_a_published_change_asks_again(browser, portal):
    browser.set_cookie("django_language", "fr", url=portal.url())
    first_sha = portal.served_sha256()
    record = accept(browser, portal)
    assert record[1] == "accept_all" and record[2] is not None
    browser.open(portal.url())
    assert browser.banner() is None                                   # the choice stands: nothing asked

    browser.driver.get(portal.url("/admin/login/"))
    browser.find("#id_username").send_keys("dpo")
    browser.find("#id_password").send_keys(PASSWORD)
    browser.find("input[type=submit]").click()
    browser.wait_js("return location.pathname === '/admin/';", "the admin login failed")

    browser.driver.get(portal.url("/admin/consent_banner/consentrecord/%d/change/" % record[0]))
    shown = text(browser)
    assert first_sha in shown and "v1 (r1)" in shown and "13 mois" in analytics_row(browser)

    # the DPO rewrites the analytics cookie's lifetime in the field editor: no JSON, no JavaScript needed;
    # Enter in a text input saves (the form's first button), it never removes an entry. The English text
    # forgotten first: its problem is shown next to it, tied to it for screen readers
    browser.driver.get(portal.url("/admin/consent_banner/manifestdraft/fields/"))
    assert axe(browser, ["#content-main"]) == []
    prefix = browser.find("input[value=demo_analytics]").get_attribute("name")[:-len("name")]
    cookies = len(browser.find_all("input[name^=cookies-][name$=-name]"))

    def fill(lang, value):
        field = browser.find("input[name='%slifetime-%s']" % (prefix, lang))
        assert field.get_attribute("lang") == lang
        assert "(%s)" % lang in browser.js("return arguments[0].labels[0].textContent;", field)
        field.clear()
        field.send_keys(value)
        return field

    fill("fr", "25 mois")
    field = fill("en", "")
    browser.navigating(lambda: field.send_keys("\n"), ready=False)
    field = browser.find("input[name='%slifetime-en']" % prefix)
    assert field.get_attribute("aria-invalid") == "true"
    assert browser.find("#" + field.get_attribute("aria-describedby")).text == "must be a non-empty string"
    assert browser.find("input[name='%slifetime-fr']" % prefix).get_attribute("value") == "25 mois"   # kept
    assert axe(browser, ["#content-main"]) == []
    field = fill("en", "25 months")
    browser.navigating(lambda: field.send_keys("\n"), ready=False)
    assert "Le brouillon a été enregistré" in browser.find(".messagelist").text      # the admin in French
    assert len(browser.find_all("input[name^=cookies-][name$=-name]")) == cookies
    assert browser.find("input[name='%slifetime-fr']" % prefix).get_attribute("value") == "25 mois"
    browser.find("input[name=_publish]").click()
    browser.wait_js("return /\\/manifestversion\\/\\d+\\/change\\/$/.test(location.pathname);", "nothing was published")
    assert "v2 (r1)" in text(browser)
    second_sha = portal.served_sha256()
    assert second_sha != first_sha

    # the visitor who accepted is asked again about the category that changed, and the new record names v2
    record = accept(browser, portal, "Accepter ces catégories")       # the layer of what changed
    browser.driver.get(portal.url("/admin/consent_banner/consentrecord/%d/change/" % record[0]))
    shown = text(browser)
    assert second_sha in shown and "v2 (r1)" in shown
    assert "25 mois" in analytics_row(browser) and "13 mois" not in analytics_row(browser)
