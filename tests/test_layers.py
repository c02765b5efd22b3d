"""The layers hold: no code branches on a kind's name outside the feature that declares it, only the
storage layer knows SQL, and the engine and the shell reach features only through the registries.

These read the source (its syntax tree), so a new offender fails here with its file and line.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from peerreview.features import default_registry

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("peerreview", "ui")

#: Frozen history: the engine's migrations made the first features' tables by name, as they were.
HISTORY = {"peerreview/sync/migrations.py"}

#: The storage layer: the only modules that know table names and SQL.
STORAGE = {
    "peerreview/sync/store.py",
    "peerreview/sync/changelog.py",
    "peerreview/sync/migrations.py",
    "peerreview/sync/schema.py",
}
STORAGE_PACKAGE = "peerreview/sync/storage/"

#: Kind names still used outside their feature, in files another branch is rewriting now; the
#: lead clears each entry once that branch has merged. (path, kind) → why it is here.
KIND_ALLOWLIST: dict[tuple[str, str], str] = {}

#: Modules outside a feature that may import it: the registrations, and the command line's
#: ``peerreview schools import`` (a command of the partnership feature; the core registry has no
#: place for a feature's commands yet).
IMPORT_ALLOWLIST = {"peerreview/features.py", "ui/features.py", "peerreview/cli.py"}

#: Methods of the store and the registry whose first argument is a kind's name.
KIND_METHODS = {
    "list",
    "count",
    "tally",
    "create",
    "selected_values",
    "kind",
    "label",
    "folders_under",
    "feature_of",
    "owners",
}
#: Keyword arguments that name a kind.
KIND_KEYWORDS = {"kind", "kind_name", "parent_kind"}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=rel)


def _package(rel: str) -> str:
    """The package a module belongs to: "sync", "shell", a feature's name, or "" (top level)."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else ""


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


# ===================================================================== kind names


def _allowed_kinds() -> tuple[set[str], dict[str, set[str]]]:
    """Every kind, and for each package the kinds it may name: the engine its own; a feature its
    own, those of the features registered before it (which it builds on: a review is of a school)
    and the engine's. Every other module (the shell, the CLI, reports...) may name none."""
    registry = default_registry()
    engine = {name for name in registry.kinds if registry.feature_of(name) is None}
    allowed: dict[str, set[str]] = {"sync": set(engine)}
    seen = set(engine)
    for feature in registry.features:
        assert (ROOT / "peerreview" / feature.name).is_dir(), f"no peerreview/{feature.name}/"
        seen |= {k.name for k in feature.kinds}
        allowed[feature.name] = set(seen)
    return set(registry.kinds), allowed


def kind_branches(modules: Iterable[tuple[str, ast.Module]] | None = None) -> list[Hit]:
    """String constants equal to a kind's name where they choose behaviour: compared, matched,
    tested for membership, keys of a literal table, or the kind given to a store or registry call,
    outside the packages that may name that kind."""
    kinds, allowed = _allowed_kinds()
    hits: list[Hit] = []
    for rel, tree in _modules() if modules is None else modules:
        if rel in HISTORY:
            continue
        ok = allowed.get(_package(rel), set())
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

        def named(node: ast.AST | None) -> str | None:
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in kinds:
                    return node.value
            return None

        def check(node: ast.AST | None, how: str, rel: str = rel, ok: set[str] = ok) -> None:
            kind = named(node)
            if kind is not None and kind not in ok and (rel, kind) not in KIND_ALLOWLIST:
                assert isinstance(node, ast.Constant)
                hits.append(Hit(rel, node.lineno, f"{kind!r} {how}"))

        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                for operand in (node.left, *node.comparators):
                    check(operand, "compared")
                    if isinstance(operand, ast.Tuple | ast.List | ast.Set):
                        for element in operand.elts:
                            check(element, "tested for membership")
            elif isinstance(node, ast.MatchValue):
                check(node.value, "matched")
            elif isinstance(node, ast.Dict):
                # A table keyed by kinds ({"school": [...], "group": [...]}.get(kind)), not a
                # record's values ({"school": school_id} names a field): every key is a kind,
                # or the first of a tuple key, and it is not given straight to a call.
                keys = [k.elts[0] if isinstance(k, ast.Tuple) and k.elts else k for k in node.keys]
                parent = parents.get(node)
                given = isinstance(parent, ast.keyword) or (
                    isinstance(parent, ast.Call) and node in parent.args
                )
                if keys and all(named(k) for k in keys) and not given:
                    for key in keys:
                        check(key, "a key of a table")
            elif isinstance(node, ast.Set):
                if node.elts and all(named(e) for e in node.elts):
                    for element in node.elts:
                        check(element, "in a set of kinds")
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else ""
                if name in KIND_METHODS and node.args:
                    check(node.args[0], f"given to {name}()")
                for keyword in node.keywords:
                    if keyword.arg in KIND_KEYWORDS:
                        check(keyword.value, f"given as {keyword.arg}=")
    return hits


