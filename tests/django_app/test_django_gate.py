"""{% consent_block %}'s gate (banner.django.gate) in CPython: every input of the hostile corpus
(tests/fixtures/hostile_fragments.json) gives gated output or nothing, never an exception; what is sent is
a tree written back, closed unless sent live; undeclared URLs wherever the browser reads them refuse the
block; the cost grows linearly. tests/browser/test_gate_in_browser.py runs the same corpus in Chromium."""

import json
import logging
import os
import time

import pytest

from banner.django.gate import REFUSED, css_urls, gate, _gate, owners, Refused
from banner.django.html import parse, round_trips, serialize
from banner.manifest import parse_manifest
from djapp_kit import DEMO_MANIFEST, ROOT

with open(os.path.join(ROOT, "tests", "fixtures", "hostile_fragments.json"), encoding="utf-8") as _handle:
    CORPUS = json.load(_handle)


def manifest(hosts=("declared.example",)):
    data = json.loads(json.dumps(DEMO_MANIFEST))
    data["categories"][1]["providers"] = [{"name": "Demo Dashboards", "hosts": list(hosts)}]
    return parse_manifest(data, ["fr", "en"])


MANIFEST = manifest()


def run(fragment, live):
    return gate(fragment, "analytics", MANIFEST, "portal.example", live)


@pytest.mark.parametrize("entry", CORPUS, ids=[e["name"] for e in CORPUS])
@pytest.mark.parametrize("live", [False, True], ids=["closed", "live"])
def test_every_hostile_input_gives_a_block_that_reads_back_the_same_or_nothing(entry, live, caplog):
    with caplog.at_level(logging.ERROR, logger="banner.django"):
        out = run(entry["html"], live)
    if out == REFUSED:
        assert len([r for r in caplog.records if "consent_block" in r.getMessage()]) == 1
        return
    assert round_trips(out, parse(out, "body"))
    nodes = parse(out, "body")
    if not live:                                 # one closed template holding the whole block
        assert len(nodes) == 1 and nodes[0].name == "template" and nodes[0].attrs == [("data-consent", "analytics")]
        assert nodes[0].children == []


@pytest.mark.parametrize("fragment, where", [
    ('<img src="https://t.example/p.gif">', "img src"),
    ('<img srcset="/a.png 1x, https://t.example/b.png 2x">', "srcset"),
    ('<picture><source srcset="https://t.example/a.webp"></picture>', "source srcset"),
    ('<video poster="//t.example/p.jpg"></video>', "poster"),
    ('<object data="https://t.example/o.swf"></object>', "object data"),
    ('<embed src="https://t.example/e">', "embed"),
    ('<link rel="preload" href="https://t.example/f.js" as="script">', "link preload"),
    ('<link rel="stylesheet" href="https://t.example/s.css">', "stylesheet"),
    ('<table background="https://t.example/bg.png"><tr><td>x</td></tr></table>', "background"),
    ('<a href="/page" ping="https://t.example/ping">x</a>', "ping"),
    ('<svg><image href="https://t.example/i.png"></image></svg>', "svg href"),
    ('<svg><image xlink:href="https://t.example/i.png"></image></svg>', "xlink:href"),
    ('<svg><script href="https://t.example/s.js"></script></svg>', "svg script"),
    ('<svg><image><set attributeName="href" to="https://t.example/s.png"></set></image></svg>', "svg set"),
    ('<svg><image><animate attributeName="xlink:href" values="/own.png;https://t.example/a.png"></animate>'
     '</image></svg>', "svg animate values"),
    ('<svg><rect><set attributeName="style" to="fill: url(https://t.example/f.svg#g)"></set></rect></svg>',
     "svg set style"),
    ('<div style="background: url(https://t.example/b.png)">x</div>', "style url"),
    ('<style>@import "https://t.example/i.css";</style>', "@import"),
    ('<div style="background-image: image-set(\'https://t.example/a.png\' 1x)">x</div>', "image-set"),
    ('<svg><rect fill="url(https://t.example/f.svg#g)"></rect></svg>', "presentation url()"),
    ('<iframe srcdoc="&lt;img src=https://t.example/p.gif&gt;"></iframe>', "srcdoc"),
    ('<noscript><img src="https://t.example/tr"></noscript>', "noscript pixel"),
    ('<script src="/own.js" src="https://t.example/x.js"></script><script src="https://t.example/y.js"></script>',
     "a second script"),
    ('<iframe data-provider="Other" src="/m"></iframe>', "data-provider"),
    ('<img src="https://T.EXAMPLE/p.gif">', "upper case"),
    ('<img src="https:\\\\t.example/p.gif">', "backslashes"),
])
@pytest.mark.parametrize("live", [False, True], ids=["closed", "live"])
def test_an_undeclared_url_wherever_the_browser_reads_it_refuses_the_block(fragment, where, live):
    assert run(fragment, live) == REFUSED, where


