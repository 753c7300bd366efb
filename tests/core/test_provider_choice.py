"""A choice per provider (`"providerChoice": true` on a category): the manifest rule, the decision, the
cookie that stores it (format 4, older formats still read), and what may run."""

import pytest

from banner.consent import decide, is_current
from banner.cookies import decode_consent, encode_consent
from banner.errors import ManifestError
from banner.fingerprint import fingerprints
from banner.session import Session
from core_kit import NOW, CID

VIDEO_PROVIDERS = [{"name": "YouTube", "hosts": ["youtube-nocookie.com"]},
                   {"name": "Vimeo", "hosts": ["player.vimeo.com"]},
                   {"name": "Dailymotion", "hosts": ["dailymotion.com"]}]


@pytest.fixture
def data(manifest_data):
    def build(choice=True, providers=VIDEO_PROVIDERS):
        made = manifest_data(["analytics", "video"])
        made["categories"][2]["providers"] = [dict(p) for p in providers]
        if choice is not None:
            made["categories"][2]["providerChoice"] = choice
        return made
    return build


@pytest.fixture
def manifest(parse, data):
    return parse(data())


def session(manifest, config, consent=None):
    return Session(manifest, config(), "cookies_preferences=" + encode_consent(consent) if consent else "", NOW)


# --- the manifest ---------------------------------------------------------------------------------------------

def test_the_providers_of_a_choice_are_ordered_by_name_whatever_the_manifest_order(parse, data):
    assert parse(data()).category("video").choice_order == ["Dailymotion", "Vimeo", "YouTube"]
    reordered = parse(data(providers=VIDEO_PROVIDERS[::-1]))
    assert reordered.category("video").choice_order == ["Dailymotion", "Vimeo", "YouTube"]
    assert fingerprints(reordered) == fingerprints(parse(data()))


def test_offering_a_choice_per_provider_asks_again_about_that_category_only(parse, data):
    with_choice, without = fingerprints(parse(data())), fingerprints(parse(data(choice=None)))
    assert with_choice["video"] != without["video"] and with_choice["analytics"] == without["analytics"]
    assert fingerprints(parse(data(choice=False))) == without


@pytest.mark.parametrize("change, message", [
    (lambda d: d["categories"][0].update(providerChoice=True, providers=VIDEO_PROVIDERS),
     "categories[0].providerChoice: only a category that needs consent"),
    (lambda d: d["categories"][1].update(providerChoice=True, exempt=True, providers=VIDEO_PROVIDERS),
     "categories[1].providerChoice: only a category that needs consent"),
    (lambda d: d["categories"][1].update(providerChoice=True),
     "categories[1].providerChoice: a choice per provider needs 1 to 20 providers (found 0)"),
    (lambda d: d["categories"][2].update(providers=[{"name": "P%d" % i} for i in range(21)]),
     "categories[2].providerChoice: a choice per provider needs 1 to 20 providers (found 21)"),
    (lambda d: d["categories"][2].update(providerChoice="yes"), "categories[2].providerChoice: must be true or false"),
])
def test_a_choice_per_provider_the_banner_cannot_offer_is_refused_with_its_field(parse, data, change, message):
    broken = data()
    change(broken)
    with pytest.raises(ManifestError) as raised:
        parse(broken)
    assert any(message in "%s: %s" % problem for problem in raised.value.problems), raised.value.problems


def test_content_belongs_to_the_provider_it_names_or_whose_host_it_comes_from(manifest):
    assert manifest.provider_of("video", "Vimeo", None, "portal.example") == "Vimeo"
    assert manifest.provider_of("video", None, "https://www.youtube-nocookie.com/embed/x", "portal.example") == "YouTube"
    assert manifest.provider_of("video", None, "/local/video.js", "portal.example") is None
    assert manifest.provider_of("video", None, "https://portal.example/v.js", "portal.example") is None
    assert manifest.provider_of("video", "Unknown", None, "portal.example") is None


# --- deciding and storing -------------------------------------------------------------------------------------

def test_a_custom_choice_stores_the_providers_accepted_and_reads_back_the_same(manifest):
    made = decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["YouTube", "Dailymotion"]})
    assert made.accepted == ("video",) and made.providers == {"video": 0b101}
    value = encode_consent(made)
    assert ":video=1-5~" in value and value.startswith("4.")
    assert decode_consent(value) == made


