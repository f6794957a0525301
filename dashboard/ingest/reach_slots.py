"""Slots of the exact unique-reach rollup: one per (wave, WIB send day) with delivered receipts.

Slot s is bit s % 127 of word s // 127 of reach_recipients.slots (macros slot_word, slot_bit in
queries/ddl/macros.sql): a recipient has one row per word it has bits in, so there is no cap on
the pairs a campaign has (migration 0009; before it, 127 pairs were all a database could hold).

Where a slot goes matters for speed, not for the numbers. A wave whose slots all lie in one
word is counted per wave from bit patterns (a campaign has few); a wave spanning words needs a
distinct count over recipients (macro wave_bits). So a wave's new pairs go to the word that
already holds its latest slot when they all fit there, else to the lowest word with room for
all of them, and a campaign of at most 127 pairs keeps the assignment it had before words:
word 0, the lowest free bits, in (send day, wave) order.

Waves missing from the catalogue (junk ids, typos) no longer take room from catalogue waves,
but each pair still costs every page (reach_slots is read by each reach query, the sketch has
rows per slot) and may add a word, i.e. a row per recipient. A file of a million junk wave ids
must not slow every later load and page, so uncatalogued waves together hold at most
UNCATALOGUED_PAIRS slots (one word): a file whose new uncatalogued pairs do not fit gets none
for them, and unique reach says it leaves those waves out (mart reach_not_kept). That decision
is one pure function, keep_new: the native ingest takes it per file (assign), and `cluster
attach` replays it file by file from the lake's files per pair (replay, cluster/attach.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date

import duckdb

WORD_BITS = 127  # bits of a HUGEINT below the sign bit; macros.sql slot_word/slot_bit agree
UNCATALOGUED_PAIRS = WORD_BITS  # one word: at most one more row per recipient


def place(new_pairs: list[tuple[str, date]], stored: list[tuple[int, str]]
          ) -> list[tuple[int, str, date]]:
    """Slots for new (wave, send day) pairs given the stored (slot, wave) ones: (slot, wave,
    day) per new pair. Each wave, in order of its first new pair, picks a word for all its new
    pairs (its latest slot's word if they fit, else the lowest word they fit in); a wave with
    more than WORD_BITS new pairs fits nowhere and takes the lowest free slots. Within a word,
    pairs take the lowest free bits in (send day, wave) order."""
    pairs = sorted(set(new_pairs), key=lambda p: (p[1], p[0]))
    taken = {slot for slot, _ in stored}
    used = Counter(slot // WORD_BITS for slot in taken)
    home = {}
    for slot, wave in sorted(stored):
        home[wave] = slot // WORD_BITS  # the word of its latest slot
    need = Counter(wave for wave, _ in pairs)
    word_of: dict[str, int | None] = {}
    for wave in dict.fromkeys(wave for wave, _ in pairs):
        fits = [k for k in range(max(used, default=-1) + 2)
                if used[k] + need[wave] <= WORD_BITS]
        word_of[wave] = (home[wave] if wave in home and home[wave] in fits
                         else fits[0] if fits else None)
        if word_of[wave] is not None:
            used[word_of[wave]] += need[wave]
    placed = []
    for wave, day in pairs:  # bits in day order; waves that fit nowhere last
        word = word_of[wave]
        if word is None:
            continue
        slot = next(s for s in range(word * WORD_BITS, (word + 1) * WORD_BITS)
                    if s not in taken)
        taken.add(slot)
        placed.append((slot, wave, day))
    lowest = 0  # the lowest free slot only moves up as slots are taken
    for wave, day in pairs:
        if word_of[wave] is None:
            while lowest in taken:
                lowest += 1
            taken.add(lowest)
            placed.append((lowest, wave, day))
    return placed


def keep_new(new: list[tuple[str, date, bool]], held: int
             ) -> tuple[list[tuple[str, date]], list[str]]:
    """The per-file cap on uncatalogued waves. new: the file's distinct (wave, send day,
    catalogued) pairs that have no slot yet; held: the slots uncatalogued waves hold already.
    Returns the pairs that get slots and the uncatalogued waves whose new pairs get none: when
    the file's new uncatalogued pairs do not all fit beside the held ones (UNCATALOGUED_PAIRS
    in all), none of them do (all or none per file); catalogued pairs always do."""
    unknown = [(wave, day) for wave, day, catalogued in new if not catalogued]
    if held + len(unknown) > UNCATALOGUED_PAIRS:
        return ([(wave, day) for wave, day, catalogued in new if catalogued],
                sorted({wave for wave, _ in unknown}))
    return [(wave, day) for wave, day, _ in new], []


def replay(files: Iterable[Iterable[tuple[str, date]]], catalogued: Container[str]
           ) -> list[tuple[int, str, date]]:
    """The slots the native ingest gives a database loaded with these files in this order
    (each file: the (wave, send day) pairs of its delivered receipts; catalogued: the wave ids
    of table waves), taking each file's decision as assign does (keep_new, then place).
    Returns (slot, wave, day) per placed pair. A pair an earlier file was left out of and a
    later one placed counts every file's receipts, natively too (load_receipts recounts the
    earlier ones when it is placed: Assignment.late)."""
    slots: list[tuple[int, str, date]] = []
    stored: list[tuple[int, str]] = []
    held = 0
    for pairs in files:
        have = {(wave, day) for _, wave, day in slots}
        new = [(wave, day, wave in catalogued) for wave, day in dict.fromkeys(pairs)
               if (wave, day) not in have]
        if new:
            kept, _ = keep_new(new, held)
            placed = place(kept, stored)
            slots += placed
            stored += [(slot, wave) for slot, wave, _ in placed]
            held += sum(1 for _, wave, _ in placed if wave not in catalogued)
    return slots


def store(conn: duckdb.DuckDBPyConnection, placed: list[tuple[int, str, date]]) -> None:
    """Insert placed (slot, wave, day) rows into reach_slots: the native ingest's file and
    `cluster attach`'s replay write them alike."""
    if placed:
        slots, waves, days = (list(column) for column in zip(*placed, strict=True))
        conn.execute("INSERT INTO reach_slots SELECT unnest($slots::INTEGER[]), "
                     "unnest($waves::VARCHAR[]), unnest($days::DATE[])",
                     {"slots": slots, "waves": waves, "days": days})


