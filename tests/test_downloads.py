"""Downloads that open right (issue 15, point 7): every table as the machine CSV, as XLSX and as
a CSV for Excel with Indonesian settings, from one writer per format for the app and the CLI;
exported files readable as the user's umask says."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard.export.files import write_atomically


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- file modes ----------------------------------------------------------------------------


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600),
                                                (0o027, 0o640)])
def test_a_written_file_has_the_mode_the_umask_gives(tmp_path, mask, expected):
    with umask(mask):
        target = write_atomically(tmp_path / "out" / "table.csv", b"a\r\n1\r\n")
    assert mode(target) == expected
    assert target.read_bytes() == b"a\r\n1\r\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]  # no temp file left


def test_replacing_a_file_gives_it_the_umask_mode_too(tmp_path):
    target = tmp_path / "table.csv"
    target.write_bytes(b"old")
    target.chmod(0o600)  # written by an earlier version
    with umask(0o022):
        write_atomically(target, b"new")
    assert (mode(target), target.read_bytes()) == (0o644, b"new")


def test_a_failed_write_leaves_no_temp_file(tmp_path, monkeypatch):
    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_atomically(tmp_path / "table.csv", b"data")
    assert list(tmp_path.iterdir()) == []
