"""The built-site link check's reading of a page: what `page_links` finds on edge cases, that it
finds what the tokenizer's rule written plainly finds (one token at each '<', read in Python), and
that on well-formed HTML both find what the standard library's HTMLParser finds.

The fast reader skips most tags inside the regex engine; these tests pin that it changes nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from papernotes.engine.linkcheck import check_site, page_links
from support import parser_links

# --- the tokenizer's rule, written plainly -------------------------------------------------------
# At each '<', the first of comment, script/style element (its content skipped) and start tag that
# matches is the token; every start tag that may hold one of the four attributes is read in Python.

_ATTRS = r"""(?:[^'">]++|"[^"]*+"|'[^']*+')*+"""
PLAIN_TOKENS = re.compile(
    r"<!--.*?-->"
    r"|<(?P<raw>script|style)(?=[\s/>])(?P<rawattrs>" + _ATTRS + r")>.*?</(?P=raw)"
    r"|<(?P<tag>[a-zA-Z][^\t\n\r\f />\x00]*)(?P<attrs>" + _ATTRS + r")>",
    re.DOTALL | re.IGNORECASE,
)
PLAIN_ATTR = re.compile(r"""([^\s/>=][^\s/=>]*)(?:\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")  # HTMLParser's attrfind
PLAIN_WANTED = re.compile(r"(?:id|name|href|src)\s*=", re.IGNORECASE)
LINKING = {"href": {"a", "link", "area"}, "src": {"img", "script", "source", "iframe"}}


def plain_links(text: str) -> tuple[set[str], list[str]]:
    """The ids and links of a page, token by token."""
    ids: set[str] = set()
    links: list[str] = []
    for m in PLAIN_TOKENS.finditer(text):
        tag, attrs = (m.group("tag"), m.group("attrs")) if m.group("tag") else (m.group("raw"), m.group("rawattrs"))
        if tag is None or not attrs or not PLAIN_WANTED.search(attrs):
            continue
        tag = tag.lower()
        for found in PLAIN_ATTR.finditer(attrs):
            name, value = found.group(1).lower(), found.group(2)
            if value is None:
                continue
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            value = html.unescape(value) if "&" in value else value
            if name == "id" or (name == "name" and tag == "a"):
                ids.add(value)
            elif tag in LINKING.get(name, ()):
                links.append(value)
    return ids, links


def fast_links(text: str) -> tuple[set[str], list[str]]:
    found = page_links(text)
    return found.ids, found.links


# --- edge cases ------------------------------------------------------------------------------------

# (page, ids, links): read alike by page_links, the plain rule and HTMLParser
AS_HTML_PARSER_READS = [
    ('<!-- <p id="c"> <a href="c.html"> --><p id="real">', {"real"}, []),  # an id inside a comment is not an id
    ('<script>var s = \'<a href="s.html">\'; // <p id="s"></script><a href="after.html">', set(), ["after.html"]),  # nor a link in a script
    ('<style>a[href="x"]{} <p id="t"></style><p id="u">', {"u"}, []),
    ('<script src="app.js"></script>', set(), ["app.js"]),
    ('<SCRIPT SRC="UP.js">document.write("<a href=\'w\'>")</SCRIPT >', set(), ["UP.js"]),
    ('<a title="a > b" href="q.html">', set(), ["q.html"]),  # a quoted '>' does not end the tag
    ('<a href="x>y.html">', set(), ["x>y.html"]),
    ("<a href='single.html' id='sq'>", {"sq"}, ["single.html"]),
    ("<a href=plain.html>", set(), ["plain.html"]),  # unquoted values
    ("<a href=plain/>", set(), ["plain/"]),
    ("<input type=checkbox id=__drawer>", {"__drawer"}, []),
    ("<p class=x id=y>", {"y"}, []),
    ('<A HREF="UPPER.html">', set(), ["UPPER.html"]),  # names in any case; values as written
    ('<DIV ID="Upper">', {"Upper"}, []),
    ('<a Name="nm">', {"nm"}, []),
    ('<a href="a&amp;b.html">', set(), ["a&b.html"]),  # entities in values are decoded
    ('<h2 id="x&lt;y">', {"x<y"}, []),
    ('<a href="p&q">', set(), ["p&q"]),
    ('<a href="&#x41;&#66;">', set(), ["AB"]),
    ("<a href>", set(), []),  # an attribute without a value
    ("<img src>", set(), []),
    ('<img src="i.png" alt="">', set(), ["i.png"]),
    ('<meta name="viewport">', set(), []),  # `name` is an id on <a> only
    ('<base href="/">', set(), []),  # `href` is a link on a, link and area; `src` on img, script, source and iframe
    ('<link rel="stylesheet" href="s.css"><area href="m.html"><iframe src="f.html"><source src="v.mp4">', set(), ["s.css", "m.html", "f.html", "v.mp4"]),
    ('<a data-id="d" hreflang="en" src="nope">', set(), []),
    ('<abbr title="id=x" id="real">', {"real"}, []),  # '=' inside a quoted value of another attribute
    ("<a title='href=\"fake.html\"'>", set(), []),
    ('<a href = "spaced.html">', set(), ["spaced.html"]),
    ('<a href=="double.html">', set(), ["double.html"]),
    ('<a\thref="tab.html"\nid="nl">', {"nl"}, ["tab.html"]),
    ('<br/><a href="b.html"/>', set(), ["b.html"]),
    ('<a/href="slash.html">', set(), ["slash.html"]),
    ('a < b <3 </a> <a href="ok.html">', set(), ["ok.html"]),  # a '<' that starts no tag
    ('<p id="a" id="b"><p id="">', {"a", "b", ""}, []),
    ('<a id="i1" name="n1" href="h1">', {"i1", "n1"}, ["h1"]),
    ('<a class="x" href="p.html" title="t"><a href="p.html" class="x" id="both">', {"both"}, ["p.html", "p.html"]),
    ('<a href="#frag"><a href="">', set(), ["#frag", ""]),
    ('<div id="d1"><span id="d2"></span></div>', {"d1", "d2"}, []),
    ('<a"b href="x.html">', set(), []),  # a quote in a tag name
    ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head>', set(), []),
    ('<p\x00id="z">', set(), []),
    ('<ſcript>x</script><a href="after-long-s.html">', set(), ["after-long-s.html"]),  # a letter that matches 's' only ignoring case
]

# Broken markup, where the tokenizer reads on as it always has and HTMLParser does not
BROKEN_MARKUP = [
    ('<a href="unclosed.html><p id="later">', {"later"}, []),  # a quote that never closes: not a tag, read on after its '<'
    ('<!-- never closed <a href="in.html">', set(), ["in.html"]),  # a comment that never closes is no comment
    ('<script src="a.js"><a href="no-close.html">', set(), ["a.js", "no-close.html"]),  # nor a script
    ('<a b"c="d" id="e">', set(), []),  # a quote in an attribute name
]


@pytest.mark.parametrize(("page", "ids", "links"), AS_HTML_PARSER_READS)
def test_a_page_is_read_as_html_parser_reads_it(page: str, ids: set[str], links: list[str]) -> None:
    assert fast_links(page) == (ids, links)
    assert plain_links(page) == (ids, links)
    assert parser_links(page) == (ids, links)


@pytest.mark.parametrize(("page", "ids", "links"), BROKEN_MARKUP)
def test_broken_markup_is_read_as_the_tokenizer_always_has(page: str, ids: set[str], links: list[str]) -> None:
    assert fast_links(page) == plain_links(page) == (ids, links)
    assert parser_links(page) != (ids, links)  # the cases do differ from HTMLParser, so they stay listed here


# --- the fast reader against the plain rule, on anything -------------------------------------------

HTML_TOKENS = ["<", ">", "</", "<!--", "-->", "<!", "/", "=", "==", '"', "'", "`", " ", "\t", "\n", "\v", "\f", "\x00", "\xa0", "\u2003"]
HTML_TOKENS += ["&amp;", "&", "&#x41;", "x", "-", "\u017f", "\u0130", "\u0131", "\u212a"]  # ſ, İ, ı, K (Kelvin): ASCII letters when case is ignored
HTML_TOKENS += ["<a", "<A", "<a ", "<img", "<div", "<input", "<link", "<iframe", "<source", "<area", "<span", "<meta", "<base", "<br/>", "<p\tid=p>"]
HTML_TOKENS += [" href", " HREF", " id", "id", " Id", " name", " src", " SRC", "href=", "id=", "src=", ' id="i"', ' href="#f"', " data-id", " hreflang"]
HTML_TOKENS += [" class=", "=x", '="', "<script", "<script>", "</script", "</script>", "<sCript ", "<style", "</style>", "</STYLE", "<ſcript>", "</ſcript"]
HTML_TOKENS += ['<a href="x">', "<a href='y'>", '<h2 id="h">', "<p id='q' class=\"r\">", "<a name=n>", '<meta name="v" content="a=b">']
HTML_TOKENS += ['<a class="x" href="p&amp;q">']


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(HTML_TOKENS) | st.text(max_size=4), max_size=40).map("".join))
@example('<a href="x" id="y"><a class="c" href="z&amp;"><h2 id="h" class="k">')
@example('<a"b href=\'x\'><a b"c="d" id="e"><script id=s><a href=in></script><a href=out>')
@example('<a href="unclosed><p id=later><!-- <p id=c> --><style><a href=s></style >')
@example("<ſcript><a href=a></script><a href=b>")
def test_the_fast_reader_finds_what_the_plain_rule_finds(page: str) -> None:
    assert fast_links(page) == plain_links(page)


# --- both against HTMLParser, on well-formed HTML ---------------------------------------------------

VALUE_TEXT = st.lists(st.sampled_from([*"aZ09 ./#?=-_:<>'\"&é", "&amp;", "&lt;", "&#39;", "id=", "href=", "src="]), max_size=12).map("".join)
NAMES = ["id", "ID", "name", "href", "HREF", "src", "class", "title", "data-id", "hreflang", "alt", "rel", "type", "content"]
TAGS = ["a", "A", "p", "div", "img", "link", "input", "h2", "meta", "span", "area", "iframe", "source", "base", "abbr", "br"]


@st.composite
def attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(NAMES))
    value = draw(VALUE_TEXT)
    style = draw(st.sampled_from(["double", "single", "bare", "none"]))
    if style == "none":
        return " " + name
    if style == "bare" and value and re.fullmatch(r"[^\s\"'=<>`]+", value):
        return f" {name}={value}"
    if style == "single" and "'" not in value:
        return f" {name}='{value}'"
    return f' {name}="{value.replace(chr(34), "&quot;")}"'


