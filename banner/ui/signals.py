"""Google Consent Mode v2 on the page (extra bundle): the `default` before any blocked Google tag can
run, then an `update` for every stored or new choice. The signals themselves are banner/google.py's."""

from banner.google import consent_default, consent_update, unknown_categories


class GoogleSignals:
    def __init__(self, gtag, report, mapping, manifest):
        self.gtag = gtag            # Page.gtag
        self.report = report        # Page.error
        self.mapping = mapping      # data-config googleConsentMode: {category: [consent types]}
        self.manifest = manifest

    def default(self, sent_already=False):
        """`sent_already`: the page holds a "default" before any of ours (banner.django's consent-mode.js
        runs before the tags it sends live); a second one would only restart its wait for an update."""
        unknown = unknown_categories(self.mapping, self.manifest)
        if unknown:
            self.report("data-config: googleConsentMode: unknown categories %s" % ", ".join(unknown))
        if not sent_already:
            self.gtag("consent", "default", consent_default())

    def update(self, accepted):
        self.gtag("consent", "update", consent_update(self.mapping, accepted))
