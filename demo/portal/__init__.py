"""The demo portal as a real Django project: the banner's Django app (banner.django) on pages shaped like
an Opendatasoft portal's, in French and English (LocaleMiddleware), with the admin."""