def test_no_branch_on_a_kind_name_outside_its_feature() -> None:
    hits = kind_branches()
    assert not hits, "Ask the registry instead of naming a kind here:\n" + "\n".join(map(str, hits))


def test_the_kind_check_finds_what_it_is_for() -> None:
    """The check itself: each pattern is caught in the shell, and a record's values are not."""
    tree = ast.parse(
        "if record.kind == 'school': pass\n"
        "match kind:\n    case 'review': pass\n"
        "ok = kind in ('person', 'x')\n"
        "BUTTONS = {'school': ['plan'], 'group': []}\n"
        "n = store.count('group')\n"
        "rows = store.list(kind='membership')\n"
        "store.create('x', {'school': sid})\n"
        "values = store.list('x', where={'group': gid})\n"
    )
    hits = kind_branches([("ui/shell/sample.py", tree)])
    assert sorted(h.line for h in hits) == [1, 3, 4, 5, 5, 6, 7]
    # The same in the feature that declares those kinds is fine.
    assert kind_branches([("ui/review/sample.py", tree)]) == []


def test_the_kind_allowlist_holds_only_what_is_still_there() -> None:
    """An entry the lead can clear fails here, so the allowlist only shrinks."""
    original = dict(KIND_ALLOWLIST)
    try:
        KIND_ALLOWLIST.clear()
        hits = {(h.path, h.text.split("'")[1]) for h in kind_branches()}
    finally:
        KIND_ALLOWLIST.update(original)
    stale = set(original) - hits
    assert not stale, f"no longer needed in KIND_ALLOWLIST: {sorted(stale)}"


# ===================================================================== SQL


SQL = re.compile(
    r"^\s*(SELECT\s.*\bFROM\b|SELECT\s+(count|max|min|sum|total|1)\b|INSERT\s+(OR\s+\w+\s+)?INTO\s"
    r"|REPLACE\s+INTO\s|UPDATE\s+\S+\s+SET\s|DELETE\s+FROM\s"
    r"|CREATE\s+(UNIQUE\s+|VIRTUAL\s+|TEMP\s+)*(TABLE|INDEX|VIEW|TRIGGER)\s|ALTER\s+TABLE\s"
    r"|DROP\s+(TABLE|INDEX|VIEW|TRIGGER)\s|PRAGMA\s|VACUUM\b|WITH\s+\w+(\s*\([^)]*\))?\s+AS\s*\()",
    re.S,
)


def _storage(rel: str) -> bool:
    return rel in STORAGE or rel.startswith(STORAGE_PACKAGE)


def sql_outside_storage() -> list[Hit]:
    """SQL text and ``.execute(`` calls in any module outside the storage layer."""
    hits: list[Hit] = []
    for rel, tree in _modules():
        if _storage(rel):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if SQL.match(node.value):
                    hits.append(Hit(rel, node.lineno, f"SQL {node.value[:50]!r}"))
            elif isinstance(node, ast.Attribute) and node.attr in (
                "execute",
                "executemany",
                "executescript",
            ):
                hits.append(Hit(rel, node.lineno, f".{node.attr}("))
    return hits


def test_only_the_storage_layer_knows_sql() -> None:
    hits = sql_outside_storage()
    assert not hits, (
        "Only peerreview/sync/store.py, changelog.py, migrations.py, schema.py and "
        "peerreview/sync/storage/ may hold SQL; add a store method or a storage function:\n"
        + "\n".join(map(str, hits))
    )


def test_the_sql_check_finds_sql_and_not_prose() -> None:
    for sql in (
        "SELECT * FROM review WHERE id = ?",
        "SELECT count(*) FROM conflicts",
        "INSERT OR IGNORE INTO ledger VALUES (?)",
        "UPDATE school SET name = ?",
        "DELETE FROM blobs",
        'CREATE INDEX "x" ON review (school)',
        "PRAGMA user_version",
        "WITH owned(id) AS (SELECT 1)",
    ):
        assert SQL.match(sql), sql
    for prose in (
        "Select the school to be reviewed first, then Ctrl+Shift+R.",
        "Create a new database for this laptop.",
        "Delete a record and what belongs to it, as the app's Delete does.",
        "Update the app to open this bundle.",
    ):
        assert not SQL.match(prose), prose


# ===================================================================== imports


def feature_imports() -> list[Hit]:
    """Imports of a feature package by the engine, the reports, the shell or any module that is
    not itself a feature (they reach features only through the registries)."""
    registry = default_registry()
    features = {f.name for f in registry.features}
    hits: list[Hit] = []
    for rel, tree in _modules():
        if _package(rel) in features or rel in IMPORT_ALLOWLIST:
            continue
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                parts = name.split(".")
                if len(parts) > 1 and parts[0] in PACKAGES and parts[1] in features:
                    hits.append(Hit(rel, node.lineno, f"imports {name}"))
    return hits


def test_the_engine_and_the_shell_import_no_feature() -> None:
    hits = feature_imports()
    assert not hits, "Reach the feature through the registry:\n" + "\n".join(map(str, hits))
