"""Built-in interface strings, Dutch: the first layer (start-up bundle)."""

STRINGS = {
    'banner_title': 'Dit portaal gebruikt cookies',
    'banner_purposes': 'Cookies waarvoor uw toestemming nodig is: {purposes}.',
    'banner_text': 'Sommige cookies zijn nodig om het portaal te laten werken. U kunt uw keuze altijd wijzigen via de link ‘Cookie-instellingen’ onderaan de pagina.',
    'changed_text': 'Sinds uw laatste keuze zijn deze categorieën gewijzigd of is uw keuze verlopen: {categories}. De knoppen hieronder gelden alleen voor deze categorieën; uw andere keuzes blijven behouden.',
    'policy_link': 'Cookiebeleid',
    'accept_all': 'Alles accepteren',
    'reject_all': 'Alles weigeren',
    'customise': 'Aanpassen',
    'continue_without': 'Doorgaan zonder te accepteren',
    'language_label': 'Taal',
    'saved': 'Uw keuzes zijn opgeslagen.',
    'close': 'Sluiten',
    'unavailable_title': 'Cookie-instellingen niet beschikbaar',
    'unavailable_text': 'De cookie-instellingen konden niet starten. Op deze pagina worden geen optionele cookies gebruikt.',
    'accept_changed': 'Deze categorieën accepteren',
    'reject_changed': 'Deze categorieën weigeren',
    'refuse_effect': 'Weigeren verandert alleen de optionele diensten.',
    'providers_link': 'Lijst van aanbieders',
    'exempt_mention': 'Zonder uw toestemming meten we ook anoniem het bezoek, zoals de CNIL toestaat: {exempt}. U kunt daartegen bezwaar maken via ‘Aanpassen’.',
}
