"""One folding rule for province spellings: reference.province_key (Python: the aliases table)
and the SQL macro fold_province (ingest: stg_province_spellings.sql) must fold every spelling
alike, or a spelling listed in province_aliases.csv would be missed in a file."""

import duckdb
import pytest

from dashboard import reference
from dashboard.store import db

# (as written, folded): worked out by hand from the rule (lower case, ASCII letters and digits
# only, then a leading "provinsi", "propinsi", "prov" or "prop" removed once)
CASES = [
    ("Jawa Barat", "jawabarat"),
    ("PROVINSI JAWA BARAT", "jawabarat"),
    ("Prov. Jawa Barat", "jawabarat"),
    ("  prov jawa-barat  ", "jawabarat"),
    ("Provinsi Provinsi X", "provinsix"),  # the prefix goes once
    ("DKI Jakarta", "dkijakarta"),
    ("Kep. Bangka Belitung", "kepbangkabelitung"),
    ("32", "32"),
    ("Papua Barat Daya", "papuabaratdaya"),
    ("Provence", "ence"),  # the rule is a plain prefix: no listed spelling starts so
    ("Jawa Prov", "jawaprov"),  # only at the start
    ("Nusa Tenggara Timur (NTT)", "nusatenggaratimurntt"),
    ("Daerah Istimewa Yogyakarta", "daerahistimewayogyakarta"),
    ("Jawa\tTimur", "jawatimur"),
    ("Sulawesi Selatan\u00a0", "sulawesiselatan"),  # a no-break space: not a letter
    ("Aceh\u00e9", "aceh"),  # a non-ASCII letter is dropped
    ("", ""),
    ("PROV", ""),
    # the spelling before 1972's EYD reform, still written (attack of 7 Dec 2026)
    ("Propinsi Jawa Barat", "jawabarat"),
    ("PROP. DKI JAKARTA", "dkijakarta"),
    ("Prop Jawa Tengah", "jawatengah"),
    # a code written as a float is the code (reference.whole_code), not its digits run together
    ("32.0", "32"), ("3204.00", "3204"), (" 32.0 ", "32"), ("32.000", "32000"), ("32.5", "325"),
    ("Jawa 32.0", "jawa320"),
    # white space around a float code as a cell may keep it (attack 2: SQL read "320")
    ("\t32.0\n", "32"), ("32.0\r", "32"), ("\u00a032.0\u00a0", "32"), (" 32.00\t", "32"),
]


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    connection = db.connect(tmp_path_factory.mktemp("fold") / "fold.duckdb")
    yield connection
    connection.close()


@pytest.mark.parametrize(("written", "folded"), CASES)
def test_python_and_sql_fold_a_spelling_alike(conn: duckdb.DuckDBPyConnection, written: str,
                                              folded: str) -> None:
    assert reference.province_key(written) == folded
    assert conn.execute("SELECT fold_province($t)", {"t": written}).fetchall()[0][0] == folded


def test_every_listed_spelling_folds_alike(conn: duckdb.DuckDBPyConnection) -> None:
    spellings = reference.province_spellings()["spelling"].tolist()
    in_sql = conn.execute(
        "SELECT list(fold_province(s) ORDER BY i) FROM (SELECT unnest($s::VARCHAR[]) AS s, "
        "generate_subscripts($s::VARCHAR[], 1) AS i)", {"s": spellings}).fetchall()[0][0]
    assert in_sql == [reference.province_key(s) for s in spellings]
    assert len(spellings) > 200  # the whole list, not an empty one