@pytest.mark.parametrize("fragment", [
    '<img src="https://declared.example/p.gif" srcset="//cdn.declared.example/a.png 2x">',
    '<script src="https://declared.example/t.js" async></script><noscript><img src="https://declared.example/p"></noscript>',
    '<div style="background: url(/own.png)"><svg><use href="#icon"></use></svg></div>',
    '<iframe data-provider="Demo Dashboards" src="https://declared.example/embed" title="Carte"></iframe>',
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">',
    '<svg><image><animate attributeName="href" values="/a.png;https://declared.example/b.png"></animate></image>'
    '<rect><animate attributeName="width" from="0" to="10" dur="1s"></animate></rect></svg>',
])
def test_declared_urls_and_the_pages_own_go_live_when_accepted(fragment):
    out = run(fragment, True)
    assert out != REFUSED and "<template data-consent" not in out
    assert out.startswith(LIVE_MARK) and out.count("<template") == 1


LIVE_MARK = '<template data-cb-live="analytics"></template>'
PLAYER = "https://declared.example/player.html"


@pytest.mark.parametrize("fragment", [
    '<object data="%s" type="text/html"></object>' % PLAYER,
    '<embed src="%s" type="text/html">' % PLAYER,
    '<iframe srcdoc="&lt;script src=%s&gt;&lt;/script&gt;"></iframe>' % PLAYER,
    '<p>Lecteur : <iframe src="%s" title="Lecteur"></iframe></p>' % PLAYER,
    '<img src="https://declared.example/p.gif" alt="">',
])
def test_a_live_block_tells_the_page_its_category_ran_whatever_it_holds(fragment):
    """Nothing of these can be taken back by the page: its mark counts the category as run (a withdrawal
    reloads), one mark per block, before what it holds."""
    nodes = parse(run(fragment, True), "body")
    marks = [n for n in nodes if hasattr(n, "name") and n.name == "template"]
    assert nodes[0] is marks[0] and len(marks) == 1
    assert marks[0].attrs == [("data-cb-live", "analytics")] and marks[0].content == []


def test_a_live_block_of_text_alone_needs_no_mark():
    assert run("Bonjour &amp; bienvenue", True) == "Bonjour &amp; bienvenue"


@pytest.mark.parametrize("live", [False, True], ids=["closed", "live"])
def test_a_mark_written_in_the_block_itself_is_dropped(live):
    """Only the server says a block went live: a mark in the block, naming another category or not, is
    left out (closed: it would count once opened; live: it would name what did not run)."""
    out = run('<template data-cb-live="ads"></template><div data-cb-live=""><img src="/a.png" alt=""></div>', live)
    assert out.count("data-cb-live") == (1 if live else 0)
    if live:
        assert out.startswith(LIVE_MARK)


@pytest.mark.parametrize("fragment, why", [
    ('<base href="https://declared.example/">', "<base>"),
    ('<meta http-equiv="Refresh" content="0;url=/">', "refresh"),
    ('<div style="background: u\\72l(https://t.example/x)">x</div>', "escapes"),
    ('<iframe src="javascript:alert(1)"></iframe>', "javascript:"),
    ('<object data="data:text/html,<script>alert(1)</script>"></object>', "data: document"),
    ('<plaintext>x', "plaintext"),
])
def test_what_cannot_be_judged_or_changes_the_whole_page_is_refused_even_when_declared(fragment, why):
    assert run(fragment, True) == REFUSED, why


def test_a_closed_block_keeps_scripts_and_iframes_in_the_static_contract():
    out = run('<p>x</p><script src="/a.js" type="module" async></script><iframe src="/m" title="t"></iframe>'
              '<svg><script href="/s.js"></script></svg>', False)
    template = parse(out, "body")[0]
    script, frame = template.content[1], template.content[2]
    assert script.attrs == [("type", "text/plain"), ("data-consent", "analytics"), ("data-src", "/a.js"),
                            ("data-type", "module"), ("async", "")]
    assert frame.attrs == [("title", "t"), ("data-consent", "analytics"), ("data-src", "/m")]
    svg_script = template.content[3].children[0]
    assert ("data-src", "/s.js") in svg_script.attrs and not any(k == "href" for k, _ in svg_script.attrs)


