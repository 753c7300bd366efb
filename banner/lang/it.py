"""Built-in interface strings, Italian: the first layer (start-up bundle)."""

STRINGS = {
    'banner_title': 'Questo portale utilizza i cookie',
    'banner_purposes': 'Cookie che richiedono il suo consenso: {purposes}.',
    'banner_text': 'Alcuni cookie sono necessari al funzionamento del portale. Può cambiare idea in qualsiasi momento con il link «Impostazioni cookie» in fondo alla pagina.',
    'changed_text': 'Dalla sua ultima scelta queste categorie sono cambiate o la sua scelta è scaduta: {categories}. I pulsanti qui sotto valgono solo per queste categorie; le altre scelte restano valide.',
    'policy_link': 'Informativa sui cookie',
    'accept_all': 'Accetta tutto',
    'reject_all': 'Rifiuta tutto',
    'customise': 'Personalizza',
    'continue_without': 'Continua senza accettare',
    'language_label': 'Lingua',
    'saved': 'Le sue scelte sono state salvate.',
    'close': 'Chiudi',
    'unavailable_title': 'Impostazioni cookie non disponibili',
    'unavailable_text': 'Le impostazioni dei cookie non si sono avviate. In questa pagina non viene usato alcun cookie facoltativo.',
    'accept_changed': 'Accetta queste categorie',
    'reject_changed': 'Rifiuta queste categorie',
    'refuse_effect': 'Rifiutare cambia solo i servizi facoltativi.',
    'providers_link': 'Elenco dei fornitori',
    'exempt_mention': "Senza il suo consenso, misuriamo anche l'audience in modo anonimo, come consente la CNIL: {exempt}. Può opporsi con «Personalizza».",
}