def test_every_provider_accepted_is_the_category_accepted_and_none_is_the_category_refused(manifest):
    everyone = decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["YouTube", "Vimeo", "Dailymotion"]})
    assert everyone.accepted == ("video",) and everyone.providers == {}
    assert "-" not in encode_consent(everyone).split(".", 4)[4]
    nobody = decide(manifest, "custom", NOW, CID, ["analytics", "video"], providers={"video": []})
    assert nobody.accepted == ("analytics",) and nobody.providers == {}
    assert decide(manifest, "accept_all", NOW, CID).providers == {}


def test_an_unknown_provider_in_a_choice_is_a_caller_error(manifest):
    with pytest.raises(ValueError, match="unknown providers of video"):
        decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["Twitch"]})


def test_a_decision_about_other_categories_keeps_the_providers_answer(manifest):
    first = decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["Vimeo"]})
    later = decide(manifest, "accept_all", NOW + 1000, CID, previous=first, scope=["analytics"])
    assert later.accepted == ("analytics", "video") and later.providers == {"video": 0b010}


@pytest.mark.parametrize("entry", ["video=1-0~", "video=1-~", "video=0-5~", "video=1-05~", "video=1-zzzzz~",
                                   "video=1-A~"])
def test_a_providers_mask_we_never_write_does_not_decode(manifest, entry):
    value = encode_consent(decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["Vimeo"]}))
    tampered = value.replace("video=1-2~", entry)
    assert tampered != value and decode_consent(tampered) is None


def test_a_format_3_value_has_no_providers_mask_and_reads_as_every_provider_accepted(manifest, config):
    value = encode_consent(decide(manifest, "custom", NOW, CID, ["video"]))
    old = "3" + value[1:]
    assert decode_consent(old).version == 3
    assert decode_consent(old.replace("video=1~", "video=1-2~")) is None     # masks exist from format 4 on
    assert Session(manifest, config(), "cookies_preferences=" + old, NOW).accepted_providers("video") == [
        "Dailymotion", "Vimeo", "YouTube"]


def test_a_providers_mask_on_a_refused_category_is_not_a_standing_choice(manifest):
    made = decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["Vimeo"]})
    made.accepted = ()
    assert not is_current(made, manifest, NOW)


# --- what may run ---------------------------------------------------------------------------------------------

def test_content_runs_only_for_an_accepted_provider(manifest, config):
    current = session(manifest, config, decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["Vimeo"]}))
    assert current.allows("video", "Vimeo")
    assert not current.allows("video", "YouTube")
    assert not current.allows("video", None)           # nobody claims it: not every provider is accepted
    assert current.accepted_providers("video") == ["Vimeo"]
    assert current.is_accepted("video")


def test_with_every_provider_accepted_unclaimed_content_of_the_category_runs_too(manifest, config):
    current = session(manifest, config, decide(manifest, "accept_all", NOW, CID))
    assert current.allows("video", None) and current.allows("video", "YouTube")
    refused = session(manifest, config, decide(manifest, "reject_all", NOW, CID))
    assert not refused.allows("video", "YouTube") and refused.accepted_providers("video") == []


def test_a_category_without_a_choice_per_provider_answers_for_all_its_content(parse, data, config):
    plain = parse(data(choice=None))
    current = session(plain, config, decide(plain, "custom", NOW, CID, ["video"]))
    assert current.allows("video", "YouTube") and current.allows("video", None)


def test_taking_back_a_provider_whose_scripts_ran_needs_a_reload(manifest, config):
    current = session(manifest, config, decide(manifest, "accept_all", NOW, CID))
    before, previous = current.accepted, current.consent
    current.decide("custom", NOW + 1000, CID, ["analytics", "video"], providers={"video": ["Vimeo"]})
    assert current.withdrawn(before, ["video"], previous) == ["video"]
    assert current.withdrawn(before, ["analytics"], previous) == []
    before, previous = current.accepted, current.consent
    current.decide("custom", NOW + 2000, CID, ["analytics", "video"], providers={"video": ["Vimeo", "YouTube"]})
    assert current.withdrawn(before, ["video"], previous) == []           # a provider added: nothing to stop


def test_always_allowing_an_embed_adds_its_provider_and_keeps_the_others(manifest, config):
    current = session(manifest, config, decide(manifest, "custom", NOW, CID, ["video"], providers={"video": ["Vimeo"]}))
    assert current.providers_with("video", "YouTube") == {"video": ["Vimeo", "YouTube"]}
    current.decide("custom", NOW + 1000, CID, ["video"], providers=current.providers_with("video", "YouTube"))
    assert current.allows("video", "YouTube") and current.allows("video", "Vimeo")
    assert not current.allows("video", "Dailymotion")
    assert current.providers_with("analytics", "YouTube") is None