def test_what_is_sent_is_the_tree_the_browser_reads_not_the_input_text():
    # html.parser read the comment on to the next "-->": browsers end it at "<!-->", so the script is live
    out = run("<!--><script>window.x = 1</script>-->", False)
    template = parse(out, "body")[0]
    assert [n.name for n in template.content if hasattr(n, "name")] == ["script"]
    assert template.content[1].attrs[0] == ("type", "text/plain")
    # a duplicated attribute: the first one is the browser's, and the only one sent
    assert run('<img src="/a.png" src="https://t.example/b.png">', True) == LIVE_MARK + '<img src="/a.png">'


def test_css_urls_are_read_in_every_form():
    text = "a{b:url( 'x' ) url(\"y\") url(z)} @import 'i.css'; @import url(j.css); c{d:image-set('k' 1x, \"l\" 2x)}"
    assert sorted(css_urls(text, "style")) == ["i.css", "j.css", "k", "l", "x", "y", "z"]
    with pytest.raises(Refused):
        css_urls("a{b:\\75rl(x)}", "style")


@pytest.mark.parametrize("make", [lambda n: "<a " * n, lambda n: "<div>" * min(n, 150) + "x" * n,
                                  lambda n: ("<p title='%s'>x</p>" % ("y" * 50)) * (n // 60),
                                  lambda n: "<!--" * (n // 4)],
                         ids=["open-tags", "text", "attributes", "comment-openers"])
def test_the_cost_grows_linearly_with_the_block(make):
    """One 100 KB block against ten 10 KB ones, the same bytes: a linear gate costs about the same, a
    quadratic one ten times more. The two are timed in turns, the best of 7 each, so a busy machine slows
    both alike (timing the 10 KB block alone, its best run fell in a quiet moment the longer one never got)."""
    small, large = make(10000), make(100000)

    def timed(blocks):
        started = time.perf_counter()
        for block in blocks:
            _gate(block, "analytics", MANIFEST, "portal.example", False)      # not the kept answer
        return time.perf_counter() - started

    tens, whole = [], []
    for _ in range(7):
        tens.append(timed([small] * 10))
        whole.append(timed([large]))
    assert min(whole) < 0.5, "a 100 KB block took %.0f ms" % (min(whole) * 1000)
    assert min(whole) < min(tens) * 2.5, "one 100 KB block took %.1fx ten 10 KB ones" % (min(whole) / min(tens))


def test_a_block_nested_deeper_than_browsers_build_is_refused_not_a_500(caplog):
    with caplog.at_level(logging.ERROR, logger="banner.django"):
        assert run("<div>" * 1000 + "x", True) == REFUSED
    assert serialize(parse("<div>" * 50 + "x")).count("<div>") == 50


def test_the_answer_for_a_block_is_kept_and_follows_the_categorys_providers(caplog):
    fragment = '<img src="https://declared.example/p.gif">'
    with caplog.at_level(logging.ERROR, logger="banner.django"):
        assert run(fragment, True) != REFUSED
        assert gate(fragment, "analytics", manifest(hosts=("other.example",)), "portal.example", True) == REFUSED
        assert gate(fragment, "analytics", manifest(hosts=("other.example",)), "portal.example", True) == REFUSED
    assert len(caplog.records) == 1                    # a refusal kept is logged once


@pytest.mark.parametrize("fragment, expected", [
    ('<img src="https://declared.example/a.png">', {"Demo Dashboards"}),
    ('<iframe data-provider="Demo Dashboards" src="/embed.html"></iframe>', {"Demo Dashboards"}),
    ('<div data-provider="Demo Dashboards"><img src="/own.png"></div>', {"Demo Dashboards", None}),
    ('<iframe srcdoc="&lt;img src=https://declared.example/p.gif&gt;"></iframe>', {"Demo Dashboards"}),
    ('<img src="/own.png"><img src="https://declared.example/a.png">', {None, "Demo Dashboards"}),
    ('<p>text only</p>', {None}),
    ('<img src="https://undeclared.example/a.png">', None),
], ids=["host", "named", "named-on-another-element", "srcdoc", "own-and-host", "nothing", "refused"])
def test_the_providers_a_block_holds_are_those_its_urls_and_data_provider_attributes_name(fragment, expected):
    found = owners(fragment, "analytics", MANIFEST, "portal.example")
    assert (None if found is None else set(found)) == expected
