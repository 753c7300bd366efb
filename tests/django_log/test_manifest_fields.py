"""The draft edited field by field in the admin, on SQLite and PostgreSQL, through the test client as a
logged-in superuser who fills the form the page gives (tests/django_log/form_reader.py reads its inputs
as a browser would submit them): texts per language, a cookie added and one removed, a problem shown next
to its input, and what is saved and published is the JSON `validate` accepts."""

import copy
import html
import json
import re

from django.test.utils import override_settings

from banner.django.models import ManifestDraft, ManifestVersion
from banner.django import versions
from banner.manifest import parse_manifest

from form_reader import read_form
from test_manifest_admin import MANIFEST, SETTINGS, db_manifest, dpo, text_of  # noqa: F401 (fixtures)

FIELDS = "/admin/consent_banner/manifestdraft/fields/"


def page_form(client, response=None):
    """The inputs of the field editor as the browser would submit them (no button), and the page."""
    response = response or client.get(FIELDS)
    assert response.status_code == 200, response.status_code
    body = response.content.decode("utf-8")
    return read_form(body), body


def submit(client, form, button):
    name, _sep, value = button.partition("=")
    return client.post(FIELDS, dict(form, **{name: value or "1"}))


def saved():
    return json.loads(ManifestDraft.objects.get().text)


def test_texts_are_edited_per_language_and_the_draft_saved_is_the_manifest_validate_accepts(dpo):
    listing = dpo.get("/admin/consent_banner/manifestdraft/").content.decode("utf-8")
    assert '<a href="%s">' % FIELDS in listing                  # where a DPO arrives from the admin's index
    form, body = page_form(dpo)                                 # no draft yet: the portal's file
    assert 'lang="fr"' in body and 'lang="en"' in body
    assert form["categories-1-title-fr"] == "Mesure d'audience"
    form["categories-1-title-fr"] = "Statistiques de visite"
    form["categories-1-title-en"] = "Visit statistics"
    response = submit(dpo, form, "_save")
    assert response.status_code == 302 and response["Location"] == FIELDS
    data = saved()
    expected = copy.deepcopy(MANIFEST)
    expected["categories"][1]["title"] = {"fr": "Statistiques de visite", "en": "Visit statistics"}
    assert data == expected                                     # nothing else moved: $schema, order, strings
    parse_manifest(data, ["fr", "en"])
    form, body = page_form(dpo)                                 # the saved draft, shown again
    assert form["categories-1-title-en"] == "Visit statistics"
    assert not ManifestVersion.objects.exists()


def test_a_cookie_added_and_one_removed_then_published(dpo):
    form, _ = page_form(dpo)
    count = len(MANIFEST["cookies"])
    form, body = page_form(dpo, submit(dpo, form, "_action=add:cookies"))
    assert "cookies-%d-name" % count in form and not ManifestDraft.objects.exists()    # shown, not saved
    assert "Cookie %d" % (count + 1) in text_of_body(body)
    form.update({"cookies-%d-name" % count: "_pk_id", "cookies-%d-match" % count: "^_pk_id\\.",
                 "cookies-%d-category" % count: "analytics", "cookies-%d-maxAgeDays" % count: "395",
                 "cookies-%d-provider-fr" % count: "Matomo", "cookies-%d-provider-en" % count: "Matomo",
                 "cookies-%d-lifetime-fr" % count: "13 mois", "cookies-%d-lifetime-en" % count: "13 months",
                 "cookies-%d-purpose-fr" % count: "Compter les visites.",
                 "cookies-%d-purpose-en" % count: "Counting visits."})
    removed = MANIFEST["cookies"][1]["name"]
    assert form["cookies-1-name"] == removed
    button = re.search(r'<button type="submit" name="_action" value="remove:cookies-1">(.*?)</button>', body).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", button)) == "Remove this cookie (Cookie 2: %s)" % removed      # each button says which
    form, body = page_form(dpo, submit(dpo, form, "_action=remove:cookies-1"))
    assert form["cookies-%d-name" % (count - 1)] == "_pk_id"    # the new one, moved up, kept as typed
    response = submit(dpo, form, "_publish")
    assert response.status_code == 302 and "/manifestversion/" in response["Location"], text_of(response)
    version = ManifestVersion.objects.get()
    published = json.loads(version.text)
    assert published == saved()
    assert [c["name"] for c in published["cookies"]] == [c["name"] for c in MANIFEST["cookies"] if c["name"] != removed] + ["_pk_id"]
    assert published["cookies"][-1] == {
        "name": "_pk_id", "category": "analytics", "provider": {"fr": "Matomo", "en": "Matomo"}, "lifetime": {"fr": "13 mois", "en": "13 months"},
        "purpose": {"fr": "Compter les visites.", "en": "Counting visits."}, "match": "^_pk_id\\.", "maxAgeDays": 395}
    assert versions.published().text == version.text           # what the banner now reads


