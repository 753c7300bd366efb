"""The thin shell that runs only in the page (Brython): it renders state and forwards events.

Only this package imports `browser` and `javascript`; every decision is taken by the core (banner.*).
"""
