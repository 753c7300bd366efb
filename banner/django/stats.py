"""Consent statistics for the admin: per day and per category, how many decisions accepted, refused or
withdrew it, by source and language, over a chosen period. Aggregate only: one GROUP BY query returns
counts, never a row of the log, and nothing about a visitor leaves it.

The query groups the period's records by day, source, language, action and the accepted and refused
lists as stored: a year of a busy portal's log is a few thousand groups (the lists take few distinct
values), which are then split per category here. `benchmarks/consent_stats.py` times it on a million
rows in PostgreSQL.

What counts: a decision accepting a category is an acceptance of it; refusing it, a refusal; a
withdrawal refusing it, a withdrawal. "Allowed once" decides nothing and is left out.

The charts are plain numbers (`bars`): the admin's template draws them as SVG, every text in it escaped
by Django's autoescape, and writes the same numbers as a table.
"""

import datetime

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

OUTCOMES = ("accepted", "refused", "withdrew")
OTHER = "other"
MAX_DAYS = 3660


def tally(queryset, start, end):
    """[(day, source, language, action, accepted, refused, count)] for the records received from `start`
    to `end` (dates, both included, in the current time zone)."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    since = datetime.datetime.combine(start, datetime.time())
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
    if zone is not None:
        since, until = timezone.make_aware(since, zone), timezone.make_aware(until, zone)
    rows = (queryset.filter(received_at__gte=since, received_at__lt=until).exclude(action="allow_once")
            .annotate(day=TruncDate("received_at", tzinfo=zone))
            .values_list("day", "source", "language", "action", "accepted", "refused")
            .annotate(n=Count("id")).order_by())
    return list(rows)


class Statistics:
    """The period's counts: `days[category][day] = [accepted, refused, withdrew]`, and the same per source
    and per language (languages the portal does not offer count under "other")."""

    def __init__(self, rows, start, end, categories, languages, source=None, language=None):
        self.start, self.end = start, end
        self.categories = list(categories)
        span = (end - start).days + 1
        self.day_list = [start + datetime.timedelta(days=i) for i in range(span)]
        self.days = {c: {d: [0, 0, 0] for d in self.day_list} for c in self.categories}
        self.sources, self.languages = {}, {}
        self.total = 0
        for day, src, lang, action, accepted, refused, n in rows:
            lang = lang if lang in languages else OTHER
            if (source and src != source) or (language and lang != language):
                continue
            self.total += n
            for category, outcome in self._outcomes(action, accepted, refused):
                if category not in self.days or day not in self.days[category]:
                    continue
                self.days[category][day][outcome] += n
                self._add(self.sources, src or OTHER, category, outcome, n)
                self._add(self.languages, lang, category, outcome, n)

    def _add(self, table, key, category, outcome, n):
        counts = table.setdefault(key, {c: [0, 0, 0] for c in self.categories})
        counts[category][outcome] += n

    @staticmethod
    def _outcomes(action, accepted, refused):
        for category in accepted.split(",") if accepted else ():
            yield category, 0
        for category in refused.split(",") if refused else ():
            yield category, 2 if action == "withdraw" else 1


def bars(series, width=720, height=180):
    """Stacked bars for `series` ([(label, [accepted, refused, withdrew])]): the geometry the template
    draws, [{label, x, w, parts: [{y, h, value, outcome}], tick}], and the scale's top value."""
    top = max([sum(v) for _, v in series] + [1])
    step = width / max(len(series), 1)
    every = max(1, len(series) // 8)            # a date under one bar in `every`: eight labels at most
    drawn = []
    for i, (label, values) in enumerate(series):
        y, parts = height, []
        for outcome, value in zip(OUTCOMES, values):
            h = value * height / top
            y -= h
            parts.append({"y": round(y, 2), "h": round(h, 2), "value": value, "outcome": outcome})
        drawn.append({"label": label, "x": round(i * step + step * 0.1, 2), "w": round(step * 0.8, 2),
                      "parts": parts, "total": sum(values), "tick": i % every == 0})
    return drawn, top
