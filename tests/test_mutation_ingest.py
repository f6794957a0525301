"""Edge cases for mutation testing of dashboard/ingest/ (issue 14 point 7; docs/MUTATION.md):
tables of inputs with the expected result written out by hand from the input, or computed
by an independent reference (hashlib for the key check), never from our own output."""

from __future__ import annotations

import hashlib

import pytest

from dashboard import config, db
from dashboard.ingest import privacy

M = privacy.MASK

# ------------------------------------------------------------------------------------------
# privacy.py: numbers
# ------------------------------------------------------------------------------------------

NORMALISED = [
    # (written, in 62 form or None)
    (None, None),
    ("", None),
    ("   ", None),
    ("081234567890", "6281234567890"),
    ("  081234567890  ", "6281234567890"),
    ("6281234567890", "6281234567890"),
    ("+62 812-3456-7890", "6281234567890"),
    ("(0812) 3456.7890", "6281234567890"),
    ("81234567890", "6281234567890"),      # without a prefix
    (81234567890, "6281234567890"),        # not text
    ("0812345678", "62812345678"),         # 628 + 8 digits
    ("081234567", "6281234567"),           # 628 + 7 digits: the shortest
    ("08123456", None),                    # 628 + 6 digits
    ("08123456789012", None),              # 628 + 12 digits: too long
    ("0812345678901", "62812345678901"),       # 628 + 11 digits: the longest
    ("0812/3456/7890", None),              # a slash is not a separator of a written number
    ("0812_3456_7890", None),
    ("++6281234567890", None),             # one plus at most
    ("0812345678a", None),
    ("12345678901", None),                 # neither 62, 0 nor 8 first
    ("0212345678", None),                  # a landline: 62 2...
    ("622123456789", None),
    ("+0812345678", "62812345678"),
]


@pytest.mark.parametrize(("written", "expected"), NORMALISED)
def test_normalise_msisdn(written, expected):
    assert privacy.normalise_msisdn(written) == expected


FOLDED = [
    # (text, extra separators, folded)
    ("", "", ""),
    ("0812 3456", "", "0812 3456"),
    ("a_b", "_", "a b"),
    ("a_b", "", "a_b"),
    ("a_b-c", "_-", "a b c"),
    ("\uff10\uff18\uff11\uff12", "", "0812"),            # full-width digits
    ("\u0660\u0668\u0661\u0662", "", "0812"),            # Arabic-Indic digits
    ("\u09e6\u09ee", "", "08"),                          # Bengali digits
    ("\u00b2\u00b3", "", "23"),                          # superscripts: NFKC digits
    ("\uff0b\uff08\uff09\uff0e\uff0f", "", "+()./"),    # full-width + ( ) . /
    ("\u00a0\u2009\u3000", "", "   "),                   # spaces NFKC makes ' '
    ("\u1680", "", " "),                                 # Zs that NFKC keeps
    ("\u2028", "", " "),                                 # Zl
    ("\u2029", "", " "),                                 # Zp
    ("\u200b\u2060\ufeff", "", "   "),                   # Cf: invisible
    ("\u2010\u2013\u2014", "", "---"),                   # Pd dashes
    ("\u2212", "", "-"),                                 # the minus sign (Sm)
    ("\ufe63", "", "-"),                                 # small hyphen-minus: NFKC '-'
    ("\u00e9\u00df\u00bd\u2215", "", "\u00e9\u00df\u00bd\u2215"),  # kept as written
    ("\u2215", "", "\u2215"),                            # division slash (Sm): kept
    ("\uff10_\u00a0", "_", "0  "),                       # non-ASCII and extra separators
    ("x\u00e9_", "_", "x\u00e9 "),
]


@pytest.mark.parametrize(("text", "extra", "folded"), FOLDED)
def test_fold_text(text, extra, folded):
    assert privacy.fold_text(text, extra) == folded


def test_fold_text_without_extra_separators():
    assert privacy.fold_text("\uff10_") == "0_"


