"""Kept so that tests written before the kits were merged still import; use browser_kit."""

from browser_kit import *  # noqa: F401,F403
