"""Built-in interface strings, English: the first layer (start-up bundle)."""

STRINGS = {
    'banner_title': 'This portal uses cookies',
    'banner_text': 'Some cookies are needed for the portal to work. With your consent, we also use cookies for: {purposes}. You can change your mind at any time with the “Cookie settings” link at the bottom of the page.',
    'changed_text': 'These categories have changed since your last choice: {categories}. Your other choices are kept.',
    'policy_link': 'Cookie policy',
    'accept_all': 'Accept all',
    'reject_all': 'Reject all',
    'customise': 'Customise',
    'continue_without': 'Continue without accepting',
    'language_label': 'Language',
    'saved': 'Your choices have been saved.',
    'close': 'Close',
    'unavailable_title': 'Cookie settings unavailable',
    'unavailable_text': 'The cookie preferences centre could not start ({reason}). No optional cookie is used on this page.',
}
