"""How long the admin's consent statistics take on a year of a busy portal's log: a million records in
PostgreSQL.

    .venv/bin/python -m benchmarks.consent_stats [--rows 1000000] [--runs 7]

A private PostgreSQL server (tests/django_log/postgres_kit.py: Debian's binaries, a throw-away cluster),
migrated by the app's own migrations, filled by one INSERT ... SELECT over generate_series (records spread
over 365 days, inserted in time order as the log view appends them; actions, sources, languages and custom
choices in plausible proportions), then ANALYZE.
Each run times what the statistics page computes (banner/django/stats.py): the GROUP BY query (`tally`)
and its split per day, category, source and language (`Statistics`), for the whole year and for the
default 30 days. The median of the runs goes to benchmarks/results/consent_stats.md.
"""

import argparse
import datetime
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests", "django_log")]

FILL = """
INSERT INTO consent_banner_consentrecord
    (received_at, consent_id, decided_at, revision, language, action, accepted, refused, fingerprints,
     banner_version, build, source, once)
SELECT at, substr(md5(i::text), 1, 20), (extract(epoch FROM at) * 1000)::bigint, 3,
       CASE WHEN r2 < 0.8 THEN 'fr' WHEN r2 < 0.95 THEN 'en' ELSE 'de' END,
       action,
       CASE action WHEN 'accept_all' THEN 'analytics,video,audience'
                   WHEN 'custom' THEN (CASE WHEN r2 < 0.5 THEN 'analytics' ELSE 'video' END) ELSE '' END,
       CASE action WHEN 'accept_all' THEN ''
                   WHEN 'custom' THEN (CASE WHEN r2 < 0.5 THEN 'video,audience' ELSE 'analytics,audience' END)
                   ELSE 'analytics,video,audience' END,
       'analytics=4rt2ka,audience=0q7b1s,video=1zz9k3', '0.1.0', 'ab12cd34ef56',
       CASE WHEN r3 < 0.7 THEN 'first_layer' WHEN r3 < 0.85 THEN 'centre' WHEN r3 < 0.9 THEN 'embed' ELSE 'form' END,
       ''
FROM (SELECT i, now() - random() * interval '365 days' AS at, random() AS r2, random() AS r3,
             CASE WHEN r1 < 0.5 THEN 'accept_all' WHEN r1 < 0.8 THEN 'reject_all' WHEN r1 < 0.9 THEN 'custom'
                  WHEN r1 < 0.96 THEN 'withdraw' ELSE 'allow_once' END AS action
      FROM (SELECT i, random() AS r1 FROM generate_series(1, %s) AS i) AS numbered) AS drawn
ORDER BY at
"""


def configure(database):
    import django
    from django.conf import settings
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "banner.django"],
        DATABASES={"default": database}, USE_TZ=True, TIME_ZONE="Europe/Paris",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField", SECRET_KEY="bench",
        CONSENT_BANNER={"MANIFEST": {"revision": 3, "categories": [], "cookies": []}, "LANGUAGES": ["fr", "en"]})
    django.setup()


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "consent_stats.md"))
    args = parser.parse_args(argv)

    import postgres_kit
    server = postgres_kit.Server().start()
    try:
        configure(server.database())
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone
        from banner.django.models import ConsentRecord
        from banner.django.stats import Statistics, tally

        call_command("migrate", verbosity=0, interactive=False)
        fill_s, _ = timed(lambda: connection.cursor().execute(FILL % int(args.rows)))
        connection.cursor().execute("ANALYZE consent_banner_consentrecord")
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        load = os.getloadavg()[0]
        today = timezone.localdate()
        categories, languages = ["analytics", "video", "audience"], ["fr", "en"]
        results = {}
        for label, days in (("a year (365 days)", 365), ("the default 30 days", 30)):
            start = today - datetime.timedelta(days=days - 1)
            query, fold = [], []
            for _ in range(args.runs):
                seconds, rows = timed(lambda start=start: tally(ConsentRecord.objects.all(), start, today))
                query.append(seconds)
                seconds, stats = timed(lambda rows=rows, start=start: Statistics(rows, start, today, categories,
                                                                           languages))
                fold.append(seconds)
            results[label] = (statistics.median(query), statistics.median(fold), len(rows), stats.total)
    finally:
        server.stop()

    lines = ["# Consent statistics on %s records (PostgreSQL %s)" % (format(args.rows, ","), version), "",
             "`python -m benchmarks.consent_stats --rows %d --runs %d`, %s, %d CPU(s), load average %.1f when the "
             "runs began (other work on the machine: above the CPU count, the times are slower than on an idle "
             "machine); filled in %.1f s." % (args.rows, args.runs, datetime.date.today().isoformat(), os.cpu_count(),
                                             load, fill_s), "",
             "| period | GROUP BY query (median) | split per category (median) | groups | decisions counted |",
             "|---|---|---|---|---|"]
    for label, (query, fold, groups, total) in results.items():
        lines.append("| %s | %.0f ms | %.0f ms | %s | %s |" % (label, query * 1000, fold * 1000, format(groups, ","),
                                                              format(total, ",")))
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)


if __name__ == "__main__":
    main()
