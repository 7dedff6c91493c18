"""The `papernotes` command. Exit codes: 0 clean, 1 problems, 2 usage or internal failure, 130 interrupted (Ctrl-C)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from papernotes import __version__
from papernotes.codes import Severity
from papernotes.diagnostics import FORMATTERS, Diagnostic, summary_line
from papernotes.engine.choice import EngineError, build_summary, selected_engine

if TYPE_CHECKING:
    from papernotes.records import CheckResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command that Ctrl-C ended


def find_root(start: Path) -> Path:
    """The nearest folder upwards that holds both notes/ and data/ (default: the current folder)."""
    for folder in [start, *start.parents]:
        if (folder / "notes").is_dir() and (folder / "data").is_dir():
            return folder
    return start


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papernotes", description="Check, stage and build the papernotes knowledge base.")
    parser.add_argument("--version", action="version", version=f"papernotes {__version__}")
    parser.add_argument("--root", type=Path, default=None, help="repository root (default: found from the current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate the notes and data; report every problem")
    check.add_argument("paths", nargs="*", help="only report problems in these files or folders")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="text (default), github annotations, or json")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.add_argument("--changed", action="store_true", help="only notes changed since --base, plus what they affect")
    check.add_argument("--base", default=None, help="git ref to compare with (implies --changed; default: the merge base with origin/main, else HEAD)")

    sub.add_parser("stage", help="check, then write the staging folder (build/staging)")
    build = sub.add_parser("build", help=f"check, stage, {build_summary()}, check the site's links")
    build.add_argument("--strict", action="store_true", help="refuse to build when there are warnings")
    serve = sub.add_parser("serve", help="build and serve with live reload; on a change restage, rebuild and reindex only what changed")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")

    new = sub.add_parser("new", help="scaffold a note that passes check")
    new.add_argument("target", help="<part>/<slug>, e.g. agents/my-note")
    new.add_argument("--title", required=True)
    new.add_argument("--sections", nargs="+", default=[], metavar="N", help="survey section numbers, e.g. 5.3 5.3.1")
    new.add_argument("--tags", nargs="+", default=[], metavar="TAG")

    sub.add_parser("schema", help="print the JSON Schema of a note's front matter")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; never lets an exception escape."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    root = (args.root or find_root(Path.cwd())).resolve()
    try:
        handler = {"check": cmd_check, "stage": cmd_stage, "build": cmd_build, "serve": cmd_serve, "new": cmd_new, "schema": cmd_schema}[args.command]
        return handler(root, args)
    except KeyboardInterrupt:
        print("papernotes: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # the last line of defence: report, exit 2
        import traceback  # only here: every run would pay for its import

        traceback.print_exc()
        print("papernotes: internal error (this is a bug; please report it)", file=sys.stderr)
        return EXIT_USAGE


def _report(diagnostics: Sequence[Diagnostic], fmt: str) -> None:
    sys.stdout.write(FORMATTERS[fmt](diagnostics))


def cmd_check(root: Path, args: argparse.Namespace) -> int:
    from papernotes.changes import in_scope
    from papernotes.pipeline import check, check_changed

    start = time.perf_counter()
    paths = []
    for given in args.paths:
        rel = _relative(root, given)
        if rel is None:
            print(f"papernotes check: no such file or folder in the knowledge base: {given}", file=sys.stderr)
            return EXIT_USAGE
        paths.append(rel)
    scope: list[str] | None = None
    if args.changed or args.base:
        try:
            report, scope = check_changed(root, args.base)
        except ValueError as exc:
            print(f"papernotes check: {exc}", file=sys.stderr)
            return EXIT_USAGE
    else:
        report = check(root, corpus=False)
    diagnostics = list(report.diagnostics)
    if report.usable:  # unusable data files are always shown: nothing else could be checked
        diagnostics = [d for d in diagnostics if (not paths or in_scope(d.path, paths)) and (scope is None or in_scope(d.path, scope))]
    _report(diagnostics, args.format)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    failed = not report.usable or errors > 0 or (args.strict and diagnostics)
    if args.format != "json":
        print(f"papernotes check: {summary_line(diagnostics)}; {report.notes} notes in {time.perf_counter() - start:.2f}s", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _relative(root: Path, given: str) -> str | None:
    """`given` (relative to the current folder, else to the root) as a root-relative POSIX path;
    '' for the root itself; None when it does not exist inside the root. Links are not followed."""
    p = Path(given)
    for base in (Path.cwd(), root):
        candidate = Path(os.path.normpath(p if p.is_absolute() else base / p))
        try:
            rel = candidate.relative_to(root).as_posix()
        except ValueError:
            continue
        if candidate.exists() or candidate.is_symlink():
            return "" if rel == "." else rel
    return None


def _checked(root: Path, *, strict: bool = False) -> CheckResult | None:
    from papernotes.pipeline import check

    result = check(root)
    if result.diagnostics:
        _report(result.diagnostics, "text")
    if not result.ok(strict=strict):
        print(f"papernotes: refusing to build: {summary_line(list(result.diagnostics))}", file=sys.stderr)
        return None
    return result


def _output_folders_ok(root: Path, command: str) -> bool:
    """False, with one line per problem, when build/ or site/ is a link, a file or outside the repository."""
    from papernotes.engine.staging import output_folder_problems

    problems = output_folder_problems(root)
    for problem in problems:
        print(problem.render(), file=sys.stderr)
    if problems:
        print(f"papernotes {command}: refusing to write into an output folder that is not ours; nothing was written or deleted", file=sys.stderr)
    return not problems


def _engine_ok(command: str) -> bool:
    """False, with the reason, when PAPERNOTES_ENGINE names no engine or one that is not installed."""
    try:
        selected_engine()
    except EngineError as exc:
        print(f"papernotes {command}: {exc}", file=sys.stderr)
        return False
    return True


def _count(result: CheckResult) -> int:
    return len(result.corpus.notes) if result.corpus else 0


def cmd_stage(root: Path, args: argparse.Namespace) -> int:
    from papernotes.engine.staging import SEARCH, write_staging
    from papernotes.pipeline import search_files, stage_files

    if not _output_folders_ok(root, "stage"):
        return EXIT_USAGE
    result = _checked(root)
    if result is None:
        return EXIT_PROBLEMS
    dest = write_staging(stage_files(result, root), root)
    write_staging(search_files(result), root, SEARCH, assets=False)
    print(f"papernotes: staged {_count(result)} notes into {dest.relative_to(root)}, and their search documents into {SEARCH.as_posix()}", file=sys.stderr)
    return EXIT_OK


def cmd_build(root: Path, args: argparse.Namespace) -> int:
    from papernotes.engine.render import build_site
    from papernotes.engine.staging import write_staging
    from papernotes.pipeline import search_files, stage_files

    if not _engine_ok("build") or not _output_folders_ok(root, "build"):
        return EXIT_USAGE
    result = _checked(root, strict=args.strict)
    if result is None:
        return EXIT_PROBLEMS
    write_staging(stage_files(result, root), root)
    code, output, broken = build_site(root, search=lambda: search_files(result))
    if code != 0:
        sys.stderr.write(output)
        for link in broken:
            print(link.render(), file=sys.stderr)
        print("papernotes: build failed; the previous site/ is left as it was", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"papernotes: built {_count(result)} notes into site/", file=sys.stderr)
    return EXIT_OK


def cmd_serve(root: Path, args: argparse.Namespace) -> int:
    from papernotes.engine.serve import serve

    if not _engine_ok("serve") or not _output_folders_ok(root, "serve"):
        return EXIT_USAGE
    return serve(root, args.addr)


def cmd_new(root: Path, args: argparse.Namespace) -> int:
    from papernotes.data import load_data
    from papernotes.scaffold import plan_note, write_note

    data, diags = load_data(root)
    if data is None:
        _report(diags, "text")
        return EXIT_PROBLEMS
    plan = plan_note(root, data, args.target, args.title, args.sections, args.tags)
    for notice in plan.notices:
        print(f"papernotes new: {notice}", file=sys.stderr)
    for problem in plan.problems:
        print(f"papernotes new: error: {problem}", file=sys.stderr)
    if plan.problems or plan.path is None:
        return EXIT_USAGE
    shown = plan.path.relative_to(root).as_posix()
    try:
        write_note(plan)
    except FileExistsError:
        print(f"papernotes new: error: {shown} already exists; it is never overwritten", file=sys.stderr)
        return EXIT_USAGE
    print(f"papernotes new: wrote {shown}; write the note, then run: papernotes check {shown}", file=sys.stderr)
    return EXIT_OK


def cmd_schema(root: Path, args: argparse.Namespace) -> int:
    from papernotes.schema import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK
