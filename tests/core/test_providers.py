"""Declared providers (manifest `categories[].providers`): what the parser accepts, and the rule that
decides whether a blocked script or iframe may run for its category (Manifest.undeclared)."""

import copy

import pytest

from banner.errors import ManifestError
from banner.manifest import parse_manifest
from banner.text import host_of

BASE = {
    "revision": 1,
    "categories": [
        {"id": "necessary", "required": True, "title": "Nécessaires", "description": "Toujours actifs"},
        {"id": "video", "title": "Vidéos", "description": "Lecteurs intégrés",
         "providers": [{"name": "YouTube", "policyUrl": "https://policies.google.com/privacy",
                        "hosts": ["youtube-nocookie.com", "WWW.YouTube.com"]},
                       {"name": "Vimeo"}]},
        {"id": "maps", "title": "Cartes", "description": "Cartes interactives"},
    ],
    "cookies": [],
}


def manifest(edit=None):
    data = copy.deepcopy(BASE)
    if edit:
        edit(data)
    return parse_manifest(data, ["fr"])


def problems(edit):
    with pytest.raises(ManifestError) as caught:
        manifest(edit)
    return [path for path, _ in caught.value.problems]


def test_providers_are_parsed_in_order_with_lower_case_hosts_and_default_to_none():
    parsed = manifest()
    video = parsed.category("video")
    assert [p.name for p in video.providers] == ["YouTube", "Vimeo"]
    assert video.providers[0].policy_url == "https://policies.google.com/privacy"
    assert video.providers[0].hosts == ["youtube-nocookie.com", "www.youtube.com"]
    assert video.providers[1].policy_url is None and video.providers[1].hosts == []
    assert parsed.category("maps").providers == []


@pytest.mark.parametrize("edit, path", [
    (lambda d: d["categories"][1].update(providers={"name": "x"}), "categories[1].providers"),
    (lambda d: d["categories"][1]["providers"].append({"name": "YouTube"}), "categories[1].providers[2].name"),
    (lambda d: d["categories"][1]["providers"].append({"name": " "}), "categories[1].providers[2].name"),
    (lambda d: d["categories"][1]["providers"].append({}), "categories[1].providers[2]"),
    (lambda d: d["categories"][1]["providers"].append({"name": "X", "policyUrl": "javascript:alert(1)"}),
     "categories[1].providers[2].policyUrl"),
    (lambda d: d["categories"][1]["providers"].append({"name": "X", "hosts": ["a b.org"]}),
     "categories[1].providers[2].hosts"),
    (lambda d: d["categories"][1]["providers"].append({"name": "X", "hosts": "a.org"}),
     "categories[1].providers[2].hosts"),
    (lambda d: d["categories"][1]["providers"].append({"name": "X", "logo": "x.png"}),
     "categories[1].providers[2]"),
])
def test_a_bad_provider_is_refused_with_its_path(edit, path):
    assert path in problems(edit)


@pytest.mark.parametrize("category, named, url, ok", [
    ("video", "YouTube", "https://www.youtube-nocookie.com/embed/x", True),   # subdomain of a declared host
    ("video", "YouTube", "https://youtube-nocookie.com/embed/x", True),
    ("video", None, "//www.youtube.com/embed/x", True),                     # the host alone identifies it
    ("video", "Vimeo", "/local/player.html", True),                        # the portal's own host
    ("video", None, "https://portal.example.org/x.js", True),              # the page's host
    ("video", None, None, True),                                            # inline, names nobody
    ("video", "Dailymotion", "/local/player.html", False),                 # a provider not declared
    ("video", "YouTube", "https://evil-youtube-nocookie.com/x", False),     # not a subdomain
    ("video", None, "https://tracker.example.net/t.js", False),            # a host nobody declares
    ("video", "Vimeo", "https://www.youtube.com/embed/x", True),            # declared host, declared name
    ("maps", "YouTube", None, False),                                       # declared for another category
    ("maps", None, "https://www.youtube.com/embed/x", False),
    ("unknown", None, "https://www.youtube.com/embed/x", False),
])
def test_blocked_content_runs_only_for_providers_and_hosts_its_category_declares(category, named, url, ok):
    problem = manifest().undeclared(category, named, url, "portal.example.org")
    assert (problem is None) == ok, problem


@pytest.mark.parametrize("url, host", [
    ("https://User@Www.Example.org:8443/a?b#c", "www.example.org"),
    ("//cdn.example.org/x.js", "cdn.example.org"),
    ("http://example.org", "example.org"),
    ("/relative/path", ""), ("player.html", ""), ("mailto:a@b.org", ""), (None, ""),
])
def test_host_of_reads_the_host_of_absolute_urls_only(url, host):
    assert host_of(url) == host


@pytest.mark.parametrize("url", ["https:\\\\evil.example/x.js", "https:/evil.example/x.js", "https:evil.example/x.js",
                                 "/\\evil.example/x.js", "\\\\evil.example/x.js", "///evil.example/x.js",
                                 "ht\ttps://evil.example/x.js", "\x01 https://evil.example/x.js",
                                 "//evil.example\\@www.youtube.com/x.js", "HTTPS://EVIL.example:443/x.js"])
def test_host_of_reads_the_host_the_browser_loads_from(url):
    """Each of these loads from evil.example in a browser (URL standard: backslashes are slashes in
    http(s) URLs, any number of slashes lead to the host): it must never pass for the page's own host,
    nor for a declared one."""
    assert host_of(url) == "evil.example"
    assert manifest().undeclared("video", None, url, "portal.example.org") is not None
