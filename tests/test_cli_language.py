"""The command line's reasons on stderr in the user's language (--lang, else $PEMILU_LANG,
else Indonesian), with the exit codes they always had: 1 for a failure, 2 for a command line
argparse or the filters refuse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import cli
from dashboard.cli import argparse_message, cli_language, main
from dashboard.i18n import Translatable, error_text
from tests.conftest import HEADER, receipt, write


def exit_code(argv: list[str]) -> int:
    """main's return, or the code argparse exits with (the process's exit code either way)."""
    try:
        return main(argv)
    except SystemExit as exited:
        return int(exited.code)


@pytest.fixture
def paths(tmp_path, monkeypatch):
    """A small database, a text file that is no database, and the folder as cwd."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEMILU_LANG", raising=False)
    database = tmp_path / "cli.duckdb"
    assert main(["ingest", str(write(tmp_path, "r.csv", [HEADER, receipt("M1")])),
                 "--db", str(database)]) == 0
    (tmp_path / "notes.txt").write_text("not a database\n", encoding="utf-8")
    return {"db": str(database), "text": str(tmp_path / "notes.txt"),
            "missing": str(tmp_path / "missing.csv")}


# (command line, language, what stderr says, exit code); {db} {text} {missing}: paths above
CASES = [
    ("export nope --out x.csv --db {db}", "id", "tabel 'nope' tidak dikenal; pilih", 1),
    ("export nope --out x.csv --db {db}", "en", "unknown table 'nope'; choose one of", 1),
    ("figure nope --out x.png --db {db}", "id", "grafik 'nope' tidak dikenal", 1),
    ("figure nope --out x.png --db {db}", "en", "unknown figure 'nope'", 1),
    ("export reach_totals --out x.csv --db nowhere/x.duckdb", "id",
     "tidak ada basis data di nowhere/x.duckdb", 1),
    ("export reach_totals --out x.csv --db nowhere/x.duckdb", "en",
     "no database at nowhere/x.duckdb", 1),
    ("export reach_totals --out x.csv --db {text}", "id",
     "bukan berkas basis data DuckDB, atau rusak", 1),
    ("export reach_totals --out x.csv --db {text}", "en", "is not a DuckDB database file", 1),
    ("ingest {missing} --db {db}", "id", "error: 1 dari 1 berkas gagal dimuat", 1),
    ("ingest {missing} --db {db}", "en", "error: 1 of 1 file(s) failed to load", 1),
    ("verify {missing} --db {db}", "id", "1 dari 1 berkas tidak cocok dengan catatan muatnya", 1),
    ("verify {missing} --db {db}", "en", "1 of 1 file(s) do not match their log entry", 1),
    ("watch nowhere --once --db {db}", "id", "tidak ada folder di nowhere", 1),
    ("watch nowhere --once --db {db}", "en", "no folder at nowhere", 1),
    ("deliver --db {db}", "id", "tidak ada penerima", 1),
    ("deliver --db {db}", "en", "no recipients", 1),
    ("export reach_totals --out x.csv --from 2024-13-01", "id",
     "argumen --from: '2024-13-01' bukan tanggal; tulis YYYY-MM-DD", 2),
    ("export reach_totals --out x.csv --from 2024-13-01", "en",
     "argument --from: '2024-13-01' is not a date; write YYYY-MM-DD", 2),
    ("export reach_totals --out x.csv --format xls", "id",
     "argumen --format: pilihan 'xls' tidak valid (pilih dari 'csv'", 2),
    ("export reach_totals --out x.csv --format xls", "en",
     "argument --format: invalid choice: 'xls' (choose from 'csv'", 2),
    ("export reach_totals", "id", "argumen berikut wajib diisi: --out", 2),
    ("export reach_totals", "en", "the following arguments are required: --out", 2),
    ("retention --days many", "id", "argumen --days: nilai 'many' tidak valid", 2),
    ("retention --days many", "en", "argument --days: invalid value 'many'", 2),
    ("export reach_totals --out x.csv --db {db} --operator nope", "id",
     "--operator 'nope' tidak dikenal", 2),  # the filter refusal, as before
]


