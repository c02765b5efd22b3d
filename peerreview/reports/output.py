"""Writing a finished report: to an open binary file, or to a path replaced only when whole."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO

#: Where a renderer writes: a path, or an open binary file (``io.BytesIO``, a socket, ...).
PathOrFile = str | os.PathLike[str] | IO[bytes]


def write_output(data: bytes, path_or_file: PathOrFile) -> None:
    """Bytes to an open file, or to a path through a temporary sibling and an atomic rename.

    A report cancelled, or failing half-way, never leaves a truncated file where the old one was.
    """
    if not isinstance(path_or_file, (str, os.PathLike)):
        path_or_file.write(data)
        return
    path = Path(path_or_file)
    # Made with open() rather than mkstemp so that it gets the usual permissions, not 0600.
    temporary = path.with_name(f".~{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
