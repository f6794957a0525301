"""The Parquet lake: hive layout, every receipt once, and the portable query giving the
dashboard's own figures when DuckDB reads the lake."""

from __future__ import annotations

import pytest

from dashboard.cli import main
from dashboard.reports import tables
from dashboard.store import db
from dashboard.store.lake import lake_connection


@pytest.fixture(autouse=True)
def english_cli(monkeypatch):
    """These tests read the command line's English words (tests/test_cli_language.py: both)."""
    monkeypatch.setenv("PEMILU_LANG", "en")


def test_the_lake_is_hive_partitioned_and_complete(sample_db, tmp_path, capsys):
    lake = tmp_path / "lake"
    assert main(["lake", "--db", str(sample_db), "--out", str(lake)]) == 0
    assert "receipts written" in capsys.readouterr().out
    partitions = {p.relative_to(lake).parts[:2] for p in lake.rglob("*.parquet")}
    with db.connect(sample_db, read_only=True) as conn:
        expected = {(f"wave_id={w}", f"operator={o}") for w, o in conn.execute(
            "SELECT DISTINCT wave_id, operator FROM receipts").fetchall()}
        stored = conn.execute("SELECT count(*), count(DISTINCT recipient_key) FROM receipts"
                              ).fetchall()[0]
    assert partitions == expected
    with lake_connection(lake) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT recipient_key_signed) "
                            "FROM lake_receipts").fetchall()[0] == stored
    assert not (tmp_path / "lake.writing").exists()


def test_the_portable_query_matches_the_dashboard(sample_db, tmp_path):
    lake = tmp_path / "lake"
    assert main(["lake", "--db", str(sample_db), "--out", str(lake)]) == 0
    with lake_connection(lake) as conn:
        from_lake = db.run(conn, "lake/reach_operator_lake")
    with db.connect(sample_db, read_only=True) as conn:
        dashboard = tables.table(conn, "reach_operator")
    merged = from_lake.merge(dashboard, on="operator", suffixes=("_lake", ""))
    assert len(merged) == len(dashboard) == 4
    for column in ("sent", "delivered", "unique_reach"):
        assert (merged[f"{column}_lake"] == merged[column]).all(), column
    assert (merged["delivery_rate_lake"] - merged["delivery_rate"]).abs().max() < 1e-12


# --- issue 13, finding 10b: the lake's folder ---------------------------------------------------

def unrelated(folder):
    """A folder of someone's own files, to be left as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text("mine")
    (folder / "sub").mkdir()
    (folder / "sub" / "data.parquet").write_bytes(b"not a lake")
    return folder


def files_in(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def a_new_folder(tmp_path, sample_db):
    return tmp_path / "new" / "lake"


def an_empty_folder(tmp_path, sample_db):
    (tmp_path / "empty").mkdir()
    return tmp_path / "empty"


def a_lake_written_before(tmp_path, sample_db):
    lake = tmp_path / "lake"
    assert main(["lake", "--db", str(sample_db), "--out", str(lake)]) == 0
    return lake


def a_folder_of_other_files(tmp_path, sample_db):
    return unrelated(tmp_path / "mine")


def a_lake_plus_a_file(tmp_path, sample_db):
    lake = a_lake_written_before(tmp_path, sample_db)
    (lake / "notes.txt").write_text("mine")
    return lake


def a_lake_with_a_stray_file_inside(tmp_path, sample_db):
    lake = a_lake_written_before(tmp_path, sample_db)
    next(lake.glob("wave_id=*/operator=*")).joinpath("README").write_text("mine")
    return lake


def a_file(tmp_path, sample_db):
    (tmp_path / "f.parquet").write_bytes(b"x")
    return tmp_path / "f.parquet"


# (make the --out target, written, words of the refusal)
TARGETS = [
    (a_new_folder, True, None),
    (an_empty_folder, True, None),
    (a_lake_written_before, True, None),
    (a_folder_of_other_files, False, "is not empty and holds no lake written by this command"),
    (a_lake_plus_a_file, False, "notes.txt"),
    (a_lake_with_a_stray_file_inside, False, "README"),
    (a_file, False, "is a file"),
]


@pytest.mark.parametrize(("make", "written", "refusal"), TARGETS,
                         ids=[c[0].__name__ for c in TARGETS])
def test_the_lake_never_replaces_a_folder_it_did_not_write(sample_db, tmp_path, capsys, make,
                                                           written, refusal):
    target = make(tmp_path, sample_db)
    capsys.readouterr()
    before = files_in(target) if target.is_dir() else None
    code = main(["lake", "--db", str(sample_db), "--out", str(target)])
    err = capsys.readouterr().err.strip()
    if written:
        assert code == 0, err
        assert list(target.rglob("*.parquet"))
        return
    assert code != 0
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert refusal in err and str(target) in err and "nothing was deleted" in err, err
    if before is not None:
        assert files_in(target) == before  # every file as it was
    assert [p.name for p in tmp_path.iterdir() if ".writing" in p.name] == []


@pytest.mark.parametrize("out", [".", "./"])
def test_the_current_folder_is_refused_with_a_reason_not_a_traceback(sample_db, tmp_path,
                                                                     monkeypatch, capsys, out):
    monkeypatch.chdir(unrelated(tmp_path / "work"))
    before = files_in(tmp_path / "work")
    assert main(["lake", "--db", str(sample_db), "--out", out]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "holds no lake written by this command" in err, err
    assert files_in(tmp_path / "work") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]  # no staging left behind


def test_an_unrelated_writing_folder_beside_the_lake_is_left_alone(sample_db, tmp_path):
    """The old staging name (<folder>.writing) was deleted unseen: it may be someone's."""
    beside = unrelated(tmp_path / "lake.writing")
    before = files_in(beside)
    assert main(["lake", "--db", str(sample_db), "--out", str(tmp_path / "lake")]) == 0
    assert files_in(beside) == before


# (stored key, the lake's signed key): key - 2^63, worked by hand at the edges of 64 bits
LAKE_KEYS = [(0, -(1 << 63)), ((1 << 63) - 1, -1), (1 << 63, 0), ((1 << 63) + 5, 5),
             ((1 << 64) - 1, (1 << 63) - 1)]


@pytest.mark.parametrize("key, signed", LAKE_KEYS)
def test_the_lake_s_signed_key_and_back(key, signed):
    conn = db.memory_connection()
    assert conn.execute("SELECT signed_key($k::UBIGINT), unsigned_key($s::BIGINT)",
                        {"k": key, "s": signed}).fetchall() == [(signed, key)]
