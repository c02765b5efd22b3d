"""Where PeerReview keeps things on this laptop: the live database, logs, backups (platformdirs)."""

from __future__ import annotations

from pathlib import Path

APP = "PeerReview"

# platformdirs is imported when a folder is first asked for: the window's first paint needs only
# its icons (``package_data``).


def data_dir() -> Path:
    """The user's local (never roaming, never synchronised) data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, APP, roaming=False))


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP, APP))


def package_data(name: str) -> Path:
    """A shipped data folder (``forms`` or ``resources``), in a wheel or a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_data" / name
    return installed if installed.is_dir() else here.parent / name