def text_of_body(body):
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_a_problem_is_shown_next_to_its_input_and_nothing_is_saved(dpo):
    form, _ = page_form(dpo)
    form["cookies-4-category"] = "advertising"       # not a category (the select offers only known ones)
    form["categories-1-title-en"] = "   "
    form["cookies-2-maxAgeDays"] = "-3"
    response = submit(dpo, form, "_save")
    assert response.status_code == 200 and not ManifestDraft.objects.exists()
    body = response.content.decode("utf-8")
    for name, message in [("cookies-4-category", "unknown category &#x27;advertising&#x27;"),
                          ("categories-1-title-en", "must be a non-empty string"),
                          ("cookies-2-maxAgeDays", "must be a whole number of days")]:
        described = '<ul class="errorlist" id="id_%s_error"><li>%s' % (name, message)
        assert described in body, name
        tag = next(t for t in body.split("<") if ' name="%s"' % name in t)
        assert re.search(r'aria-describedby="[^"]*\bid_%s_error\b' % name, tag) and 'aria-invalid="true"' in tag
    assert '<a href="#id_cookies-4-category">cookies[4].category: unknown category' in body    # the list leads to it
    form, _ = page_form(dpo, response)
    assert form["cookies-4-category"] == "advertising" and form["cookies-2-maxAgeDays"] == "-3"   # kept as typed


def test_manifest_strings_are_escaped_in_the_field_editor(dpo):
    data = copy.deepcopy(MANIFEST)
    data["categories"][1]["title"]["fr"] = "<script>alert(1)</script>"
    data["cookies"][0]["name"] = "x\"><img src=x onerror=alert(1)>"
    ManifestDraft.objects.create(text=json.dumps(data))
    form, body = page_form(dpo)
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert form["categories-1-title-fr"] == "<script>alert(1)</script>"


def test_a_french_only_portal_gets_one_input_per_text(dpo):
    with override_settings(CONSENT_BANNER=dict(SETTINGS, LANGUAGES=["fr"])):
        ManifestDraft.objects.create(text=json.dumps({"revision": 1, "categories": [
            {"id": "necessary", "required": True, "title": "Nécessaires", "description": "Toujours actifs."}],
            "cookies": []}))
        form, _ = page_form(dpo)
        assert [k for k in form if k.startswith("categories-0-title")] == ["categories-0-title-fr"]
        form["categories-0-description-fr"] = "Toujours là."
        assert submit(dpo, form, "_save").status_code == 302
        assert saved()["categories"][0] == {"id": "necessary", "required": True, "title": "Nécessaires",
                                            "description": "Toujours là."}


