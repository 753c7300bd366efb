"""One error family for everything the banner can refuse.

    BannerError            base: str(error) is a message an integrator can act on
    ├── ConfigError        the data-config attribute (JSON, types, values)
    └── ManifestError      the cookie manifest; carries every problem found, each with its field path

A cookies_preferences value that cannot be trusted is not an error: cookies.decode_consent returns None
and the visitor is simply asked again.

Each problem names the field at fault ("categories[1].id") because the person reading the console
is the portal's integrator, who has the manifest open in another window.
"""

CONSOLE_PREFIX = "consent-banner: "                   # every console message of ours starts with it
FAIL_CLOSED = " — optional cookies stay refused."     # ends the one error a failed start-up reports
# ...unless the loader had already run the scripts of a return visitor's stored choice (its early path):
# nothing more runs, and the error says what did, followed by those categories.
FAIL_AFTER_EARLY = " — nothing more runs; what the visitor's stored choice allows had already run: "


def fail_closed(ran):
    """How the one error of a failed start-up ends, given the categories the loader ran early."""
    seen = []
    for category in ran:
        if category not in seen:
            seen.append(category)
    return FAIL_AFTER_EARLY + ", ".join(seen) + "." if seen else FAIL_CLOSED


class BannerError(Exception):
    """Base class: the banner refuses this input and fails closed."""


class ConfigError(BannerError):
    """The data-config attribute is unusable; `field` names the key at fault."""

    def __init__(self, field, message):
        self.field = field
        self.message = message
        BannerError.__init__(self, "data-config: " + (field + ": " if field else "") + message)


class ManifestError(BannerError):
    """The manifest breaks its schema. `problems` is a list of (path, message) pairs."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = [(p + ": " if p else "") + m for p, m in self.problems]
        BannerError.__init__(self, "manifest: " + "; ".join(lines))