@st.composite
def element(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["tag", "tag", "tag", "end", "text", "comment", "script", "style"]))
    inner = draw(st.sampled_from(['<a href="in.html">', '<p id="in">', "a < b", "x", "", "-- ->", "<!-- -- >"]))
    if kind == "tag":
        attrs = "".join(draw(st.lists(attribute(), max_size=4)))
        return f"<{draw(st.sampled_from(TAGS))}{attrs}{draw(st.sampled_from(['', ' ', '/']))}>"
    if kind == "end":
        return f"</{draw(st.sampled_from(TAGS))}>"
    if kind == "text":
        return draw(st.sampled_from(["text", "a &lt; b", "a < b", "&amp;", "\n", "é", "1 <= 2"]))
    if kind == "comment":
        return f"<!-- {inner} -->"
    attrs = "".join(draw(st.lists(attribute(), max_size=2)))
    return f"<{kind}{attrs}>{inner}</{kind}>"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(element(), max_size=25).map("".join))
def test_well_formed_html_is_read_as_html_parser_reads_it(page: str) -> None:
    assert fast_links(page) == parser_links(page)


# --- resolving the links ---------------------------------------------------------------------------

ROOT_PAGE = """<p id="x"></p>
<a href="a/"><a href="a"><a href="a/index.html"><a href="a/#top"><a href="a/#nope"><a href="b/"><a href="#x"><a href="#missing">
<a href="?q=1"><a href="./"><a href="."><a href=".."><a href="../x"><a href="/a/"><a href="/kb/a/"><a href="/kb/a/#top"><a href="/kb/nope/">
<a href="https://e.org/"><a href="mailto:x"><a href="//cdn/x"><a href="data:x"><a href=""><a href="a%2Findex.html"><a href="a/%23top">
<img src="img.png"><a href="img.png#frag"><a href="c d/"><a href="c%20d/#sp"><a href="x:y"><a href="a/index.html?v=1#top"><a href="a/#%74op">
<link href="missing.css"><script src="app.js"></script><a href="a/#top"><a href="/"><a href="/kb/"><a href="/kb"><a href="img.png/">
"""
SUB_PAGE = '<h1 id="top">A</h1><a href="../index.html#x"><a href="../#x"><a href="../"><a href="../../out"><a href="/"><a href="#top"><a href="#x">'
SUB_PAGE += '<img src="/img.png"><img src="/kb/img.png">'
BROKEN_UNDER_ROOT = [
    "site/404.html: #nowhere: no element with id 'nowhere'",
    "site/404.html: /kb/a/: no such file",
    "site/a/index.html: #x: no element with id 'x'",
    "site/a/index.html: ../../out: leaves the site",
    "site/a/index.html: /kb/img.png: no such file",
    "site/index.html: #missing: no element with id 'missing'",
    "site/index.html: ..: leaves the site",
    "site/index.html: ../x: leaves the site",
    "site/index.html: /kb: no such file",
    "site/index.html: /kb/: no such file",
    "site/index.html: /kb/a/: no such file",
    "site/index.html: /kb/a/#top: no such file",
    "site/index.html: /kb/nope/: no such file",
    "site/index.html: a/#nope: no element with id 'nope'",
    "site/index.html: a/%23top: no such file",
    "site/index.html: app.js: no such file",
    "site/index.html: b/: no such file",
    "site/index.html: img.png/: no such file",
    "site/index.html: missing.css: no such file",
]
BROKEN_UNDER_KB = [
    "site/404.html: #nowhere: no element with id 'nowhere'",
    "site/a/index.html: #x: no element with id 'x'",
    "site/a/index.html: ../../out: leaves the site",
    "site/a/index.html: /: absolute path outside the site's base /kb/",
    "site/a/index.html: /img.png: absolute path outside the site's base /kb/",
    "site/index.html: #missing: no element with id 'missing'",
    "site/index.html: ..: leaves the site",
    "site/index.html: ../x: leaves the site",
    "site/index.html: /: absolute path outside the site's base /kb/",
    "site/index.html: /a/: absolute path outside the site's base /kb/",
    "site/index.html: /kb: absolute path outside the site's base /kb/",
    "site/index.html: /kb/nope/: no such file",
    "site/index.html: a/#nope: no element with id 'nope'",
    "site/index.html: a/%23top: no such file",
    "site/index.html: app.js: no such file",
    "site/index.html: b/: no such file",
    "site/index.html: img.png/: no such file",
    "site/index.html: missing.css: no such file",
]


@pytest.mark.parametrize(("base_path", "expected"), [("/", BROKEN_UNDER_ROOT), ("/kb/", BROKEN_UNDER_KB)])
def test_every_rule_of_resolution_reports_as_before(tmp_path: Path, base_path: str, expected: list[str]) -> None:
    """Folders with and without '/', index pages, quoted paths, fragments, queries, absolute paths inside
    and outside the base, links that leave the site, and the links the check skips: the same reports."""
    (tmp_path / "a").mkdir()
    (tmp_path / "c d").mkdir()
    (tmp_path / "index.html").write_text(ROOT_PAGE, encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(SUB_PAGE, encoding="utf-8")
    (tmp_path / "404.html").write_text('<a href="/kb/a/"><a href="a/"><a href="#nowhere">', encoding="utf-8")
    (tmp_path / "c d" / "index.html").write_text('<p id="sp">', encoding="utf-8")
    (tmp_path / "img.png").write_bytes(b"")
    assert [b.render() for b in check_site(tmp_path, base_path)] == expected