@pytest.mark.parametrize(("line", "lang", "said", "code"), CASES)
def test_a_refusal_is_said_in_the_language_with_its_exit_code(paths, capsys, line, lang, said,
                                                              code):
    assert exit_code([*line.format(**paths).split(), "--lang", lang]) == code
    err = capsys.readouterr().err
    assert said in err, err
    assert err.count("error: ") == 1


# (--lang given, $PEMILU_LANG, what stderr says): --lang first, then the environment, then id
@pytest.mark.parametrize(("given", "env", "said"), [
    (None, None, "tabel 'nope' tidak dikenal"),
    (None, "en", "unknown table 'nope'"),
    (None, " EN ", "unknown table 'nope'"),
    (None, "fr", "tabel 'nope' tidak dikenal"),  # not a language: Indonesian, as the app
    ("id", "en", "tabel 'nope' tidak dikenal"),
    ("en", "id", "unknown table 'nope'"),
])
def test_the_language_is_lang_then_the_environment_then_indonesian(paths, capsys, monkeypatch,
                                                                   given, env, said):
    if env is not None:
        monkeypatch.setenv("PEMILU_LANG", env)
    line = ["export", "nope", "--out", "x.csv", "--db", paths["db"]]
    assert main(line + (["--lang", given] if given else [])) == 1
    assert said in capsys.readouterr().err


# (command line, language): a --lang that names no language is not the CLI's language
@pytest.mark.parametrize(("argv", "lang"), [
    (["export", "x", "--lang", "en"], "en"),
    (["export", "x", "--lang=en"], "en"),
    (["experiment", "reference", "--lang", "python"], "id"),
    (["export", "x", "--", "--lang", "en"], "id"),  # after --: not an option
    (["export", "x", "--lang"], "id"),
])
def test_cli_language_reads_lang_before_parsing(monkeypatch, argv, lang):
    monkeypatch.delenv("PEMILU_LANG", raising=False)
    assert cli_language(argv) == lang