@dataclass(frozen=True)
class Assignment:
    """What a file's slots changed. left_out: the uncatalogued waves whose new pairs got none
    (beyond UNCATALOGUED_PAIRS): unique reach leaves their receipts out. late: the pairs
    placed now in which an earlier file had delivered without a slot (left out by its cap):
    their stored receipts enter unique reach now, so the load recounts their recipients."""

    left_out: list[str]
    late: list[tuple[str, date]]


def assign(conn: duckdb.DuckDBPyConnection) -> Assignment:
    """Give the new (wave, send day) pairs of the file's delivered receipts (temp table
    file_cells) their slots in reach_slots, inside the file's transaction, before the file's
    counts are merged into receipt_counts (which then holds the earlier files' only)."""
    new = conn.execute(
        """
        SELECT n.wave_id, n.send_date, n.wave_id IN (SELECT wave_id FROM waves) AS catalogued
        FROM (SELECT DISTINCT wave_id, send_date FROM file_cells WHERE status = 'DELIVRD') AS n
        ANTI JOIN reach_slots AS s ON s.wave_id = n.wave_id AND s.send_date = n.send_date
        """).fetchall()
    if not new:
        return Assignment([], [])
    stored = conn.execute("SELECT slot, wave_id FROM reach_slots").fetchall()
    held = conn.execute("SELECT count(*) FROM reach_slots "
                        "WHERE wave_id NOT IN (SELECT wave_id FROM waves)").fetchall()[0][0]
    kept, left_out = keep_new(new, held)
    placed = place(kept, stored)
    store(conn, placed)
    # an earlier file's delivered receipts in a pair without a slot are in receipt_counts
    late = conn.execute(
        "SELECT DISTINCT c.wave_id, c.send_date FROM receipt_counts AS c "
        "SEMI JOIN (SELECT unnest($waves::VARCHAR[]) AS wave_id, "
        "unnest($days::DATE[]) AS send_date) AS p "
        "ON p.wave_id = c.wave_id AND p.send_date = c.send_date "
        "WHERE c.status = 'DELIVRD' ORDER BY 1, 2",
        {"waves": [w for _, w, _ in placed], "days": [d for _, _, d in placed]}).fetchall()
    return Assignment(left_out, [(wave, day) for wave, day in late])
