"""Synthetic knowledge bases for the benchmark: any number of valid notes, deterministic for a seed.

A generated knowledge base is a copy of the repository's data files, part indexes, `mkdocs.yml`
and `overrides/`, plus notes that use the real tags, survey sections and citation keys. Each note
has about 500 words under four headings, cites works inline, refers to survey sections and links
to other notes, often to a heading (an anchor) of theirs. From 60 notes on, every tag is used at
least twice and every reference cited, so such a knowledge base passes `papernotes check --strict`.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from papernotes.data import load_data
from papernotes.paths import RESERVED_PARTS, SitePath, chart_site, heading_anchor, note_site, relative_site_link
from papernotes.records import KnowledgeData

REPO = Path(__file__).resolve().parents[2]
HEADINGS = (
    "What the survey says",
    "How the methods compare",
    "Reported numbers",
    "Training setup",
    "Data and evaluation",
    "Why it matters",
    "Limitations",
    "Open questions",
    "Where it connects",
    "Design choices",
    "Failure modes",
    "Practical guidance",
)
ASPECTS = ("costs", "benchmarks", "failure cases", "training data", "evaluation", "scaling", "ablations", "baselines")
TOPICS = (  # noqa: SIM905 - word lists read better as text
    "reward shaping,sandbox design,repository context,test generation,patch ranking,data filtering,tool calling,"
    "long contexts,fill-in-the-middle,issue triage,curriculum design,judge models,trajectory mining,code review,"
    "fuzzing loops,decontamination,scaling curves,expert routing,preference pairs,agent memory"
).split(",")
WORDS = (  # noqa: SIM905
    "the a of and to in for with on by from that which this these model models code agent agents training data "
    "benchmark benchmarks survey section results reward rewards policy repository tests test patch patches task "
    "tasks language languages evaluation execution sandbox environment tool tools context window token tokens "
    "sample samples dataset datasets quality filter filtering pass rate score scores baseline baselines method "
    "methods approach approaches open closed source large small larger smaller stage stages step steps loop "
    "feedback signal signals learning reinforcement supervised fine-tuning pre-training alignment safety review "
    "issue issues bug bugs fix fixes function functions file files project projects trajectory trajectories "
    "verifier verifiers judge human humans preference preferences compute budget cost costs latency memory "
    "planning reasoning search retrieval editing generation completion translation repair synthesis analysis "
    "shows reports finds argues notes suggests compares measures describes trains evaluates improves reduces "
    "increases keeps drops uses needs adds often rarely usually mostly clearly still also only both each "
    "between across within under over after before while because although however instead than more less"
).split()


@dataclass(frozen=True)
class Plan:
    """One note to write: where it goes and what its front matter and headings are."""

    part: str
    slug: str
    title: str
    topic: str
    sections: tuple[str, ...]
    tags: tuple[str, ...]
    cites: tuple[str, ...]
    headings: tuple[str, ...]
    terms: tuple[str, ...] = ()

    @property
    def site(self) -> SitePath:
        return note_site(self.part, self.slug)


def copy_skeleton(dest: Path, source: Path = REPO) -> list[str]:
    """Copy data/, the part indexes, mkdocs.yml and overrides/ into `dest`; return the part names."""
    shutil.copytree(source / "data", dest / "data", ignore=shutil.ignore_patterns("refs-incoming"))
    parts = []
    for folder in sorted((source / "notes").iterdir()):
        if (folder / "index.md").is_file() and folder.name not in RESERVED_PARTS:  # not the introductions of generated pages
            (dest / "notes" / folder.name).mkdir(parents=True)
            shutil.copy(folder / "index.md", dest / "notes" / folder.name / "index.md")
            parts.append(folder.name)
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(source / "overrides", dest / "overrides")
    (dest / ".gitignore").write_text("build/\nsite/\n", encoding="utf-8")
    return parts


def plan_notes(count: int, data: KnowledgeData, parts: list[str], rng: random.Random) -> list[Plan]:
    """Front matter and headings of every note; tags and citation keys go round so all are used."""
    tags = sorted(t for t in data.vocab.tags if t != "overview")
    keys = sorted(data.refs)
    terms = sorted(data.glossary)
    sections = [s.number for s in data.survey.sections if s.number != "10"]
    plans = []
    for i in range(count):
        topic = rng.choice(TOPICS)
        slug = f"{topic.replace(' ', '-')}-{i:05d}"
        first = rng.choice(sections)
        extra = rng.sample(sections, rng.randint(0, 2))
        kind = ["overview"] if i % 20 == 3 else []
        plans.append(
            Plan(
                part=parts[i % len(parts)],
                slug=slug,
                title=f"{topic.capitalize()} in practice, note {i:05d}",  # fixed width: no size grows with the count
                topic=topic,
                sections=tuple(dict.fromkeys([first, *extra])),
                tags=tuple(dict.fromkeys([*kind, tags[(2 * i) % len(tags)], tags[(2 * i + 1) % len(tags)], rng.choice(tags)])),
                cites=tuple(keys[(4 * i + j) % len(keys)] for j in range(4)),
                headings=_headings(topic, i, rng),
                terms=tuple(terms[(2 * i + j) % len(terms)] for j in range(2)) if terms else (),
            )
        )
    return plans


def _headings(topic: str, index: int, rng: random.Random) -> tuple[str, ...]:
    """Two headings many notes share and two of the note's own, as in the real notes."""
    common = rng.sample(HEADINGS, 2)
    own = [f"{topic.capitalize()}: {rng.choice(ASPECTS)} ({index:05d})", f"{rng.choice(ASPECTS).capitalize()} of {topic} in note {index:05d}"]
    return (common[0], own[0], common[1], own[1])


