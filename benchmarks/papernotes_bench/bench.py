"""The benchmark: synthetic knowledge bases of growing size, timed the way a user runs the commands.

For each size it generates a knowledge base (`papernotes_bench.synth`) in a git repository with one
commit, then runs every step as a subprocess (`python -m papernotes …`), `--runs` times,
interleaved, and keeps the median time and the peak resident memory of each step:

- floor: read every note and parse its front matter with PyYAML's C loader, in one process;
- check, and check --changed after one note was edited;
- stage; build (check, stage, mkdocs, link check); mkdocs build alone on the same staged tree (with
  PAPERNOTES_ENGINE=properdocs, both steps run ProperDocs instead; the step keeps its name).

It prints one table of times with their ratios to the floor and to mkdocs alone, one of page sizes,
and the targets of issue 7. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from papernotes.engine.choice import selected_engine
from papernotes_bench.search import SearchFigures, edit_loop, measure_search, search_table

FLOOR_CODE = """
import os, sys, yaml
count = 0
for part in os.scandir(os.path.join(sys.argv[1], "notes")):
    for entry in os.scandir(part.path):
        if entry.name.endswith(".md") and entry.name != "index.md":
            with open(entry.path, "rb") as handle:
                text = handle.read().decode("utf-8")
            yaml.load(text[4 : text.index("\\n---\\n", 3)], Loader=yaml.CSafeLoader)
            count += 1
