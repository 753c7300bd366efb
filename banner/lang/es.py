"""Built-in interface strings, Spanish: the first layer (start-up bundle)."""

STRINGS = {
    'banner_title': 'Este portal utiliza cookies',
    'banner_purposes': 'Cookies que requieren su consentimiento: {purposes}.',
    'banner_text': 'Algunas cookies son necesarias para el funcionamiento del portal. Puede cambiar de opinión en cualquier momento con el enlace «Configuración de cookies» al pie de la página.',
    'changed_text': 'Desde su última elección, estas categorías han cambiado o su elección ha caducado: {categories}. Los botones de abajo solo se aplican a estas categorías; sus demás elecciones se conservan.',
    'policy_link': 'Política de cookies',
    'accept_all': 'Aceptar todo',
    'reject_all': 'Rechazar todo',
    'customise': 'Personalizar',
    'continue_without': 'Continuar sin aceptar',
    'language_label': 'Idioma',
    'saved': 'Sus elecciones se han guardado.',
    'close': 'Cerrar',
    'unavailable_title': 'Configuración de cookies no disponible',
    'unavailable_text': 'La configuración de cookies no pudo iniciarse. En esta página no se utiliza ninguna cookie opcional.',
    'accept_changed': 'Aceptar estas categorías',
    'reject_changed': 'Rechazar estas categorías',
    'refuse_effect': 'Rechazar solo cambia los servicios opcionales.',
    'providers_link': 'Lista de proveedores',
    'exempt_mention': 'Sin su consentimiento, también medimos la audiencia de forma anónima, como lo permite la CNIL: {exempt}. Puede oponerse con «Personalizar».',
}
