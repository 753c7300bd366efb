"""The one console error of a failed start-up ends by saying what the visitor can rely on: nothing optional
runs, or, when the loader had already run a return visitor's consented scripts, which categories did."""

from banner.errors import fail_closed


def test_without_early_scripts_the_error_says_optional_cookies_stay_refused():
    assert fail_closed([]) == " — optional cookies stay refused."


def test_after_early_scripts_the_error_names_each_category_that_ran_once():
    ending = fail_closed(["analytics", "video", "analytics"])
    assert "stay refused" not in ending
    assert ending.endswith("had already run: analytics, video.")
