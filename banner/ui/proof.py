"""Proof of consent: what the page sends to the portal's `consentLog` after each decision.

Kept apart from the App so the controller only says *that* something was decided; this module knows
which record each event makes (banner.record builds them, in the extra bundle, imported when the first
record is sent) and that nothing is sent when the portal configured no log.
"""

from banner.cookies import new_consent_id


class ProofLog:
    def __init__(self, page, config, manifest, session, extra):
        self.page, self.config, self.manifest, self.session, self.extra = page, config, manifest, session, extra

    @property
    def enabled(self):
        return bool(self.config.consent_log)

    def decision(self, previous, action, source):
        """A decision was just stored: log it against the one it replaced."""
        if self.enabled:
            self.extra.run(lambda: self._decision(previous, action, source))

    def _decision(self, previous, action, source):
        from banner.record import decision_record
        self.page.send(self.config.consent_log, decision_record(
            self.session.consent, previous, action, self.config.language, self.manifest, source, self.page.build))

    def once(self, category_id):
        """"Autoriser une fois" stores nothing, but the third party it loads is logged (extra bundle)."""
        if self.enabled and category_id in self.manifest.optional_ids:
            from banner.record import once_record
            consent = self.session.consent
            consent_id = consent.consent_id if consent else new_consent_id(self.page.random_bytes(16))
            self.page.send(self.config.consent_log, once_record(
                consent_id, self.page.now(), self.session.accepted, category_id, self.config.language,
                self.manifest, self.page.build, consent.providers if consent else {}))

    def reset(self, previous):
        """consentBanner.reset(): the withdrawal of everything is a decision too."""
        if self.enabled:
            self.extra.run(lambda: self._reset(previous))

    def _reset(self, previous):
        from banner.record import reset_record
        record = reset_record(previous, self.page.now(), self.config.language, self.manifest, self.page.build)
        if record is not None:
            self.page.send(self.config.consent_log, record)
