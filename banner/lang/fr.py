"""Built-in interface strings, French: the first layer (start-up bundle)."""

STRINGS = {
    'banner_title': 'Ce portail utilise des cookies',
    'banner_purposes': 'Cookies soumis à votre accord : {purposes}.',
    'banner_text': "Certains cookies sont nécessaires au fonctionnement du portail. Vous pouvez changer d'avis à tout moment avec le lien « Gestion des cookies » en bas de page.",
    'changed_text': 'Depuis votre dernier choix, ces catégories ont changé ou votre choix a expiré : {categories}. Les boutons ci-dessous ne portent que sur ces catégories ; vos autres choix sont conservés.',
    'policy_link': 'Politique de cookies',
    'accept_all': 'Tout accepter',
    'reject_all': 'Tout refuser',
    'customise': 'Personnaliser',
    'continue_without': 'Continuer sans accepter',
    'language_label': 'Langue',
    'saved': 'Vos choix ont été enregistrés.',
    'close': 'Fermer',
    'unavailable_title': 'Gestion des cookies indisponible',
    'unavailable_text': "Le centre de gestion des cookies n'a pas pu démarrer. Aucun cookie optionnel n'est utilisé sur cette page.",
    'accept_changed': 'Accepter ces catégories',
    'reject_changed': 'Refuser ces catégories',
    'refuse_effect': "Refuser ne change rien d'autre que les services optionnels.",
    'providers_link': 'Liste des prestataires',
    'exempt_mention': "Sans votre accord, nous mesurons aussi l'audience de façon anonyme, comme la CNIL le permet : {exempt}. Vous pouvez vous y opposer avec « Personnaliser ».",
}
