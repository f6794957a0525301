"""Writing export files so they appear whole or not at all, readable as the user's umask says."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# What open(2) asks for a new file; the kernel takes the process umask away (0o022 -> 0o644).
# tempfile.mkstemp asks for 0o600 whatever the umask, which left exports on a shared drive
# unreadable to colleagues (issue 15, point 7).
NEW_FILE_MODE = 0o666
_ATTEMPTS = 100


def _open_temp_beside(target: Path) -> tuple[int, Path]:
    """A new, empty, exclusively created file in the target's folder (so os.replace is atomic
    and never crosses a file system), created with NEW_FILE_MODE less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_ATTEMPTS):
        candidate = target.parent / f".{target.name}.{secrets.token_hex(6)}"
        try:
            return os.open(candidate, flags, NEW_FILE_MODE), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def write_atomically(target: Path, data: bytes) -> Path:
    """Write to a temp file beside the target, then swap it in (creating parent folders).
    The file gets the mode any new file of this process gets (0o666 less the umask)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_path = _open_temp_beside(target)
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(data)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target
