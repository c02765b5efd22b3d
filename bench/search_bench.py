"""Search as people type, on the regional demo, against the same full-text query in bare sqlite3.

    .venv/bin/python bench/search_bench.py            # regional demo (built once into bench/.cache)
    .venv/bin/python bench/search_bench.py --small    # the small demo: a quick check that it runs

Twelve everyday words, each searched as it is typed (every prefix from two letters on, as the
search box does after each pause), three rounds:

* the floor: the store's own full-text query (``RECENT_MATCHES_SQL``) on a bare ``sqlite3``
  connection, the same words; and, for comparison, the query before issue 14 (``ORDER BY rank``);
* ours, the core: ``Searcher.search`` (names, what records belong to, text; every record found
  described in people's words);
* ours, the core as the window uses it: ``Searcher.find`` and the first screenful of hits
  described (``Searcher.describe``; the window describes the rest as they are scrolled to);
* ours, the window: ``SearchResultsModel.search`` (offscreen), what the search dialog shows;
* ours, the window shown: the search dialog's ``run_search`` (the model, the tree expanded, the
  first hit selected) and its list painted: everything between the pause in typing and the
  results on the screen (the model alone leaves the painting, and since the first screenful is
  described lazily, part of the describing, to the paint);
* the first search after the database is opened, in a fresh process: cold, and after
  ``Searcher.prepare`` (what the app runs just after its window first paints);
* with ``--writes`` (on a copy of the database): the first search after each of 20 edits of a
  school's name, made alternately through the app's own connection and through another (as an
  import job does): what search keeps must not make that search slow.

Goal (issue 14): 95% of searches under 20 ms and none over 100 ms once the database is open.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import ROOT, machine, regional_db

WORDS = (
    "reading",
    "maths",
    "phonics",
    "Year 4",
    "Kineton",
    "behaviour",
    "curriculum",
    "Patel",
    "attendance",
    "writing",
    "SEND",
    "feedback",
)


def typed(word: str) -> list[str]:
    """What the box holds as a word is typed: every prefix from two characters on."""
    return [word[:n] for n in range(2, len(word) + 1) if word[:n].strip()]


def searches() -> list[str]:
    return [text for word in WORDS for text in typed(word)]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def summary(times: list[float]) -> dict[str, float]:
    ms = [t * 1000 for t in times]
    return {
        "n": len(ms),
        "median": statistics.median(ms),
        "p95": percentile(ms, 95),
        "max": max(ms),
        "under_20": sum(t < 20 for t in ms) / len(ms),
    }


def timed(run: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for text in texts:
            t = time.perf_counter()
            run(text)
            out.append(time.perf_counter() - t)
    return out


def floor(db: Path, texts: list[str], rounds: int, sql: str) -> list[float]:
    from peerreview.sync.storage.reading import fts_query

    conn = sqlite3.connect(db)
    conn.execute("SELECT count(*) FROM search WHERE search MATCH 'a'").fetchone()  # warm
    out = timed(
        lambda text: conn.execute(sql, ["\x02", "\x03", fts_query(text), 200]).fetchall(),
        texts,
        rounds,
    )
    conn.close()
    return out


FIRST_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from peerreview.sync.store import Store
from peerreview.sync.search import Searcher
store = Store.open(sys.argv[1])
searcher = Searcher(store)
prepare = 0.0
if sys.argv[3] == "prepare":
    t = time.perf_counter(); searcher.prepare(); prepare = time.perf_counter() - t
t = time.perf_counter(); searcher.search("reading"); first = time.perf_counter() - t
print(json.dumps({"first": first, "prepare": prepare}))
"""


