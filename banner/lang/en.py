"""Built-in interface strings, English: the first layer (start-up bundle)."""

STRINGS = {
    'banner_title': 'This portal uses cookies',
    'banner_purposes': 'Cookies that need your consent: {purposes}.',
    'banner_text': 'Some cookies are needed for the portal to work. You can change your mind at any time with the “Cookie settings” link at the bottom of the page.',
    'changed_text': 'Since your last choice, these categories have changed or your choice has expired: {categories}. The buttons below apply to these categories only; your other choices are kept.',
    'policy_link': 'Cookie policy',
    'accept_all': 'Accept all',
    'reject_all': 'Reject all',
    'customise': 'Customise',
    'continue_without': 'Continue without accepting',
    'language_label': 'Language',
    'saved': 'Your choices have been saved.',
    'close': 'Close',
    'unavailable_title': 'Cookie settings unavailable',
    'unavailable_text': 'The cookie preferences centre could not start. No optional cookie is used on this page.',
    'accept_changed': 'Accept these categories',
    'reject_changed': 'Refuse these categories',
    'refuse_effect': 'Refusing changes nothing but the optional services.',
    'providers_link': 'List of providers',
    'exempt_mention': 'Without your consent, we also measure audience anonymously, as the CNIL allows: {exempt}. You can object to it with “Customise”.',
}
