"""Opening a store loads no numerical library: every start would pay for it."""

import subprocess
import sys


def _run(code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_opening_a_store_imports_neither_numpy_nor_pandas(tmp_path):
    code = (
        "import sys\n"
        "from peerreview.sync.store import Store\n"
        "import sqlite_utils\n"
        "Store.init(sys.argv[1], device_name='Start').close()\n"
        "Store.open(sys.argv[1]).close()\n"
        "loaded = sorted(m for m in ('numpy', 'pandas') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    assert _run(code, str(tmp_path / "p.db")) == ""


def test_numpy_still_imports_afterwards():
    code = "import peerreview.sync.store\nimport numpy\nprint(numpy.zeros(2).sum())\n"
    assert _run(code) == "0.0"


def test_opening_a_store_leaves_peer_reviews_naming_for_later(tmp_path):
    """Describing a review reads forms and the report's dates: not needed to open a store."""
    code = (
        "import sys\n"
        "from peerreview.sync.store import Store\n"
        "Store.init(sys.argv[1], device_name='Start').close()\n"
        "Store.open(sys.argv[1]).close()\n"
        "print('peerreview.review.naming' in sys.modules)\n"
    )
    assert _run(code, str(tmp_path / "p.db")) == "False"


def test_peer_review_names_the_kinds_it_declares():
    from peerreview.review.feature import NAMED
    from peerreview.review.naming import DESCRIBERS

    assert set(DESCRIBERS) == set(NAMED)
