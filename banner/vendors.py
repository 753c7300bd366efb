"""What the audience-measurement tools French portals run must be told, and when: their consent APIs,
driven by the banner's decisions (data-config `vendors`: {vendor: category id}).

Each vendor is told, before its tag can run, what holds with no choice known (`before`), then on every
decision and at every start with a stored choice whether its category is accepted (`update`). A category
needing consent keeps the tool off until accepted; an exempt one (manifest "exempt": true) keeps it on
until the visitor opposes it. The answers are lists of signals, each one plain JavaScript operation on the
tool's documented global (static/src/signals.js runs them, in the page and in the file the Django app
writes before tags it sends live):

- ["push", NAME, ARGS, REPLACES]: window[NAME] = window[NAME] || []; window[NAME].push(ARGS) (Matomo's `_paq`
  queue), after removing from a queue still an array the commands named in REPLACES
- ["merge", NAME, OBJECT]: OBJECT merged into window[NAME] (Piano Analytics' `pdl` configuration, read when
  its SDK loads)
- ["call", PATH, ARGS]: the function at PATH called with ARGS when it exists (`pa.consent.setMode`)
- ["store", KEY, VALUE] and ["remove", KEY]: localStorage KEY set to VALUE, or removed (the DSFR analytics
  package's opt-out, `_EA_`; written only once a choice is known)

Matomo (its JavaScript tracker's consent API): a category needing consent `requireConsent` first, then
`setConsentGiven` or `forgetConsentGiven` (which deletes its cookies); exempt, `optUserOut` /
`forgetUserOptOut`. Piano Analytics (its consent API v2, `pdl.requireConsent = "v2"`): "opt-out" until
accepted, then "opt-in"; exempt, "essential" (the mode Piano made for the CNIL's exemption) until opposed,
then "opt-out". The SDK reads `pdl` when it loads and answers `pa.consent.setMode` once loaded: both are
sent. The DSFR analytics package (Eulerian): its own opt-out key, which stops it from loading Eulerian.

Whatever the signals, the banner keeps a vendor's tag blocked while its category is refused, and reloads
the page when a category whose tags ran is withdrawn: the signals tell the tool, the reload stops it.
"""

from .consent import MAX_AGE_DAYS

PIANO_REQUIRE = "v2"                # Piano Analytics' consent API version the modes belong to
# Matomo keeps a refusal (forgetConsentGiven, and optUserOut, the same function) in its own cookie
# mtm_consent_removed, for 30 years unless told for how many hours: as long as the banner keeps a choice.
MATOMO_REFUSAL_HOURS = MAX_AGE_DAYS * 24
# Matomo's tracker applies some commands of its queue first (requireConsent, setConsentGiven) and the
# others in order: a queue holding an older forgetConsentGiven then a newer setConsentGiven would end
# refused. Each consent command replaces, in a queue the tracker has not taken yet, the ones it supersedes.
MATOMO_DECISIONS = ["setConsentGiven", "forgetConsentGiven"]
MATOMO_OPPOSITION = ["optUserOut", "forgetUserOptOut"]
PIANO_ON, PIANO_EXEMPT, PIANO_OFF = "opt-in", "essential", "opt-out"
DSFR_OPT_OUT = "_EA_"               # the DSFR analytics package's localStorage key: "1" disables it
# The DSFR analytics package's files as the DSFR ships them (or any analytics file on a path naming the
# DSFR). Loaded with the page, not blocked, it loads
# Eulerian as soon as it runs: before the banner can write its opt-out for a visitor who opposed it
# elsewhere (another subdomain, the server's form) or whose browser sends Global Privacy Control.
DSFR_FILES = ("analytics.module.js", "analytics.module.min.js", "analytics.nomodule.js", "analytics.nomodule.min.js")


def before(vendor, exempt):
    """The signals the page gives before the vendor's tag can run, no choice known."""
    if vendor == "matomo":
        return [] if exempt else [["push", "_paq", ["requireConsent"], ["requireConsent"]]]
    if vendor == "piano":
        return [["merge", "pdl", {"requireConsent": PIANO_REQUIRE,
                                  "consent": {"defaultPreset": {"PA": PIANO_EXEMPT if exempt else PIANO_OFF}}}]]
    return []                       # dsfrAnalytics: nothing is stored before a choice