MASKED = [
    # (text, mask, extra separators, masked)
    ("call 081234567890 now", M, "", f"call {M} now"),
    ("081234567890", M, "", M),
    ("a 081234567890 b 6281298765432 c", M, "", f"a {M} b {M} c"),
    ("a 081234567890 b", "#", "", "a # b"),
    ("no number here", M, "", "no number here"),
    ("", M, "", ""),
    ("0812_3456_7890", M, "", "0812_3456_7890"),
    ("0812_3456_7890", M, "_", M),
    ("x \uff10\uff18\uff11\uff12-\uff13\uff14\uff15\uff16-\uff17\uff18\uff19\uff10 y", M, "",
     f"x {M} y"),
    ("x 0812\u20133456\u20137890 y", M, "", f"x {M} y"),
    ("\u00e9 0812\u00a03456\u00a07890", M, "", f"\u00e9 {M}"),
    ("id 81234567 end", M, "", f"id {M} end"),          # 8 and 7 digits: masked
    ("id 8123456 end", M, "", "id 8123456 end"),        # 8 and 6 digits: not
]


@pytest.mark.parametrize(("text", "mask", "extra", "masked"), MASKED)
def test_mask_phone_numbers(text, mask, extra, masked):
    assert privacy.mask_phone_numbers(text, mask, extra) == masked


def test_mask_phone_numbers_defaults():
    assert privacy.mask_phone_numbers(None) is None
    assert privacy.mask_phone_numbers("a 081234567890") == f"a {M}"
    assert privacy.mask_phone_numbers("0812_3456_7890") == "0812_3456_7890"


@pytest.mark.parametrize(("text", "found"), [
    ("081234567890", True), ("x 62 812 3456 7890", True), ("8123456", False), ("", False),
    ("\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", True),
    ("\u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667", True),
    ("SMS01 2023-12-05", False),
])
def test_contains_phone_number(text, found):
    assert privacy.contains_phone_number(text) is found


FULL_WIDTH = "x \uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10 y"


def test_the_folded_pattern_gives_the_texts_spans_and_the_folded_match():
    found = privacy.PHONE_IN_TEXT.search(FULL_WIDTH)
    assert (found.span(), found.group()) == ((2, 14), "081234567890")
    assert privacy.PHONE_IN_TEXT.search("no number") is None
    two = "a 081234567890 b \uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18 c"
    assert [(m.span(), m.group()) for m in privacy.PHONE_IN_TEXT.finditer(two)] == [
        ((2, 14), "081234567890"), ((17, 27), "0812345678")]
    assert privacy.PHONE_IN_TEXT.findall(two) == ["081234567890", "0812345678"]
    assert privacy.PHONE_IN_TEXT.findall("none") == []


# ------------------------------------------------------------------------------------------
# privacy.py: the key check
# ------------------------------------------------------------------------------------------

LABEL = b"pemilu-pseudonym-key-check:"
STRONG = "a-production-secret-of-forty-characters!"  # >= config.MIN_SECRET_LENGTH


