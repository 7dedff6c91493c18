"""data/tags.yaml: the controlled vocabulary of tags, their groups and their aliases."""

from __future__ import annotations

from pathlib import Path

from papernotes.diagnostics import Diagnostic, diag
from papernotes.paths import SLUG_RE
from papernotes.records import Tag, Vocabulary
from papernotes.schema import TAG_FIELDS
from papernotes.yamlfile import get_entry, map_entries, plain, read_yaml_file

RESERVED_TAGS = frozenset({"index"})  # tags/index.md is the tag index
MAX_TAG = 64
_ALIASES = next(f for f in TAG_FIELDS if f.name == "aliases")


def load_vocabulary(path: Path, shown: str = "data/tags.yaml") -> tuple[Vocabulary | None, list[Diagnostic]]:
    """Read the tag vocabulary and check that names, groups and aliases are consistent."""
    root, diags = read_yaml_file(path, shown)
    if root is None:
        return None, diags
    groups_entry, tags_entry = get_entry(root, "groups"), get_entry(root, "tags")
    if groups_entry is None or tags_entry is None or groups_entry.value.kind != "map" or tags_entry.value.kind != "map":
        return None, [*diags, diag("data-file", shown, 1, 1, "needs a 'groups' mapping and a 'tags' mapping")]
    groups_raw = plain(groups_entry.value)
    groups = tuple((str(k), str(v)) for k, v in groups_raw.items()) if isinstance(groups_raw, dict) else ()
    group_ids = {g for g, _ in groups}
    tags: dict[str, Tag] = {}
    aliases: dict[str, str] = {}
    for entry in map_entries(tags_entry.value):
        data = plain(entry.value)
        if not SLUG_RE.match(entry.key) or len(entry.key) > MAX_TAG:
            longer = f", at most {MAX_TAG} characters" if len(entry.key) > MAX_TAG else ""
            diags.append(diag("data-file", shown, entry.line, entry.col, f"tag '{entry.key[:80]}' must be lowercase kebab-case{longer}"))
            continue
        if entry.key in RESERVED_TAGS:
            message = f"tag '{entry.key}' is reserved: its page would replace the tag index"
            diags.append(diag("data-file", shown, entry.line, entry.col, message, "rename the tag"))
            continue
        if not isinstance(data, dict) or any(f.kind.problem(data.get(f.name)) for f in TAG_FIELDS if f.required) or data["group"] not in group_ids:
            diags.append(diag("data-file", shown, entry.line, entry.col, f"tag '{entry.key}' needs a description and a group from 'groups'"))
            continue
        raw_aliases = data.get("aliases") or []
        if reason := _ALIASES.kind.problem(raw_aliases):
            diags.append(diag("data-file", shown, entry.line, entry.col, f"the aliases of '{entry.key}' {reason}"))
            continue
        tag = Tag(entry.key, data["group"], data["description"], tuple(raw_aliases), entry.line)
        tags[tag.name] = tag
        for alias in tag.aliases:
            if alias in aliases:
                diags.append(diag("data-file", shown, entry.line, entry.col, f"alias '{alias}' of '{entry.key}' is already a tag or another tag's alias"))
            aliases[alias] = entry.key
    for alias in [a for a in aliases if a in tags]:
        diags.append(diag("data-file", shown, tags[alias].line, 1, f"'{alias}' is both a tag and an alias of '{aliases[alias]}'"))
    return Vocabulary(tags, groups, aliases), diags
