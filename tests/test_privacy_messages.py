"""Phone numbers in what the command line and the settings say (findings 10 and 11 of the
privacy attack): a setting's wrong value quoted in an error, the progress line's file name.
Checked by digits (NFKC, any script's digits): independent of the mask under test."""

from __future__ import annotations

import pytest

from dashboard import cli, config
from dashboard.store import snapshots
from tests.conftest import HEADER, receipt, write
from tests.test_privacy import digits_of

NUMBER, CORE = "0812-3456-7900", "81234567900"


def _read_max_uncompressed() -> None:
    config.max_uncompressed_bytes()


def _read_wait() -> None:
    with snapshots.write_lock(config.REPO_ROOT / "no-such-dir" / "x.duckdb"):
        pass


SETTINGS = [  # (variable, what reads it)
    (config.MODE_ENV, config.production),
    (config.CLI_NICE_ENV, config.cli_niceness),
    (config.EXACT_REACH_ENV, config.exact_reach_max_rows),
    (config.MAX_UNCOMPRESSED_ENV, _read_max_uncompressed),
    (snapshots.WAIT_ENV, _read_wait),
]


@pytest.mark.parametrize(("variable", "read"), SETTINGS, ids=[s[0] for s in SETTINGS])
# (not 0812_3456_7900: int() and float() read it as a number, so nothing is quoted)
@pytest.mark.parametrize("written", [NUMBER, "+62 812 3456 7900", "tel. 0812 3456 7900"])
def test_a_wrong_setting_is_named_without_its_number(monkeypatch, variable, read, written):
    monkeypatch.setenv(variable, written)
    with pytest.raises(config.ConfigError) as caught:
        read()
    assert variable in str(caught.value)
    assert CORE not in digits_of(str(caught.value))


def test_the_cli_error_line_masks_a_number(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv(config.CLI_NICE_ENV, NUMBER)
    assert cli.main(["init", "--db", str(tmp_path / "p.duckdb")]) == 2
    err = capsys.readouterr().err
    assert config.CLI_NICE_ENV in err and CORE not in digits_of(err)


def test_the_progress_line_names_the_file_as_cleaned(monkeypatch, tmp_path, capsys):
    shown: list[str] = []
    monkeypatch.setattr(cli, "_progress_line", lambda name: shown.append(name))
    path = write(tmp_path, f"receipts_{NUMBER}.csv", [HEADER, receipt("M1")])
    assert cli.main(["ingest", "--db", str(tmp_path / "p.duckdb"), str(path)]) == 0
    assert len(shown) == 1 and shown[0].startswith("receipts_")
    assert CORE not in digits_of(shown[0] + capsys.readouterr().out)