def test_a_category_and_a_provider_added_raise_the_revision_and_one_removed_is_gone(dpo):
    versions.publish(MANIFEST, ["fr", "en"], "dpo")
    form, _ = page_form(dpo)                                     # no draft: the published version
    form, _ = page_form(dpo, submit(dpo, form, "_action=add:categories-1-providers"))
    form.update({"categories-1-providers-1-name": "Vidéos SA", "categories-1-providers-1-hosts": "video.example\nwww.video.example",
                 "categories-1-providers-1-policyUrl": "https://video.example/privacy"})
    form, body = page_form(dpo, submit(dpo, form, "_action=add:categories"))
    assert "Vidéos SA" in body and form["categories-2-id"] == ""
    form.update({"categories-2-id": "video", "categories-2-title-fr": "Vidéos", "categories-2-title-en": "Videos",
                 "categories-2-description-fr": "Lecteurs intégrés.", "categories-2-description-en": "Embedded players."})
    form, _ = page_form(dpo, submit(dpo, form, "_action=remove:categories-1-providers-0"))
    assert form["categories-1-providers-0-name"] == "Vidéos SA" and "categories-1-providers-1-name" not in form
    response = submit(dpo, form, "_publish")
    assert response.status_code == 302, text_of(response)
    version = ManifestVersion.objects.get(number=2)
    assert version.revision == MANIFEST["revision"] + 1
    assert version.changes == "new provider Vidéos SA in analytics; new category video"
    data = json.loads(version.text)
    assert data["categories"][1]["providers"] == [{"name": "Vidéos SA", "policyUrl": "https://video.example/privacy",
                                                   "hosts": ["video.example", "www.video.example"]}]
    assert data["categories"][2] == {"id": "video", "title": {"fr": "Vidéos", "en": "Videos"},
                                     "description": {"fr": "Lecteurs intégrés.", "en": "Embedded players."}}


def test_problems_of_a_whole_entry_and_of_the_manifest_are_shown_where_they_belong(dpo):
    form, _ = page_form(dpo)
    form["categories-1-exempt"] = "on"                  # its cookie gives no maxAgeDays: the entry is at fault
    form["categories-1-required"] = "on"                # and two required categories: the manifest is
    body = submit(dpo, form, "_save").content.decode("utf-8")
    entry = body[body.index('<fieldset id="cookies-4" aria-describedby="cookies-4_error">'):]
    assert entry.index('<ul class="errorlist" id="cookies-4_error"><li>the exempt category &#x27;analytics&#x27; '
                       "needs each cookie&#x27;s maxAgeDays") < entry.index("</legend>") + 20
    assert '<ul class="errorlist" id="id_categories-1-exempt_error"><li>a category is strictly necessary' in body
    summary = text_of_body(body[body.index('id="cb-problems"'):body.index('id="cb-categories"')])
    assert "categories: exactly one category must have \"required\": true (found 2)" in summary
    assert '<a href="#cookies-4">' in body and not ManifestDraft.objects.exists()


def test_a_form_larger_than_django_accepts_in_one_request_says_so_before_it_is_filled(dpo):
    form, body = page_form(dpo)
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" not in body
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=len(form) - 1):
        form, body = page_form(dpo)
        assert "DATA_UPLOAD_MAX_NUMBER_FIELDS = %d" % (len(form) - 1) in text_of_body(body)
        assert dpo.post(FIELDS, dict(form, _save="1")).status_code == 400     # what it warns of


def test_an_arabic_text_is_written_right_to_left(dpo):
    with override_settings(CONSENT_BANNER=dict(SETTINGS, LANGUAGES=["fr", "ar"])):
        data = copy.deepcopy(MANIFEST)
        for category in data["categories"]:
            category["title"]["ar"] = "فئة"
            category["description"]["ar"] = "وصف"
        ManifestDraft.objects.create(text=json.dumps(data))
        body = dpo.get(FIELDS).content.decode("utf-8")
    tag = next(t for t in body.split("<") if 'name="categories-1-title-ar"' in t)
    assert 'lang="ar"' in tag and 'dir="rtl"' in tag
    assert 'name="categories-1-title-en"' in body            # a language the draft has is still shown
