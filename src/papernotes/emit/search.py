"""The search documents: one small HTML file per note, for Pagefind, written by the pipeline beside the
staged tree (never inside it) and indexed while the site engine renders the pages.

A document holds what a reader searches and nothing else: the title (Pagefind weighs an `<h1>` most), the
summary, the tags (weighted), the body as text under its headings, and the filters (tag, part, chapter,
status). The headings keep the ids the site engine gives them, so a result's section links resolve; the
built-site check (`engine.linkcheck`) proves that every indexed page and heading id exists in the built site.
Navigation, "Referenced by", "Related notes" and generated listings are not in it, because they are never
written here. The text of the body is the note's Markdown with its markup taken away: links keep their
label, citations go, a §-reference stays `§3.2`, TeX keeps its letters and digits, code stays code.

Every string comes from a note or a data file and is escaped here: a document is HTML that Pagefind parses.

Beside the documents, `common_words` lists the words the search box leaves out of a query that has other words:
those whose stem is in at least half of the pages *and* whose entry in Pagefind's index is large. Pagefind
stores every position of every word and a query fetches each of its words' whole entry, so at 10,000 notes
the entry of a word such as *training* alone weighs 136 KB; yet a word in most pages barely moves BM25's
ranking (its IDF is at most ln 2) and barely narrows the results. This is the idea of Lucene's common-terms
query, with the cost in bytes as the second condition, so that a small site keeps every word it is given.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping

from papernotes import paths
from papernotes.records import Corpus, Note

SEARCH_FOLDER = "search"  # under build/: the documents Pagefind indexes
COMMON_WORDS = "common-words.json"  # written beside the index, read by the search box
COMMON_SHARE = 0.5  # a word's stem in at least this share of the pages ...
COMMON_POSITIONS = 20_000  # ... and more positions than this in its index entry (about 25 KB to fetch)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+|^[ \t]*:[ \t]+|^[ \t]*\[\^[^\]]*\]:[ \t]*")
_ADMONITION = re.compile(r"""^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]*(?:"(?P<title>[^"]*)")?[ \t]*$""")
_DEFINITION = re.compile(r"^[ \t]{0,3}(?:\*?\[[^\]]+\]:)")  # a link reference or an abbreviation: no text of the page
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
# Not emit/context.plain, which reduces a sentence for "Referenced by": that one drops images, knows only inline
# links and cuts at 280 characters; a search document keeps alt text, reference links' labels and every word.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
_MARKS = re.compile(r"\*\*|__|~~|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\.|[{}^_$&]")


def search_documents(corpus: Corpus) -> dict[str, str]:
    """Every note's search document, by its path under build/search/: the path of the note's built page
    (`agents/memory/index.html`), so that Pagefind gives a result the page's URL."""
    return {_page_path(note): search_document(note, corpus) for note in corpus.notes}


def search_files(corpus: Corpus) -> dict[str, str]:
    """What build/search/ holds: the documents, and the common words of those documents."""
    documents = search_documents(corpus)
    return {**documents, COMMON_WORDS: common_words_json(documents)}


def _page_path(note: Note) -> str:
    return f"{paths.site_to_url(note.site)}index.html"


def search_document(note: Note, corpus: Corpus) -> str:
    """One note's search document."""
    esc = html.escape
    tags = corpus.tags_of(note)
    part = corpus.part(note.part)
    filters = [("part", part.title if part is not None else note.part)]
    filters += [("chapter", c) for c in note.meta.chapters]
    filters += [("status", note.meta.status)]
    tag_spans = " ".join(f'<span data-pagefind-filter="tag">{esc(tag)}</span>' for tag in tags)
    filter_spans = "".join(f'<span data-pagefind-filter="{name}">{esc(value)}</span>' for name, value in filters)
    return "\n".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>' + esc(note.meta.title) + "</title></head>",
            "<body data-pagefind-body>",
            f"<h1>{esc(note.meta.title)}</h1>",
            f"<p>{esc(note.meta.summary)}</p>",
            f'<div data-pagefind-weight="5">{tag_spans}</div>',
            f'<div data-pagefind-ignore="index">{filter_spans}</div>',
            *body_blocks(note),
            "</body>\n</html>\n",
        ]
    )