def update(vendor, exempt, on):
    """The signals of a decision (or of a stored one at start): the vendor's category `on` or not."""
    if vendor == "matomo":
        if exempt:
            command = ["forgetUserOptOut"] if on else ["optUserOut", MATOMO_REFUSAL_HOURS]
            return [["push", "_paq", command, MATOMO_OPPOSITION]]
        command = ["setConsentGiven"] if on else ["forgetConsentGiven", MATOMO_REFUSAL_HOURS]
        return [["push", "_paq", command, MATOMO_DECISIONS]]
    if vendor == "piano":
        mode = (PIANO_EXEMPT if exempt else PIANO_ON) if on else PIANO_OFF
        return [["merge", "pdl", {"consent": {"defaultPreset": {"PA": mode}}}],
                ["call", "pa.consent.setMode", [mode]]]
    return [["remove", DSFR_OPT_OUT]] if on else [["store", DSFR_OPT_OUT, "1"]]


def signals(mapping, manifest, accepted=None, decided=False):
    """Every vendor's signals at start, `mapping` being {vendor: category id} and `accepted` the category
    ids in force (None on a page shared by every visitor, whose choices it cannot know): `before` for
    each; then, once a choice is known (`decided`), each one's `update`; with none, only the exempt tools
    the browser opposes (Global Privacy Control) are told so."""
    found = []
    for vendor, category_id in mapping.items():
        found += before(vendor, is_exempt(manifest, category_id))
    if accepted is None:
        return found
    if not decided:
        mapping = dict((v, c) for v, c in mapping.items() if is_exempt(manifest, c) and c not in accepted)
    return found + updates(mapping, manifest, accepted)


def updates(mapping, manifest, accepted):
    """Every vendor's `update` for the accepted category ids `accepted`. A tool mapped to a category that
    is not optional (unknown_categories: reported) is told that it is refused, whatever holds."""
    return [s for vendor, category_id in mapping.items()
            for s in update(vendor, is_exempt(manifest, category_id), is_on(manifest, category_id, accepted))]


def is_on(manifest, category_id, accepted):
    """Whether a tool mapped to `category_id` is told that it may measure: an optional category accepted."""
    return category_id in accepted and can_measure(manifest, category_id)


def can_measure(manifest, category_id):
    """Whether a tool mapped to `category_id` may ever be told that it may measure (unknown_categories)."""
    return category_id in manifest.optional_ids


def is_exempt(manifest, category_id):
    category = manifest.category(category_id)
    return bool(category and category.exempt)


def unknown_categories(mapping, manifest):
    """Categories named in `vendors` that the manifest does not define, or that are strictly necessary."""
    return [c for c in mapping.values() if not can_measure(manifest, c)]


def unblocked(mapping, sources):
    """The console error for the DSFR analytics package loaded with the page (`sources`: the `src` of the
    page's scripts the banner did not run), or None."""
    if "dsfrAnalytics" not in mapping:
        return None
    for src in sources:
        path = src.split("#")[0].split("?")[0].lower()
        name = path.rsplit("/", 1)[-1]
        if name in DSFR_FILES or ("dsfr" in path and "analytics" in name):
            return ("vendors: dsfrAnalytics: %s runs with the page, not blocked: it loads Eulerian before the "
                    "banner can give it its opt-out, even for a visitor who opposed it or whose browser sends "
                    "Global Privacy Control; block it: <script type=\"text/plain\" data-consent=\"%s\" "
                    "data-type=\"module\" data-src=...>" % (src, mapping["dsfrAnalytics"]))
    return None


def problems(mapping, manifest):
    """What is wrong with a vendors mapping against the manifest (validate --config says the same)."""
    unknown = unknown_categories(mapping, manifest)
    if not unknown:
        return []
    return ["data-config: vendors: %s: not an optional category of the manifest: its tool is told that it "
            "is refused" % ", ".join(unknown)]
