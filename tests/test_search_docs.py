"""The search documents (emit/search.py): what Pagefind indexes, written by the pipeline beside the staged tree.

A document must hold the words a reader sees on the note's page and none of the Markdown around them, carry the
headings' ids as the site engine writes them, keep every string inert, and stay out of the site engine's input.
The built-site check must refuse a build whose index points at a page or a heading the site lacks.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from papernotes.emit.search import common_words, indexed_words, inline_text, search_documents
from papernotes.engine.linkcheck import check_site, page_links
from papernotes.pipeline import search_files
from support import KB, REPO, note_text

BODY = textwrap.dedent(
    """\
    ## What the *survey* says

    The survey treats training agents in §5.3, citing SWE-RL [@wei2025swerl] and R2E-Gym [@jain2025r2egym].
    It links to [the agents part](../index.md) and writes `pass@k` as code, **bold** and _slanted_ words,
    and math: $O(n^2)$ steps, and a < b & c.

    - a listed item with [a link](https://example.org)
    - another item

    | model | score |
    |---|---|
    | Qwen2.5-Coder | 61.2 |

    ```python
    def reward(sample): return 1
    ```

    !!! note "An aside"
        Indented text of the aside.

    ## Why it matters

    It matters.
    """
)


def _document(kb: KB, body: str = BODY, **front: object) -> str:
    kb.write("notes/agents/searched.md", note_text(body, **front))
    result = kb.check()
    assert result.corpus is not None and not result.errors, result.diagnostics
    return search_files(result)["agents/searched/index.html"]


def _text(document: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", document.split("data-pagefind-body", 1)[1]).split())


def test_a_document_is_the_notes_words_without_markdown(kb: KB) -> None:
    text = _text(_document(kb))
    for words in ["What the survey says", "training agents in §5.3, citing SWE-RL and R2E-Gym.", "the agents part", "pass@k", "bold and slanted words"]:
        assert words in text, (words, text)
    for words in [
        "a listed item with a link",
        "Qwen2.5-Coder 61.2",
        "def reward(sample): return 1",
        "An aside",
        "Indented text of the aside",
        "a &lt; b &amp; c",
    ]:
        assert words in text, (words, text)
    assert "O(n2)" in text.replace(" ", ""), text  # TeX keeps its letters and digits
    for markup in ["[@", "](", "**", "`", "$", "[^1]", "|---", "!!!", "R2E-Gym ."]:
        assert markup not in text, (markup, text)


def test_headings_keep_the_ids_the_site_engine_gives_them(kb: KB) -> None:
    document = _document(kb)
    assert re.findall(r"<h2 id=\"([^\"]+)\">", document) == ["what-the-survey-says", "why-it-matters"]
    assert "<h1>A test note</h1>" in document


def test_title_summary_tags_and_filters(kb: KB) -> None:
    document = _document(kb, summary="'A summary with \"quotes\" & an ampersand.'")
    assert "<p>A summary with &quot;quotes&quot; &amp; an ampersand.</p>" in document
    assert re.search(r'<div data-pagefind-weight="5">.*swe-agents.*agent-training.*</div>', document)
    assert '<span data-pagefind-filter="part">Agents</span>' in document
    assert '<span data-pagefind-filter="chapter">5</span>' in document
    assert '<span data-pagefind-filter="status">draft</span>' in document


def test_markup_in_a_note_stays_text(kb: KB) -> None:
    """Raw HTML is refused by the check; what is left that looks like markup (code, a '<' in prose) is escaped."""
    document = _document(kb, BODY + "\nCode: `<script>alert(1)</script>` and 3 < 4.\n\n```\n<img src=x alt=y>\n```\n")
    tags = {m.lower() for m in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", document)}
    assert tags <= {"html", "head", "meta", "title", "body", "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "pre"}, tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document and "&lt;img src=x alt=y&gt;" in document


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("> quoted [label](x.md#a) and `code`", "quoted label and code"),
        ("1. numbered *item*", "numbered item"),
        ('??? pn-about "Folded title"', "Folded title"),
        ("![an image](chart.svg)", "an image"),
        ("escaped \\*stars\\* &amp; an entity", "escaped stars & an entity"),
    ],
)
def test_inline_text(line: str, text: str) -> None:
    assert inline_text(line) == text


def test_the_real_notes_documents_parse_and_name_only_their_headings() -> None:
    """Every real note has a document at its page's path; its ids are exactly its headings' anchors."""
    from papernotes.pipeline import check

    result = check(REPO)
    assert result.corpus is not None
    documents = search_documents(result.corpus)
    assert len(documents) == len(result.corpus.notes) > 0
    for note in result.corpus.notes:
        page = f"{note.site.removesuffix('.md')}/index.html"
        assert page_links(documents[page]).ids == {h.anchor for h in note.scan.headings}, page


def test_documents_are_not_in_the_staged_tree(kb: KB) -> None:
    """The site engine never sees the search documents: `stage` writes them to build/search/, not build/staging/."""
    from papernotes.cli import main

    kb.write("notes/agents/searched.md", note_text(BODY))
    assert main(["--root", str(kb.root), "stage"]) == 0
    assert (kb.root / "build" / "search" / "agents" / "searched" / "index.html").is_file()
    assert not [p for p in (kb.root / "build" / "staging").rglob("*.html") if "searched" in p.as_posix()]
    staged = (kb.root / "build" / "staging" / "agents" / "searched.md").read_text(encoding="utf-8")
    assert "pagefind" not in staged


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "agents" / "memory").mkdir(parents=True)
    (site / "index.html").write_text('<a href="agents/memory/">memory</a>', encoding="utf-8")
    (site / "agents" / "memory" / "index.html").write_text('<h2 id="the-idea">The idea</h2>', encoding="utf-8")
    return site


def test_the_built_site_check_refuses_an_index_that_points_nowhere(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert check_site(site, "/", {"agents/memory/index.html": {"the-idea"}}) == []
    broken = check_site(site, "/", {"agents/memory/index.html": {"the-idea", "gone"}, "agents/lost/index.html": set()})
    assert [(b.page, b.target) for b in broken] == [("agents/lost/index.html", ""), ("agents/memory/index.html", "#gone")]
    assert all("indexed for search" in b.reason for b in broken)


def test_a_knowledge_base_without_notes_builds_without_an_index(kb: KB) -> None:
    """Pagefind refuses a folder with no documents; a knowledge base that has no note yet still builds."""
    from papernotes.cli import main

    assert main(["--root", str(kb.root), "build"]) == 0
    assert (kb.root / "site" / "index.html").is_file()
    assert not (kb.root / "site" / "pagefind").exists()


# --- common words -----------------------------------------------------------------------------------


def _doc(body: str, filters: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>unindexed heading words</title></head>\n'
        f'<body data-pagefind-body>\n<div data-pagefind-ignore="index">{filters}</div>\n<p>{body}</p>\n</body>\n</html>\n'
    )


def test_indexed_words_are_the_body_outside_the_head_and_the_filters() -> None:
    document = _doc("SWE-bench &amp; Qwen2.5 <i>trains</i>", '<span data-pagefind-filter="part">Agents</span>')
    assert indexed_words(document) == ["swe", "bench", "qwen2", "5", "trains"]


def test_common_words_are_those_whose_stem_is_in_most_pages_and_costly() -> None:
    """Forms of one stem count together (Pagefind's entry is the stem's); both conditions must hold; the share is
    of the pages, not of the other files."""
    documents = {
        "a/index.html": _doc("training rewards training the rare"),
        "b/index.html": _doc("trained the"),
        "c/index.html": _doc("trains reward the"),
        "d/index.html": _doc("the"),
        "common-words.json": "training training training training",
    }
    everything = common_words(documents, share=0.5, positions=0)
    assert everything == {"reward": 0.5, "rewards": 0.5, "the": 1.0, "trained": 0.75, "training": 0.75, "trains": 0.75}
    assert "rare" not in everything  # in one page of four
    assert common_words(documents, share=0.8, positions=0) == {"the": 1.0}
    assert common_words(documents, share=0.5, positions=3) == {"the": 1.0, "trained": 0.75, "training": 0.75, "trains": 0.75}
    assert common_words(documents, share=0.5, positions=4) == {}  # no stem has more than 4 positions
    assert common_words({}) == {}


def test_a_small_site_leaves_no_word_out() -> None:
    """The real notes: no entry is large enough to leave a word out; forcing the size to 0 lists the words in most
    notes. The file the build writes lists the pages it counted."""
    import json

    from papernotes.emit.search import COMMON_WORDS
    from papernotes.pipeline import check

    result = check(REPO)
    assert result.corpus is not None
    files = search_files(result)
    listed = json.loads(files[COMMON_WORDS])
    assert listed == {"pages": len(result.corpus.notes), "words": {}}
    forced = common_words(files, positions=0)
    assert forced["the"] == 1.0 and "survey" in forced and "grpo" not in forced