def body_blocks(note: Note) -> list[str]:
    """The body as HTML blocks of text: headings with their ids, paragraphs, list items, table rows and code."""
    anchors = {h.line - note.body_line: h for h in note.scan.headings}
    blocks: list[str] = []
    para: list[str] = []
    fence = ""
    code: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(para).split())
        if text:
            blocks.append(f"<p>{html.escape(text)}</p>")
        para.clear()

    for index, line in enumerate(_spans_replaced(note).split("\n")):
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                blocks.append(f"<pre>{html.escape(chr(10).join(code))}</pre>")
                fence, code = "", []
            else:
                code.append(line)
            continue
        opening = _FENCE.match(line)
        heading = anchors.get(index)
        if opening or heading or not line.strip() or _ITEM.match(line) or line.lstrip().startswith("|"):
            flush()
        if opening:
            fence = opening.group(1)
        elif heading is not None and _HEADING.match(line):
            blocks.append(f'<h{heading.level} id="{html.escape(heading.anchor)}">{html.escape(inline_text(heading.text))}</h{heading.level}>')
        elif line.strip() and not _TABLE_RULE.match(line) and not _DEFINITION.match(line):
            para.append(inline_text(line))
    flush()
    if code:  # a fence left open: its lines are text all the same
        blocks.append(f"<pre>{html.escape(chr(10).join(code))}</pre>")
    return blocks


def _spans_replaced(note: Note) -> str:
    """The body with its citations dropped, §-references as `§3.2`, chart images as their alt text and TeX as
    its letters and digits; every replacement keeps the lines it covered, so heading lines stay in place."""
    body = note.body
    out: list[str] = []
    pos = 0
    for span in note.scan.spans:
        out.append(body[pos : span.start])
        original = body[span.start : span.end]
        if span.kind == "sec":
            text = f"§{span.values[0]}"
        elif span.kind == "image":
            text = span.values[1] if len(span.values) > 1 else ""
        elif span.kind == "math":
            text = " ".join(_TEX_COMMAND.sub(" ", span.values[0]).split())
        else:  # a citation goes with the space before it
            text = ""
            out[-1] = out[-1].rstrip(" \t")
        out.append(text + "\n" * original.count("\n"))
        pos = span.end
    out.append(body[pos:])
    return "".join(out)


def inline_text(line: str) -> str:
    """A line of Markdown as the words a reader sees: markers, link targets and emphasis taken away."""
    admonition = _ADMONITION.match(line)
    if admonition:
        return admonition.group("title") or ""
    text = _PREFIX.sub("", _ITEM.sub("", line.lstrip("#").strip() if _HEADING.match(line) else line))
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", _FOOTNOTE.sub("", text))
    text = _MARKS.sub("", text).replace("|", " ")
    return html.unescape(text.replace("\\", ""))


_IGNORED = re.compile(r"<head>.*?</head>|<div data-pagefind-ignore=\"index\">.*?</div>", re.S)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")


def indexed_words(document: str) -> list[str]:
    """The words Pagefind indexes in a search document, lower-cased, in order: its text outside the head and the
    filters, cut at every character that is not a letter or a digit (Pagefind also cuts names such as
    `SWE-bench` into their parts)."""
    text = html.unescape(_TAG.sub(" ", _IGNORED.sub(" ", document)))
    return _WORD.findall(text.lower())


def common_words(documents: Mapping[str, str], *, share: float = COMMON_SHARE, positions: int = COMMON_POSITIONS) -> dict[str, float]:
    """Each word of the documents whose stem is in at least `share` of them and has more than `positions`
    positions in all, with the share of the documents its stem is in. Stems are Pagefind's own: the Snowball
    English stemmer, which Pagefind's index and query both apply (so *training*, *trains* and *trained* are one
    entry, *train*)."""
    import snowballstemmer  # type: ignore[import-untyped]  # only a build needs it

    stem_of: dict[str, str] = {}
    stemmer = snowballstemmer.stemmer("english")
    pages: Counter[str] = Counter()  # by stem
    positions_of: Counter[str] = Counter()  # by word
    pages_total = 0
    for name, document in documents.items():
        if not name.endswith(".html"):
            continue
        pages_total += 1
        words = indexed_words(document)
        positions_of.update(words)
        distinct = set(words)
        for word in distinct.difference(stem_of):
            stem_of[word] = stemmer.stemWord(word)
        pages.update(set(map(stem_of.__getitem__, distinct)))
    if not pages_total:
        return {}
    count: Counter[str] = Counter()  # by stem
    for word, n in positions_of.items():
        count[stem_of[word]] += n
    common = {stem for stem, n in pages.items() if n >= share * pages_total and count[stem] > positions}
    return {word: round(pages[stem] / pages_total, 4) for word, stem in sorted(stem_of.items()) if stem in common}


def common_words_json(documents: Mapping[str, str]) -> str:
    """The file the search box reads: the number of pages and the common words with their share."""
    pages = sum(1 for name in documents if name.endswith(".html"))
    return json.dumps({"pages": pages, "words": common_words(documents)}, ensure_ascii=False, separators=(",", ":")) + "\n"