def scrypt_value(secret: str, salt: bytes, n: int, r: int, p: int) -> str:
    """The check value written out with hashlib (the reference)."""
    digest = hashlib.scrypt(LABEL + secret.encode(), salt=salt, n=n, r=r, p=p,
                            maxmem=2 ** 28, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def legacy_value(secret: str) -> str:
    return hashlib.sha256(LABEL + secret.encode()).hexdigest()


def test_key_check_is_scrypt_of_the_labelled_secret_with_a_fresh_salt():
    first, second = privacy.key_check("s3cret"), privacy.key_check("s3cret")
    parts = first.split("$")
    assert parts[:4] == ["scrypt", "32768", "8", "1"] and len(parts) == 6
    salt = bytes.fromhex(parts[4])
    assert len(salt) == 16 and len(parts[5]) == 64
    assert first == scrypt_value("s3cret", salt, 2 ** 15, 8, 1)
    assert second.split("$")[4] != parts[4]


@pytest.mark.parametrize(("stored", "secret", "matches"), [
    (legacy_value("s3cret"), "s3cret", True),
    (legacy_value("s3cret"), "other", False),
    (legacy_value("s3cret").upper(), "s3cret", False),
    (scrypt_value("s3cret", b"0123456789abcdef", 2, 1, 1), "s3cret", True),
    (scrypt_value("s3cret", b"0123456789abcdef", 2, 1, 1), "s3cre", False),
    (scrypt_value("s3cret", b"salt", 4, 2, 3), "s3cret", True),
    (scrypt_value("s3cret", b"salt", 2, 1, 16), "s3cret", True),   # p at its bound
    (scrypt_value("s3cret", b"salt", 2, 1, 17), "s3cret", False),  # p above it
    (scrypt_value("s3cret", b"salt", 2, 1, 1) + "$x", "s3cret", False),  # a field too many
    ("scrypt$2$1$1$00", "s3cret", False),                          # a field too few
    ("scrypt$2$1$1$zz$00", "s3cret", False),                       # salt not hex
    ("scrypt$two$1$1$00$00", "s3cret", False),                     # n not a number
    ("scrypt$3$1$1$00$00", "s3cret", False),                       # n not a power of 2
    ("scrypt$1048576$8$1$00$00", "s3cret", False),                 # 1 GiB: over maxmem
    ("", "s3cret", False),
])
def test_key_matches(stored, secret, matches):
    assert privacy.key_matches(stored, secret) is matches


@pytest.mark.parametrize(("stored", "legacy"), [
    ("scrypt$1$2$3$4$5", False), ("scrypt$", False), ("scrypt", True), ("Scrypt$1", True),
    ("xscrypt$1", True), ("", True), (legacy_value("a"), True),
])
def test_is_legacy_key_check(stored, legacy):
    assert privacy.is_legacy_key_check(stored) is legacy


@pytest.fixture
def key_conn(monkeypatch):
    monkeypatch.delenv(config.MODE_ENV, raising=False)
    monkeypatch.delenv(config.SECRET_ENV, raising=False)
    connection = db.memory_connection()
    yield connection
    connection.close()


def stored(conn) -> list[str]:
    return [v for (v,) in conn.execute("SELECT key_check FROM pseudonym_key").fetchall()]


def store(conn, value: str) -> None:
    conn.execute("INSERT INTO pseudonym_key VALUES ($v)", {"v": value})


def test_stored_key_check_and_built_with_dev_key(key_conn):
    assert privacy.stored_key_check(key_conn) is None
    assert privacy.built_with_dev_key(key_conn) is False
    store(key_conn, legacy_value(config.DEV_SECRET))
    assert privacy.stored_key_check(key_conn) == legacy_value(config.DEV_SECRET)
    assert privacy.built_with_dev_key(key_conn) is True
    key_conn.execute("UPDATE pseudonym_key SET key_check = $v", {"v": legacy_value(STRONG)})
    assert privacy.built_with_dev_key(key_conn) is False


DEV_MESSAGE = ("{where} was built with the development key, which is public (the key used "
               "when PEMILU_SECRET is not set), and PEMILU_ENV is production: build a new "
               "database with the production PEMILU_SECRET from the original files "
               "(SECURITY.md: rotating the key)")


@pytest.mark.parametrize(("path", "where"), [
    (None, "this database"), ("", "this database"),
    ("data/x.duckdb", "the database data/x.duckdb"),
])
def test_dev_key_database_message(path, where):
    assert privacy.dev_key_database_message(path) == DEV_MESSAGE.format(where=where)


def test_dev_key_database_message_default():
    assert privacy.dev_key_database_message() == DEV_MESSAGE.format(where="this database")


@pytest.mark.parametrize(("mode", "secret", "value", "writable", "after"), [
    # (PEMILU_ENV, PEMILU_SECRET, stored value, writable, what is stored after: 'same',
    #  or the secret a new scrypt value is made of)
    ("", "", "legacy-dev", True, config.DEV_SECRET),
    ("", "", "legacy-dev", False, "same"),
    ("", STRONG, "legacy-strong", True, STRONG),
    ("", STRONG, "legacy-dev", True, config.DEV_SECRET),   # the public key always upgrades
    ("", "", "legacy-strong", True, "same"),               # another key only by its holder
    ("", STRONG, "legacy-other", True, "same"),
    ("", "", "scrypt-dev", True, "same"),
    ("production", STRONG, "scrypt-strong", True, "same"),
    ("production", STRONG, "legacy-strong", True, STRONG),
    ("production", "short", "legacy-strong", True, "same"),  # current_secret() is None
])
def test_check_database_key_upgrades_what_it_can(key_conn, monkeypatch, mode, secret, value,
                                                 writable, after):
    monkeypatch.setenv(config.MODE_ENV, mode)
    monkeypatch.setenv(config.SECRET_ENV, secret)
    values = {"legacy-dev": legacy_value(config.DEV_SECRET),
              "legacy-strong": legacy_value(STRONG), "legacy-other": legacy_value("other"),
              "scrypt-dev": scrypt_value(config.DEV_SECRET, b"salt", 2, 1, 1),
              "scrypt-strong": scrypt_value(STRONG, b"salt", 2, 1, 1)}
    store(key_conn, values[value])
    assert privacy.check_database_key(key_conn, writable, "p.duckdb") is None
    now = stored(key_conn)
    assert len(now) == 1
    if after == "same":
        assert now == [values[value]]
    else:
        assert not privacy.is_legacy_key_check(now[0])
        assert privacy.key_matches(now[0], after)


def test_check_database_key_without_a_stored_value(key_conn):
    assert privacy.check_database_key(key_conn, True) is None
    assert stored(key_conn) == []


@pytest.mark.parametrize("value", [legacy_value(config.DEV_SECRET),
                                   scrypt_value(config.DEV_SECRET, b"s", 2, 1, 1)])
@pytest.mark.parametrize("writable", [True, False])
def test_check_database_key_refuses_the_dev_key_in_production(key_conn, monkeypatch, value,
                                                              writable):
    monkeypatch.setenv(config.MODE_ENV, "production")
    monkeypatch.setenv(config.SECRET_ENV, STRONG)
    store(key_conn, value)
    with pytest.raises(config.DevKeyDatabase) as raised:
        privacy.check_database_key(key_conn, writable, "data/p.duckdb")
    assert str(raised.value) == DEV_MESSAGE.format(where="the database data/p.duckdb")
    assert stored(key_conn) == [value]


def test_check_pseudonym_key_records_the_first_key(key_conn, monkeypatch):
    monkeypatch.setenv(config.SECRET_ENV, STRONG)
    privacy.check_pseudonym_key(key_conn)
    (value,) = stored(key_conn)
    assert value.startswith("scrypt$32768$8$1$")
    assert privacy.key_matches(value, STRONG)
    privacy.check_pseudonym_key(key_conn)  # the same key again: nothing changes
    assert stored(key_conn) == [value]


def test_check_pseudonym_key_upgrades_a_legacy_value(key_conn, monkeypatch):
    monkeypatch.setenv(config.SECRET_ENV, STRONG)
    store(key_conn, legacy_value(STRONG))
    privacy.check_pseudonym_key(key_conn)
    (value,) = stored(key_conn)
    assert value.startswith("scrypt$") and privacy.key_matches(value, STRONG)


OTHER_KEY = ("this database's pseudonyms were made with another PEMILU_SECRET; load with that "
             "key, or build a new database with the new one (SECURITY.md: rotating the key)")


@pytest.mark.parametrize(("mode", "secret", "value", "message"), [
    ("", STRONG, legacy_value("other"), OTHER_KEY),
    ("", "", scrypt_value(STRONG, b"s", 2, 1, 1), OTHER_KEY),
    ("production", STRONG, legacy_value("other"), OTHER_KEY),
    ("", STRONG, legacy_value(config.DEV_SECRET), OTHER_KEY),
    ("production", STRONG, legacy_value(config.DEV_SECRET),
     DEV_MESSAGE.format(where="this database")),
])
def test_check_pseudonym_key_refuses_another_key(key_conn, monkeypatch, mode, secret, value,
                                                 message):
    monkeypatch.setenv(config.MODE_ENV, mode)
    monkeypatch.setenv(config.SECRET_ENV, secret)
    store(key_conn, value)
    with pytest.raises(privacy.KeyMismatch) as raised:
        privacy.check_pseudonym_key(key_conn)
    assert str(raised.value) == message
    assert stored(key_conn) == [value]