print(count)
"""
GENERATE_CODE = "import sys; from pathlib import Path; from papernotes_bench.bench import prepare; prepare(Path(sys.argv[1]), *map(int, sys.argv[2:4]))"
BENCHMARKS = Path(__file__).resolve().parents[1]  # the folder that holds this package, for the children's PYTHONPATH
STEPS = ("floor", "check", "check --changed", "stage", "build", "mkdocs build")
BUILD_STEPS = ("build", "mkdocs build")
SAME_SIZE = 0.02  # two generated knowledge bases differ in their random text, not in what a page shows
EDIT = "\nOne more sentence, added by the benchmark to change this note.\n"


@dataclass(frozen=True)
class Sample:
    """One run of one step: wall-clock and CPU seconds (its processes together) and the peak resident
    set of its largest process."""

    seconds: float
    cpu: float
    peak_kb: int


@dataclass(frozen=True)
class SizeResult:
    """Everything measured at one size."""

    notes: int
    times: dict[str, float]  # step -> median seconds
    cpus: dict[str, float]  # step -> median CPU seconds
    peaks: dict[str, int]  # step -> largest peak KB over the runs
    page_bytes: tuple[int, int]  # median and largest HTML page of a note (0, 0 when not built)
    index_bytes_per_note: float


def step_env(work: Path) -> dict[str, str]:
    """The environment of every step: bytecode caching on, as in a normal installation (in a folder of
    the benchmark's own, so the source tree stays clean), even where PYTHONDONTWRITEBYTECODE is set."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(BENCHMARKS), *filter(None, [os.environ.get("PYTHONPATH")])])  # the generator runs in a child
    return env


def run(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run `cmd`, fail loudly if it fails, and return its time and peak memory (ru_maxrss of the child)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{out.read().decode(errors='replace')[-4000:]}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def prepare(dest: Path, notes: int, seed: int) -> Path:
    """Generate the knowledge base and commit it, so that `check --changed` has a base."""
    from papernotes_bench.synth import generate

    generate(dest, notes, seed)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", f"{notes} synthetic notes"]):
        subprocess.run([*git, *args], cwd=dest, check=True, capture_output=True)
    return dest


def edited_note(root: Path) -> Path:
    """The note that `check --changed` sees as changed: the middle one of the largest part."""
    parts = sorted((p for p in (root / "notes").iterdir() if p.is_dir()), key=lambda p: (-len(list(p.iterdir())), p.name))
    notes = sorted(n for n in parts[0].iterdir() if n.name != "index.md")
    return notes[len(notes) // 2]


def commands(root: Path) -> dict[str, list[str]]:
    """The command line of each step."""
    py = sys.executable
    pn = [py, "-m", "papernotes", "--root", str(root)]
    mkdocs_site = str(root / "build" / "mkdocs-site")
    engine = selected_engine().module  # MkDocs unless PAPERNOTES_ENGINE chooses another
    return {
        "floor": [py, "-c", FLOOR_CODE, str(root)],
        "check": [*pn, "check"],
        "check --changed": [*pn, "check", "--changed", "--base", "HEAD"],
        "stage": [*pn, "stage"],
        "build": [*pn, "build"],
        "mkdocs build": [py, "-m", engine, "build", "--strict", "--quiet", "--config-file", str(root / "mkdocs.yml"), "--site-dir", mkdocs_site],
    }


def measure(root: Path, notes: int, runs: int, build: bool, env: dict[str, str], skip_mkdocs: bool = False) -> SizeResult:
    """Run every step `runs` times, interleaved so that a busy moment of the machine spreads over all steps."""
    cmds = commands(root)
    steps = [s for s in STEPS if (build or s not in BUILD_STEPS) and not (skip_mkdocs and s == "mkdocs build")]
    samples: dict[str, list[Sample]] = {s: [] for s in steps}
    note = edited_note(root)
    original = note.read_text(encoding="utf-8")
    note.write_text(original + EDIT, encoding="utf-8")
    try:
        for _ in range(runs):
            for step in steps:
                if step == "mkdocs build":
                    shutil.rmtree(root / "build" / "mkdocs-site", ignore_errors=True)
                samples[step].append(run(cmds[step], root, env))
    finally:
        note.write_text(original, encoding="utf-8")
    times = {s: statistics.median(x.seconds for x in v) for s, v in samples.items()}
    cpus = {s: statistics.median(x.cpu for x in v) for s, v in samples.items()}
    peaks = {s: max(x.peak_kb for x in v) for s, v in samples.items()}
    pages, index = site_sizes(root, notes) if build else ((0, 0), 0.0)
    return SizeResult(notes, times, cpus, peaks, pages, index)


def site_sizes(root: Path, notes: int) -> tuple[tuple[int, int], float]:
    """(median, largest) size of a note's HTML page, and the bytes per note of Pagefind's index on disk
    (pagefind/: index chunks, result texts and filters; a query fetches a few of them)."""
    site = root / "site"
    sizes = [(site / note.parent.name / note.stem / "index.html").stat().st_size for note in (root / "notes").glob("*/*.md") if note.name != "index.md"]
    index = site / "pagefind"
    per_note = sum(p.stat().st_size for p in index.rglob("*.pf_*")) / notes if index.is_dir() else 0.0
    return (int(statistics.median(sizes)), max(sizes)) if sizes else (0, 0), per_note


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}×" if base else ""


def time_table(results: list[SizeResult]) -> str:
    """Median times with ms per note, ratios and peak memory, as a Markdown table."""
    lines = ["| notes | step | median s | ms/note | × floor | × check | × mkdocs alone | CPU s | peak MB |", "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for step, seconds in r.times.items():
            floor = r.times["floor"] if step != "floor" else None
            check = r.times["check"] if step == "check --changed" else None
            mkdocs = r.times.get("mkdocs build") if step == "build" else None
            cells = [
                f"{r.notes:,}",
                step,
                f"{seconds:.2f}",
                f"{1000 * seconds / r.notes:.2f}",
                _ratio(seconds, floor),
                _ratio(seconds, check),
                _ratio(seconds, mkdocs),
            ]
            lines.append("| " + " | ".join(cells) + f" | {r.cpus[step]:.2f} | {r.peaks[step] / 1024:.0f} |")
    return "\n".join(lines)


def page_table(results: list[SizeResult]) -> str:
    """Sizes of the built site that must not grow with the knowledge base."""
    lines = ["| notes | note page, median KB | note page, largest KB | Pagefind index on disk per note KB |", "|---:|---:|---:|---:|"]
    for r in results:
        if r.page_bytes[0]:
            lines.append(f"| {r.notes:,} | {r.page_bytes[0] / 1024:.1f} | {r.page_bytes[1] / 1024:.1f} | {r.index_bytes_per_note / 1024:.2f} |")
    return "\n".join(lines)


def targets(results: list[SizeResult]) -> list[str]:
    """The targets of issue 7 that these results can speak to, each with its figure."""
    by = {r.notes: r for r in results}
    out = []

    def line(name: str, ok: bool, figure: str) -> None:
        out.append(f"- {name}: {figure} ({'met' if ok else 'NOT met'})")

    if 10_000 in by:
        big = by[10_000]
        ratio = big.times["check"] / big.times["floor"]
        line("check of 10,000 notes ≤ 1.5× the floor", ratio <= 1.5, f"{ratio:.2f}×")
        changed = big.times["check --changed"] / big.times["check"]
        line("check --changed of one note in 10,000 ≤ 0.3× a full check", changed <= 0.3, f"{changed:.2f}×")
        line("peak memory of a check of 10,000 notes < 500 MB", big.peaks["check"] < 500 * 1024, f"{big.peaks['check'] / 1024:.0f} MB")
    if 1000 in by and "mkdocs build" in by[1000].times:
        ratio = by[1000].times["build"] / by[1000].times["mkdocs build"]
        line("build of 1,000 notes ≤ 1.15× mkdocs build alone", ratio <= 1.15, f"{ratio:.2f}×")
    built = [r for r in results if r.page_bytes[0]]
    if built:
        largest = max(r.page_bytes[1] for r in built)
        medians = {r.notes: r.page_bytes[0] for r in built}
        same = {1000, 10_000} <= medians.keys() and abs(medians[10_000] / medians[1000] - 1) <= SAME_SIZE
        figure = ", ".join(f"{m / 1024:.1f} KB at {n:,}" for n, m in medians.items())
        line("a note's page ≤ 40 KB", largest <= 40 * 1024, f"largest {largest / 1024:.1f} KB; median {figure}")
        if {1000, 10_000} <= medians.keys():
            line(f"a note's page the same size (±{SAME_SIZE:.0%}) at 1,000 and 10,000 notes", same, figure)
    return out


def search_targets(searches: list[SearchFigures], builds: dict[int, float], loops: dict[int, list[float]]) -> list[str]:
    """The targets of the search issue that these figures can speak to, each with its figure."""
    out = []

    def line(name: str, ok: bool, figure: str) -> None:
        out.append(f"- {name}: {figure} ({'met' if ok else 'NOT met'})")

    for f in searches:
        visit_ok = f.first_visit_search == 0 and f.first_visit <= 400 * 1024
        line(
            f"first visit to a note at {f.notes:,} notes loads no search index and ≤ 400 KB",
            visit_ok,
            f"{f.first_visit / 1024:.0f} KB, search {f.first_visit_search / 1024:.0f} KB",
        )
        if f.notes == 10_000:
            queries = {"first": f.first_query, "later": f.later_query, "pasted": f.pasted_query, f"heaviest more ({f.heaviest_query})": f.heaviest}
            name, most = max(queries.items(), key=lambda kv: kv[1])
            line("a query at 10,000 notes loads ≤ 200 KB", most <= 200 * 1024, f"largest {most / 1024:.0f} KB ({name})")
        if builds.get(f.notes):
            share = f.index_seconds / builds[f.notes]
            line(f"indexing at {f.notes:,} notes ≤ 10% of the build", share <= 0.1, f"{share:.1%}")
    if 1000 in loops:
        median = statistics.median(loops[1000])
        line("edit loop of serve at 1,000 notes ≤ 2 s", median <= 2, f"median {median:.2f} s")
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000], metavar="N", help="sizes in notes (default: 100 1000 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step; the median is reported (default 3)")
    parser.add_argument("--build-max", type=int, default=1000, metavar="N", help="skip build and mkdocs above this many notes (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator (default 0)")
    parser.add_argument(
        "--search",
        action="store_true",
        help="also measure the search of each built size: browser bytes and Pagefind's time (needs Chromium and the dev extras)",
    )
    parser.add_argument(
        "--edit-loop",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="drive `papernotes serve` at these sizes: seconds from saving a note to its served page showing the edit",
    )
    parser.add_argument("--no-mkdocs-alone", action="store_true", help="skip the run of mkdocs build alone (saves one build per size)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="generate into DIR and keep the knowledge bases")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, measure and print; exit 2 when a step fails."""
    args = _parser().parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="papernotes-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    searches: list[SearchFigures] = []
    loops: dict[int, list[float]] = {}
    env = step_env(work)
    try:
        run([sys.executable, "-c", "import papernotes.cli, papernotes.pipeline, papernotes.engine.render"], work, env)  # write the bytecode
        for size in args.sizes:
            root = work / f"kb-{size}"
            shutil.rmtree(root, ignore_errors=True)
            print(f"bench: {size:,} notes: generating …", file=sys.stderr, flush=True)
            run([sys.executable, "-c", GENERATE_CODE, str(root), str(size), str(args.seed)], work, env)  # keeps this process small
            print(f"bench: {size:,} notes: measuring {args.runs} run(s) …", file=sys.stderr, flush=True)
            results.append(measure(root, size, args.runs, size <= args.build_max, env, args.no_mkdocs_alone))
            if args.search and size <= args.build_max:
                print(f"bench: {size:,} notes: measuring search …", file=sys.stderr, flush=True)
                note = edited_note(root)
                searches.append(measure_search(root, size, f"{note.parent.name}/{note.stem}/"))
            if size in args.edit_loop:
                print(f"bench: {size:,} notes: driving serve …", file=sys.stderr, flush=True)
                loops[size] = edit_loop(root, edited_note(root), max(args.runs, 3))
    except RuntimeError as exc:
        print(f"bench: a step failed: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{os.cpu_count()} CPUs · Python {sys.version.split()[0]} · median of {args.runs} run(s)\n")
    print(time_table(results) + "\n")
    if any(r.page_bytes[0] for r in results):
        print(page_table(results) + "\n")
    for size, seconds in loops.items():
        print(
            f"edit loop of `papernotes serve` at {size:,} notes, save to new text: "
            + ", ".join(f"{s:.2f} s" for s in seconds)
            + f" (median {statistics.median(seconds):.2f} s)"
        )
    if searches:
        print(search_table(searches, {r.notes: r.times["build"] for r in results if "build" in r.times}) + "\n")
    builds = {r.notes: r.times["build"] for r in results if "build" in r.times}
    print("\n".join(targets(results) + search_targets(searches, builds, loops)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
