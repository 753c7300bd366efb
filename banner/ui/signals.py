"""Google Consent Mode v2 and the audience-measurement tools' consent APIs on the page (extra bundle): what
holds before any blocked tag can run, then an update for every stored or new choice. The signals
themselves are banner/google.py's and banner/vendors.py's."""

from banner.google import consent_default, consent_update, problems as google_problems
from banner import vendors


class GoogleSignals:
    def __init__(self, gtag, report, mapping, manifest):
        self.gtag = gtag            # Page.gtag
        self.report = report        # Page.error
        self.mapping = mapping      # data-config googleConsentMode: {category: [consent types]}
        self.manifest = manifest

    def default(self, sent_already=False):
        """`sent_already`: the page holds a "default" before any of ours (banner.django's consent-mode.js
        runs before the tags it sends live); a second one would only restart its wait for an update."""
        for problem in google_problems(self.mapping, self.manifest):
            self.report(problem)
        if not sent_already:
            self.gtag("consent", "default", consent_default())

    def update(self, accepted):
        self.gtag("consent", "update", consent_update(self.mapping, accepted, self.manifest))


class VendorSignals:
    """The audience-measurement tools' consent APIs (data-config `vendors`, banner/vendors.py): what holds
    before any of their tags runs, then every decision. The loader runs the signals (static/src/signals.js)."""

    def __init__(self, signal, report, mapping, manifest):
        self.signal = signal        # Page.signal
        self.report = report        # Page.error
        self.mapping = mapping      # data-config vendors: {vendor: category id}
        self.manifest = manifest

    def start(self, accepted, decided, live_sources=()):
        """Before the page's blocked tags run, with the categories in force and whether a choice holds. A
        server's consent-mode.js may have sent these already: sent again, they leave the same state.
        `live_sources`: the `src` of the page's scripts the banner did not run (vendors.unblocked)."""
        for problem in vendors.problems(self.mapping, self.manifest) + \
                [p for p in [vendors.unblocked(self.mapping, live_sources)] if p]:
            self.report(problem)
        self.signal(vendors.signals(self.mapping, self.manifest, accepted, decided))

    def update(self, accepted):
        self.signal(vendors.updates(self.mapping, self.manifest, accepted))