def _sentence(rng: random.Random, length: int) -> str:
    words = rng.choices(WORDS, k=length)
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, words: int, extra: str = "") -> str:
    sentences = []
    while words > 0:
        n = min(words, rng.randint(12, 24))
        sentences.append(_sentence(rng, n))
        words -= n
    if extra:
        sentences.insert(rng.randint(1, len(sentences)), extra)
    return " ".join(sentences)


def _link(plan: Plan, other: Plan, rng: random.Random, *, anchored: bool) -> str:
    target = relative_site_link(plan.site, other.site)
    anchor = f"#{heading_anchor(rng.choice(other.headings))}" if anchored or rng.random() < 0.6 else ""
    return f"[{other.title.lower()}]({target}{anchor})"


def _table(rng: random.Random) -> str:
    rows = [f"| variant {j} | {rng.randint(10, 90)}.{rng.randint(0, 9)} | {rng.randint(1, 9)}x |" for j in range(1, 4)]
    return "| setting | pass@1 | cost |\n|---|---|---|\n" + "\n".join(rows)


def note_body(plan: Plan, plans: list[Plan], index: int, charts: list[str], rng: random.Random) -> str:
    """About 500 words: four sections with citations, §-references, links, a table and a list."""
    others = [plans[(index + 1) % len(plans)], *rng.sample(plans, min(3, len(plans)))]
    links = [_link(plan, o, rng, anchored=i == 0) for i, o in enumerate(o for o in others if o is not plan)]
    k = plan.cites
    h = plan.headings
    blocks = [
        f"## {h[0]}",
        _paragraph(rng, 90, f"The survey discusses {plan.topic} in §{plan.sections[0]} [@{k[0]}]."),
        _paragraph(rng, 70, f"Earlier work on this reported similar trends [@{k[1]}; @{k[2]}]." + "".join(f" It relies on {t}." for t in plan.terms)),
        f"## {h[1]}",
        _table(rng),
        _paragraph(rng, 80, f"See also {links[0]}." if links else ""),
        f"## {h[2]}",
        "\n".join(f"- {_sentence(rng, rng.randint(8, 14))}" for _ in range(4)),
        _paragraph(rng, 80, f"A related view is in {links[1]} [@{k[3]}]." if len(links) > 1 else f"[@{k[3]}]"),
        f"## {h[3]}",
        _paragraph(rng, 70, " ".join(f"Compare {link}." for link in links[2:])),
    ]
    if index % 10 == 0 and charts:
        blocks.insert(5, f"![Bar chart from the survey's data]({relative_site_link(plan.site, chart_site(charts[index % len(charts)]))})")
    return "\n\n".join(blocks) + "\n"


def note_text(plan: Plan, body: str, updated: dt.date) -> str:
    """The note file: front matter, then the body."""
    front = [
        f"title: {plan.title}",
        f"summary: A synthetic note on {plan.topic} that exists to measure the pipeline at scale.",
        f"sections: [{', '.join(repr(s) for s in plan.sections)}]",
        f"tags: [{', '.join(plan.tags)}]",
        "status: draft",
        f"cites: [{plan.cites[0]}]",
        "basis: [ko-summary]",
        "confidence: single-source",
        "contributors: [bench-bot]",
        f"updated: {updated.isoformat()}",
    ]
    return "---\n" + "\n".join(front) + "\n---\n\n" + body


def _point_glossary_at(dest: Path, plans: list[Plan]) -> None:
    """The copied glossary names real notes as the best explanation of each term; point each term
    at a generated note instead, so that the knowledge base stays valid."""
    path = dest / "data" / "glossary.yaml"
    if not path.is_file() or not plans:
        return
    import yaml  # only a knowledge base with a glossary needs it

    glossary = yaml.safe_load(path.read_text(encoding="utf-8"))
    for i, entry in enumerate(glossary.get("terms", {}).values()):
        plan = plans[i % len(plans)]
        entry["note"] = f"{plan.part}/{plan.slug}"
    path.write_text(yaml.safe_dump(glossary, sort_keys=False, allow_unicode=True), encoding="utf-8")


def generate(dest: Path, count: int, seed: int = 0, source: Path = REPO) -> Path:
    """Write a knowledge base of `count` notes into `dest` (which must not exist yet)."""
    dest.mkdir(parents=True)
    parts = copy_skeleton(dest, source)
    data, _ = load_data(dest)
    if data is None:
        raise ValueError(f"the data files under {source / 'data'} do not load")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    plans = plan_notes(count, data, parts, rng)
    _point_glossary_at(dest, plans)
    charts = sorted(data.charts)
    start = dt.date(2026, 1, 1)
    for i, plan in enumerate(plans):
        body = note_body(plan, plans, i, charts, rng)
        text = note_text(plan, body, start + dt.timedelta(days=rng.randint(0, 330)))
        (dest / "notes" / plan.part / f"{plan.slug}.md").write_text(text, encoding="utf-8")
    return dest