def first_search(db: Path, prepare: bool) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_CHILD, str(db), str(ROOT), "prepare" if prepare else "cold"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def after_writes(source: Path) -> dict[str, float]:
    """The first search after each of 20 edits of a school's name (on a copy of ``source``)."""
    from peerreview.sync.search import Searcher
    from peerreview.sync.store import Store

    with tempfile.TemporaryDirectory(prefix="search-bench-writes-") as tmp:
        db = Path(tmp) / source.name  # a copy: the database searched above is never written
        for part in ("", "-wal"):  # closed, but its log may not have been emptied into it
            if Path(f"{source}{part}").exists():
                shutil.copyfile(f"{source}{part}", f"{db}{part}")
        store = Store.open(db)
        other = Store.open(db)  # an import job's connection
        searcher = Searcher(store)
        searcher.prepare()
        schools = store.list("school", limit=20, order_by="id")
        times = []
        for i, school in enumerate(schools):
            writer = store if i % 2 else other
            writer.update(school.id, {"name": f"{school['name']} {i}"})
            t = time.perf_counter()
            searcher.search("Kineton")
            times.append(time.perf_counter() - t)
        other.close()
        store.close()
    return summary(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the small demo (a quick check)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--writes", action="store_true", help="also the first search after each of 20 edits"
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        folder = Path(tmp)
        if args.small:
            from peerreview.demo import build_demo
            from peerreview.sync.store import Store

            db = folder / "small.db"
            with Store.init(db, device_name="Benchmark laptop") as s:
                build_demo(s, "small")
        else:
            db = regional_db()
        texts = searches()
        from peerreview.sync.storage.reading import RECENT_MATCHES_SQL

        ranked_sql = RECENT_MATCHES_SQL.replace("ORDER BY rowid DESC", "ORDER BY rank")
        base = floor(db, texts, args.rounds, RECENT_MATCHES_SQL)
        ranked = floor(db, texts, args.rounds, ranked_sql)

        firsts = [first_search(db, prepare=False) for _ in range(3)]
        prepared = [first_search(db, prepare=True) for _ in range(3)]

        from PySide6.QtWidgets import QApplication

        from peerreview.sync.search import Searcher
        from peerreview.sync.store import Store
        from ui.shell.privacy import PrivacyMode
        from ui.shell.search import FIRST_DESCRIBED, SearchDialog, SearchResultsModel
        from ui.shell.session import Session

        app = QApplication.instance() or QApplication(sys.argv[:1])
        store = Store.open(db)
        searcher = Searcher(store)
        searcher.prepare()
        core = timed(searcher.search, texts, args.rounds)

        def first_screen(text: str) -> None:
            hits = searcher.find(text)
            searcher.describe(hits.hits[:FIRST_DESCRIBED], hits.words)

        core_screen = timed(first_screen, texts, args.rounds)
        session = Session(store, privacy=PrivacyMode())
        model = SearchResultsModel(session)
        session.searcher.prepare()
        window = timed(model.search, texts, args.rounds)
        dialog = SearchDialog(session)
        dialog.show()
        app.processEvents()

        def shown(text: str) -> None:
            dialog.box.setText(text)
            dialog.run_search()
            dialog.view.viewport().repaint()  # painted now, not at the next turn of the loop

        painted = timed(shown, texts, args.rounds)
        dialog.close()
        store.close()
        del app
        after = after_writes(db) if args.writes else None

    rows = {
        "floor: the same FTS5 query in bare sqlite3": summary(base),
        "the query before issue 14 (ORDER BY rank), bare sqlite3": summary(ranked),
        "ours, core: Searcher.search": summary(core),
        "ours, core: find + describe the first screenful": summary(core_screen),
        "ours, window: SearchResultsModel.search": summary(window),
        "ours, window shown: run_search + the list painted": summary(painted),
    }
    print(f"{machine()}; {len(texts)} searches x {args.rounds} rounds; {db.name}")
    print(f"{'':58} {'median':>8} {'p95':>8} {'max':>8} {'<20 ms':>7}")
    for name, s in rows.items():
        print(
            f"{name:58} {s['median']:7.1f}  {s['p95']:7.1f}  {s['max']:7.1f}  {s['under_20']:6.0%}"
        )
    if after is not None:
        print(
            f"first search after an edit (20 edits): median {after['median']:.1f}, "
            f"p95 {after['p95']:.1f}, max {after['max']:.1f} ms"
        )
    ratio = rows["ours, window: SearchResultsModel.search"]["median"] / max(
        rows["floor: the same FTS5 query in bare sqlite3"]["median"], 1e-6
    )
    print(f"ratio of the window's median to the floor's: {ratio:.1f}x")
    cold = sorted(f["first"] * 1000 for f in firsts)
    warm = sorted(f["first"] * 1000 for f in prepared)
    prep = sorted(f["prepare"] * 1000 for f in prepared)
    print(
        f"first search after opening (fresh process, 3 runs): cold {cold[1]:.0f} ms "
        f"(min {cold[0]:.0f}); after prepare {warm[1]:.0f} ms (prepare took {prep[1]:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
