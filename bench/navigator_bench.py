"""The navigator placing many rows under one folder, against the floor of sorting them in.

A catch-up that places rows among others (not after them all), and edits followed one by one,
put each row at its sorted place (``NavigatorModel._place``); a view then asks each row's index
and parent. Measured on 10,000 rows under the Schools folder of an empty partnership, in a random
order, beside a floor measured in the same run: ``bisect.insort`` of the same rows by the same
key into a list (what any sorted placement must do). Then every row's index and its parent's
(what a view asks as it paints), beside the floor of reading each from a dict.

    .venv/bin/python bench/navigator_bench.py [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from common import best_of, loadavg, machine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from peerreview.sync.store import Store
    from ui.shell.navigator import NavigatorModel, Node
    from ui.shell.roles import RECORD
    from ui.shell.session import Session

    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(1)
    titles = [f"School {rng.randrange(10**9):09d}" for _ in range(args.rows)]

    with tempfile.TemporaryDirectory() as folder:
        store = Store.init(Path(folder) / "p.db", device_name="Benchmark laptop")
        session = Session(store)
        model = NavigatorModel(session)
        schools = model.folder("school")

        def nodes() -> list[Node]:
            return [
                Node(RECORD, "school", title, record_id=f"id-{n:05d}")
                for n, title in enumerate(titles)
            ]

        placed: list[Node] = []

        def place() -> None:
            made = nodes()
            model.beginResetModel()
            for node in list(schools.children):
                model._remove(node)
            model.endResetModel()
            for node in made:
                model._place(schools, node)
            placed[:] = made

        def floor_place() -> None:
            rows: list[tuple[object, ...]] = []
            for node in nodes():
                bisect.insort(rows, node.sort_key())

        def look_up() -> None:
            for node in placed:
                index = model.index_of(node)
                model.parent(model.index(0, 0, index) if node.children else index)

        def floor_look_up() -> None:
            rows = {id(n): r for r, n in enumerate(schools.children)}
            for node in placed:
                rows.get(id(node))
                rows.get(id(node.parent))

        # Alternated, so that both sides see the same machine.
        times: dict[str, list[float]] = {"place": [], "floor": [], "look": [], "lfloor": []}
        for _ in range(args.repeat):
            times["floor"].append(best_of(floor_place, 1))
            times["place"].append(best_of(place, 1))
            times["lfloor"].append(best_of(floor_look_up, 1))
            times["look"].append(best_of(look_up, 1))
        assert [n.title for n in schools.children] == sorted(
            (n.title for n in schools.children), key=str.casefold
        )
        session.deleteLater()
        store.close()
    del app
    place_s, floor_s = min(times["place"]), min(times["floor"])
    look_s, lfloor_s = min(times["look"]), min(times["lfloor"])
    print(f"{machine()}; load {loadavg()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(
        f"placing {args.rows:,} rows: {place_s * 1000:.1f} ms, floor (insort) "
        f"{floor_s * 1000:.1f} ms: {place_s / floor_s:.1f}x the floor"
    )
    print(
        f"every row's index and parent: {look_s * 1000:.1f} ms, floor (a dict) "
        f"{lfloor_s * 1000:.1f} ms: {look_s / lfloor_s:.1f}x the floor"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
