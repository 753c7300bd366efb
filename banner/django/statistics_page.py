"""The admin's statistics page: the period and filters read from the query string (a GET form, so the page
works without JavaScript and every view has its URL), the counts (banner/django/stats.py), and for each
category a chart's geometry and the table that says the same in words.

The category titles come from the published manifest, in the admin's language when it has one; they and
every other text reach the page only through the template (templates/admin/consent_banner/statistics.html),
which escapes them.
"""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..record import SOURCES
from .models import SOURCE_LABELS
from .stats import MAX_DAYS, OTHER, OUTCOMES, Statistics, bars, tally

DEFAULT_DAYS = 30
OUTCOME_LABELS = {"accepted": _("accepted"), "refused": _("refused"), "withdrew": _("withdrew")}


def _date(text, default):
    try:
        return datetime.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def period(query):
    """(start, end) from ?start=YYYY-MM-DD&end=YYYY-MM-DD: the last DEFAULT_DAYS days by default, never
    more than MAX_DAYS, start never after end."""
    today = timezone.localdate()
    end = _date(query.get("end"), today)
    start = _date(query.get("start"), end - datetime.timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        start, end = end, start
    if (end - start).days >= MAX_DAYS:
        start = end - datetime.timedelta(days=MAX_DAYS - 1)
    return start, end


def _titles(manifest, language):
    """{category id: title} in the admin's language (else the manifest's first), optional categories only."""
    found = {}
    for category in manifest.get("categories", []):
        if category.get("required"):
            continue
        title = category.get("title")
        if isinstance(title, dict):
            title = title.get(language) or next(iter(title.values()), category["id"])
        found[category["id"]] = str(title)
    return found


def _known_manifest():
    from .portal import manifest_data
    try:
        return manifest_data()
    except Exception:               # a broken setting: the categories found in the log still count
        return {"categories": []}


def _languages():
    from .portal import languages
    try:
        return languages()
    except Exception:
        return []


def context(request, queryset):
    start, end = period(request.GET)
    source = request.GET.get("source") if request.GET.get("source") in SOURCES else None
    codes = _languages()
    language = request.GET.get("language") if request.GET.get("language") in codes + [OTHER] else None
    titles = _titles(_known_manifest(), (translation.get_language() or "").split("-")[0])
    rows = tally(queryset, start, end)
    found = sorted({c for r in rows for text in r[4:6] if text for c in text.split(",")} - set(titles))
    categories = list(titles) + found
    stats = Statistics(rows, start, end, categories, codes, source, language)
    charts = []
    for category in categories:
        series = [(day, stats.days[category][day]) for day in stats.day_list]
        drawn, top = bars(series)
        for bar in drawn:
            for part in bar["parts"]:
                part["label"] = OUTCOME_LABELS[part["outcome"]]
        totals = [sum(v[i] for _, v in series) for i in range(len(OUTCOMES))]
        charts.append({"id": category, "title": titles.get(category, category), "bars": drawn, "top": top,
                       "days": [{"day": d, "counts": v} for d, v in series if sum(v)], "totals": totals,
                       "summary": [(OUTCOME_LABELS[o], n) for o, n in zip(OUTCOMES, totals)]})
    return {
        "start": start, "end": end, "source": source or "", "language": language or "",
        "sources": [(s, SOURCE_LABELS[s]) for s in SOURCES], "languages": codes + [OTHER],
        "outcomes": [(o, OUTCOME_LABELS[o]) for o in OUTCOMES], "charts": charts, "total": stats.total,
        "breakdowns": [(_breakdown(stats.sources, categories, titles, lambda s: SOURCE_LABELS.get(s, s)),
                        _("By source")),
                       (_breakdown(stats.languages, categories, titles, str), _("By language"))],
    }


def _breakdown(table, categories, titles, label):
    """A per-source or per-language table: its category columns, and a row per key with [a, r, w] per column."""
    return {"columns": [titles.get(c, c) for c in categories],
            "rows": [{"label": label(key), "cells": [table[key][c] for c in categories]} for key in sorted(table)]}