@pytest.mark.parametrize(("lang", "said"), [
    ("id", "sedang dipakai proses lain (PID 4242)"),
    ("en", "is in use by another process (PID 4242)"),
])
def test_a_locked_database_is_said_in_the_language(paths, capsys, monkeypatch, lang, said):
    database = Path(paths["db"])

    def locked(path, read_only=False):
        raise duckdb.IOException(f'IO Error: Could not set lock on file "{database}": '
                                 "Conflicting lock is held in /usr/bin/python (PID 4242)")

    monkeypatch.setattr(cli.db, "connect", locked)
    assert main(["ingest", paths["missing"], "--db", str(database), "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert said in err and str(database) in err


@pytest.mark.parametrize(("lang", "said"), [
    ("id", "ekspor {out} tidak dapat ditulis: "),
    ("en", "could not write the export {out}: "),
])
def test_an_unwritable_output_is_said_in_the_language(paths, capsys, tmp_path, lang, said):
    out = tmp_path / "a-folder"
    out.mkdir()  # the export cannot replace a folder with its file
    assert main(["export", "reach_totals", "--out", str(out), "--db", paths["db"],
                 "--lang", lang]) == 1
    assert said.format(out=out) in capsys.readouterr().err


def test_an_unknown_argument_is_masked_and_said_in_the_language(paths, capsys):
    assert exit_code(["export", "reach_totals", "--out", "x.csv", "--bogus", "081234567890",
                      "--lang", "id"]) == 2
    err = capsys.readouterr().err
    assert "argumen tidak dikenal: --bogus" in err and "1234567890" not in err


# argparse's own words -> the CLI's; wording argparse may change is passed on as it is
@pytest.mark.parametrize(("message", "lang", "said"), [
    ("argument --lang: expected one argument", "id", "argumen --lang: perlu satu nilai"),
    ("argument --lang: expected one argument", "en", "argument --lang: expected one argument"),
    ("argument --x: not allowed with argument --y", "id",
     "argumen --x: not allowed with argument --y"),
    ("unrecognized arguments: a b", "id", "argumen tidak dikenal: a b"),
    ("something new", "id", "something new"),
])
def test_argparse_message(message, lang, said):
    assert argparse_message(message, lang) == said


# What other modules raise or the commands print, said in the run's language ($PEMILU_LANG
# here: `experiment` and `cluster attach` subcommands take no --lang of the CLI's).
# (command line, env, what stdout or stderr says in id, in en, exit code); {db} {text}
# {missing} {tmp}: paths above; env: more settings for the run
SAID = [
    ("lake --db {db} --out {text}", {}, "adalah berkas, bukan folder; pilih sebuah folder untuk "
     "lake (tidak ada yang dihapus)", "is a file, not a folder; choose a folder for the lake "
     "(nothing was deleted)", 1),
    ("lake --db {db} --out {tmp}/lake", {}, "1 tanda terima ditulis ke",
     "1 receipts written to", 0),
    ("restore {text} --db {db}", {}, "bukan cadangan basis data dasbor ini",
     "is not a backup of this dashboard's database", 2),
    ("backup {tmp}/b.duckdb --db {db}", {}, "ditulis ke {tmp}/b.duckdb",
     "written to {tmp}/b.duckdb", 0),
    ("retention --days 0 --db {db}", {}, "retensi harus menyimpan sedikitnya satu hari",
     "retention must keep at least one day", 2),
    ("retention --days 30 --today 2030-01-01 --db {db}", {},
     "retensi: 1 baris receipts dan 0 baris rejects dihapus",
     "retention: 1 receipts rows and 0 rejects rows deleted", 0),
    ("init --db {tmp}/new.duckdb", {}, "basis data siap: {tmp}/new.duckdb",
     "database ready: {tmp}/new.duckdb", 0),
    ("export reach_totals --out {tmp}/x.csv --db {db}", {}, "baris ditulis ke {tmp}/x.csv",
     "rows written to {tmp}/x.csv", 0),
    ("alerts --db {db}", {}, "peringatan dari", "alert(s) from", 0),
    ("brief --week 2024-W54 --out {tmp}/b.html --db {db}", {},
     "tahun 2024 tidak memiliki minggu ISO 54", "2024 has no ISO week 54", 1),
    ("brief --week pekan-lalu --out {tmp}/b.html --db {db}", {},
     "'pekan-lalu' bukan minggu ISO", "not an ISO week 'pekan-lalu'", 1),
    ("export reach_totals --out {tmp}/x.csv --db {db}", {"PEMILU_CLI_NICE": "ten"},
     "PEMILU_CLI_NICE harus bilangan bulat dari 0 sampai 19, bukan 'ten'",
     "PEMILU_CLI_NICE must be a whole number from 0 to 19, not 'ten'", 2),
    ("ingest {tmp}/r.csv --db {tmp}/k.duckdb", {"PEMILU_ENV": "prod", "PEMILU_SECRET": ""},
     "PEMILU_SECRET wajib diisi bila PEMILU_ENV adalah production: gunakan nilai acak",
     "PEMILU_SECRET must be set when PEMILU_ENV is production: use a random value", 2),
    ("ingest {tmp}/r.csv --db {tmp}/k.duckdb", {"PEMILU_ENV": "produksi"},
     "PEMILU_ENV harus 'production'", "PEMILU_ENV must be 'production'", 2),
    ("experiment freeze {text} --db {db}", {}, "notes.txt: File rencana bukan JSON",
     "notes.txt: The plan file is not JSON", 1),
    ("experiment verify {missing} --db {db}", {}, "rencana {missing} tidak dapat dibaca",
     "cannot read the plan {missing}", 1),
    ("experiment plan --design individual --waves W1 --salt xyz --signed-off-by-name A "
     "--signed-off-by-role B --out {tmp}/p.json --db {db}", {},
     "Salt harus 64 karakter heksadesimal", "The salt must be 64 lower-case hexadecimal", 1),
    ("experiment reference --plan {missing} --lang python", {},
     "rencana {missing} tidak dapat dibaca", "cannot read the plan {missing}", 1),
    ("cluster attach --rollups {tmp} --db {tmp}/c.duckdb", {}, "tidak memuat manifest.json",
     "has no manifest.json", 1),
    ("ingest {tmp}/r.csv --db {tmp}/k.duckdb", {"PEMILU_WRITE_WAIT": "lama"},
     "PEMILU_WRITE_WAIT harus berupa jumlah detik, bukan 'lama'",
     "PEMILU_WRITE_WAIT must be a number of seconds, not 'lama'", 2),
]
# words of one language that the other's messages never hold (paths and DuckDB's own words
# quoted in a reason aside)
ENGLISH = (" written ", " must ", "nothing was", " cannot ", " rows ", "ready")
INDONESIAN = (" ditulis ", " harus ", " tidak ", " bukan ", " baris ", "siap", " dari ")


@pytest.mark.parametrize(("line", "env", "said_id", "said_en", "code"), SAID)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_what_lower_layers_say_is_said_in_the_language(paths, capsys, monkeypatch, tmp_path,
                                                       line, env, said_id, said_en, code, lang):
    values = {**paths, "tmp": str(tmp_path)}
    monkeypatch.setenv("PEMILU_LANG", lang)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert exit_code(line.format(**values).split()) == code
    captured = capsys.readouterr()
    said = (captured.out + captured.err).replace(str(tmp_path), "{tmp}")
    expected, other = (said_id, said_en) if lang == "id" else (said_en, said_id)
    assert expected.format(**values).replace(str(tmp_path), "{tmp}") in said, said
    assert other.format(**values).replace(str(tmp_path), "{tmp}") not in said
    leaks = [word for word in (ENGLISH if lang == "id" else INDONESIAN) if word in said]
    assert not leaks, said
    assert captured.err.count("error: ") == (code != 0)


@pytest.mark.parametrize(("lang", "said"), [
    ("id", "proses lain sudah menulis ke {db} lebih dari 0 dtk (pemuatan atau unggahan); coba "
           "lagi setelah selesai, atau naikkan $PEMILU_WRITE_WAIT"),
    ("en", "another process has been writing to {db} for more than 0 s (a load or an upload); "
           "try again when it has finished, or raise $PEMILU_WRITE_WAIT"),
])
def test_a_load_turned_away_by_another_writer_says_so_in_the_language(paths, capsys,
                                                                     monkeypatch, lang, said):
    from dashboard.store import snapshots

    monkeypatch.setenv("PEMILU_WRITE_WAIT", "0")
    with snapshots.write_lock(Path(paths["db"])):  # another writer holds the database
        code = exit_code(["ingest", paths["missing"].replace("missing", "r"), "--db",
                          paths["db"], "--lang", lang])
    assert code == 2
    assert capsys.readouterr().err.strip() == "error: " + said.format(**paths)


class Refused(Translatable, ValueError):
    """A lower layer's error, as the lake's or the backup's."""


# (error, language, what it says): a key's words in the language, a reason inside a reason
# in the same language, and an error that holds no key as it is
@pytest.mark.parametrize(("error", "lang", "said"), [
    (Refused("cli.no_folder", path="x"), "id", "tidak ada folder di x"),
    (Refused("cli.no_folder", path="x"), "en", "no folder at x"),
    (Refused("cli.logo_invalid", path="a.png", reason=Refused("cli.no_folder", path="x")), "id",
     "logo a.png: tidak ada folder di x"),
    (Refused("cli.logo_invalid", path="a.png", reason=Refused("cli.no_folder", path="x")), "en",
     "logo a.png: no folder at x"),
    (Refused("cli.logo_invalid", path="a.png", reason="as it is"), "id", "logo a.png: as it is"),
    (ValueError("the OS's own words"), "id", "the OS's own words"),
    (OSError(28, "No space left on device"), "en", "[Errno 28] No space left on device"),
])
def test_error_text(error, lang, said):
    assert error_text(error, lang) == said


def test_a_translatable_error_is_english_as_a_string_and_keeps_its_key():
    inner = Refused("cli.no_folder", path="x")
    error = Refused("cli.logo_invalid", path="a.png", reason=inner)
    assert isinstance(error, ValueError)
    assert str(error) == "logo a.png: no folder at x"  # logs and the app's English
    assert (error.key, error.params) == ("cli.logo_invalid", {"path": "a.png", "reason": inner})
    assert error.args == ("logo a.png: no folder at x",)


# (language, the progress line on a terminal): the load's stage in the run's language
@pytest.mark.parametrize(("lang", "said"), [
    ("id", "r.csv: membaca dan memeriksa · 1.234 baris · 50 %"),
    ("en", "r.csv: reading and validating · 1,234 rows · 50 %"),
])
def test_the_progress_line_is_in_the_language(monkeypatch, capsys, lang, said):
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True)
    token = cli._LANG.set(lang)
    try:
        cli._progress_line("r.csv")(0.5, "progress.reading", 1234)
    finally:
        cli._LANG.reset(token)
    assert said in capsys.readouterr().err
