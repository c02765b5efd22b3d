"""The ``peerreview`` command: the core's command line, able to open the desktop app.

The core (``peerreview.cli``) never imports the app; this launcher hands it the function that
opens the window, for ``peerreview``, ``peerreview --db FILE`` and ``peerreview demo`` without
``--no-gui``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from peerreview.cli import main as cli_main


def open_app(path: Path | None) -> int:
    from ui.shell.app import run

    return run(path)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, open_gui=open_app)


if __name__ == "__main__":
    sys.exit(main())
