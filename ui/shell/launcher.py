"""The ``peerreview`` command: the core's command line, able to open the desktop app.

The core (``peerreview.cli``) never imports the app; this launcher hands it the function that
opens the window, for ``peerreview``, ``peerreview --db FILE`` and ``peerreview demo`` without
``--no-gui``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from peerreview.errors import PeerReviewError

#: Qt's platforms that need no display server.
_NO_SERVER = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


class NoDisplay(PeerReviewError):
    """The window has nowhere to be shown (a server, a terminal over SSH, a container)."""


def display_problem(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> str:
    """Why the app's window cannot be shown here ("" when it can).

    On Linux and the BSDs Qt needs an X11 or Wayland display; without one it aborts the process
    (a core dump, after the README's first command has made the demo database). Windows and
    macOS always have their own.
    """
    if platform.startswith(("win", "darwin", "cygwin")):
        return ""
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if chosen in _NO_SERVER:
        return ""
    wayland, x11 = bool(env.get("WAYLAND_DISPLAY")), bool(env.get("DISPLAY"))
    if (chosen.startswith("wayland") and wayland) or (chosen == "xcb" and x11):
        return ""
    if not chosen and (wayland or x11):
        return ""
    return (
        "There is no display to open PeerReview's window on (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set): run peerreview from the laptop's desktop, or use the "
        "commands that need no window (peerreview --help lists them)."
    )


def open_app(path: Path | None) -> int:
    problem = display_problem()
    if problem:
        raise NoDisplay(problem)  # one sentence and exit 1, instead of Qt's abort
    # First, so that PySide6 reads no module's source to keep (ui/shell/signals.py).
    from ui.shell import signals  # noqa: F401
    from ui.shell.app import run

    return run(path)


def _window_only(argv: Sequence[str]) -> Path | None | bool:
    """The database ``peerreview`` or ``peerreview --db FILE`` asks the window to open (None:
    the last one); False for anything else (a command, --help), which the core's command line
    reads."""
    args = list(argv)
    if not args:
        return None
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return Path(args[1])
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > len("--db="):
        return Path(args[0].removeprefix("--db="))
    return False


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    path = _window_only(given)
    if path is not False and not display_problem():
        # Straight to the window: the command line's parser knows every feature's commands, and
        # importing them (and the store) before the window paints would delay it.
        assert not isinstance(path, bool)
        try:
            return open_app(path)
        except PeerReviewError as exc:  # as the command line says it
            print(f"peerreview: {exc.message}", file=sys.stderr)
            return 1
    from peerreview.cli import main as cli_main

    return cli_main(given, open_gui=open_app)


if __name__ == "__main__":
    sys.exit(main())
