"""Write a receipts file again in other bytes and other valid spellings, for the re-encoding
invariance test (issue 14, done-when: "no page, export or brief changes its numbers when a
file is re-encoded (BOM, CRLF, gzip) or its odd-but-valid records are rewritten in another
valid spelling").

Only what the contract allows is changed, and only in records the reference reader
(reference_receipts.py) can read: a line it cannot (not UTF-8, not JSON, the wrong number of
cells, bad quoting) is kept byte for byte, so every record keeps its outcome and every
rejected record its reason. Spellings rotate with the line number, so exact duplicate lines
become duplicates written differently.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import UTC, timedelta, timezone
from pathlib import Path

from tests.truth.reference_receipts import (
    CANONICAL,
    Layout,
    Reference,
    iso_timestamp,
    msisdn_62,
    province_key,
    read_reference_csv,
    smpp_timestamp,
)

NAMES = {int(row["code"]): row["name"] for row in read_reference_csv("provinces.csv")}
OPERATOR_NAMES = {row["operator"]: row["name"] for row in read_reference_csv("operators.csv")}
RECEIPT_KEYS = re.compile(r"(^|\s)(id|sub|dlvrd|submit date|done date|stat|err):(\S*)",
                          flags=re.IGNORECASE)


def number(text: str, line: int) -> str:
    n = msisdn_62(text)
    if n is None:
        return text
    return [f"0{n[2:]}", f"+62 {n[2:5]}-{n[5:9]}-{n[9:]}", n,
            f"62 {n[2:5]} {n[5:9]} {n[9:]}"][line % 4]


def province(text: str, line: int, codes: dict[str, int]) -> str:
    code = codes.get(province_key(text)) if text.strip() else None
    if code is None:
        return text
    name = NAMES[code]
    return [str(code), name.upper(), f"Prov. {name}", f"PROVINSI {name}"][line % 4]


def error_code(text: str, line: int) -> str:
    """The same code in another spelling: decimal zero-padded or not ('000' <-> '0', '27' <->
    '027'), hexadecimal with a letter ('00B', as SMSCs write it) as decimal and, on every
    third line, a decimal code whose hexadecimal has a letter written so ('011' -> '00B')."""
    code = text.strip()
    if re.fullmatch(r"[0-9A-Fa-f]{1,4}", code) and not code.isdigit():
        value = int(code, 16)
    elif code.isascii() and code.isdigit() and len(code) <= 3:
        value = int(code)
    else:
        return text
    if line % 3 == 0 and not f"{value:X}".isdigit():
        return f"{value:03X}"
    return f"{value:03d}" if line % 2 else str(value)


# SMPP's short state names and the long names some SMSCs write (SMPP 3.4 section 5.2.28)
LONG_STATES = {"DELIVRD": "DELIVERED", "UNDELIV": "UNDELIVERABLE", "ACCEPTD": "ACCEPTED",
               "REJECTD": "REJECTED"}
OTHER_STATE = {**LONG_STATES, **{long: short for short, long in LONG_STATES.items()}}


def operator(text: str, line: int, operators: dict[str, str]) -> str:
    op = operators.get(text.strip().lower())
    if op is None:
        return text
    return [op, op.upper(), OPERATOR_NAMES[op]][line % 3]


def iso(text: str, line: int) -> str:
    """The same instant: naive WIB, with +07:00, or in UTC with Z."""
    value = iso_timestamp(text)
    if value is None or value.microsecond:
        return text
    wib = value.astimezone(timezone(timedelta(hours=7)))
    return [wib.strftime("%Y-%m-%d %H:%M:%S"), wib.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
            value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")][line % 3]


class Respeller:
    def __init__(self) -> None:
        self.reference = Reference()

    def delimited(self, lines: list[bytes]) -> list[bytes]:
        layout, header = self.reference.layout_of(lines[0].decode("utf-8-sig"))
        cells_of = {name: header.index(h) for name, h in layout.columns.items() if h in header}
        head = next(csv.reader([lines[0].decode("utf-8-sig")], delimiter=layout.delimiter,
                               quotechar=layout.quote))
        # header names are case-insensitive
        out = [self._join([h.lower() if h != h.lower() else h.upper() for h in head], layout)]
        for line_number, raw in enumerate(lines[1:], start=2):
            cells = self._cells(raw, layout, len(header))
            if cells is None:
                out.append(raw)
                continue
            for name, respelled in self._rules(layout).items():
                if name in cells_of:
                    at = cells_of[name]
                    cells[at] = respelled(cells[at], line_number)
            out.append(self._join(cells, layout))
        return out

    def _rules(self, layout: Layout) -> dict:
        rules = {"msisdn": number, "error_code": error_code,
                 "province": lambda t, i: province(t, i, self.reference.provinces)}
        if layout is CANONICAL:
            rules.update(operator=lambda t, i: operator(t, i, self.reference.operators),
                         submitted_at=iso, done_at=iso)
        return rules

    @staticmethod
    def _cells(raw: bytes, layout: Layout, width: int) -> list[str] | None:
        try:
            text = raw.decode("utf-8")
            rows = list(csv.reader([text], delimiter=layout.delimiter, quotechar=layout.quote,
                                   strict=True))
        except (UnicodeDecodeError, csv.Error):
            return None
        return rows[0] if len(rows) == 1 and len(rows[0]) == width else None

    @staticmethod
    def _join(cells: list[str], layout: Layout) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=layout.delimiter, quotechar=layout.quote,
                   lineterminator="").writerow(cells)
        return buffer.getvalue().encode("utf-8")

    def smpp(self, lines: list[bytes]) -> list[bytes]:
        out = []
        for line_number, raw in enumerate(lines, start=1):
            try:
                entry = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                entry = None
            if not isinstance(entry, dict) or not isinstance(entry.get("receipt"), str):
                out.append(raw)
                continue
            if isinstance(entry.get("msisdn"), str):
                entry["msisdn"] = number(entry["msisdn"], line_number)
            if isinstance(entry.get("region"), str):
                entry["region"] = province(entry["region"], line_number,
                                           self.reference.provinces)
            entry["receipt"] = self._receipt(entry["receipt"], line_number)
            # another key order, no spaces, non-ASCII escaped: the same JSON object
            respelled = dict(reversed(list(entry.items())))
            out.append(json.dumps(respelled, separators=(",", ":")).encode("ascii"))
        return out

    @staticmethod
    def _receipt(receipt: str, line_number: int) -> str:
        """Keys in the other case, dates with seconds, sub/dlvrd without padding, err in
        another spelling, states short <-> long; the text after ' text:' kept as written."""
        cut = receipt.lower().find(" text:")
        head, text = (receipt, "") if cut < 0 else (receipt[:cut], receipt[cut:])

        def respell(match: re.Match) -> str:
            space, key, value = match.groups()
            lower = key.lower()
            if lower in ("submit date", "done date") and smpp_timestamp(value) and \
                    len(value) == 10:
                value += "00"
            elif lower in ("sub", "dlvrd") and value.isdigit():
                value = str(int(value))
            elif lower == "err":
                value = error_code(value, line_number)
            elif lower == "stat":
                value = OTHER_STATE.get(value.upper(), value)
            key = key.upper() if key == key.lower() else key.lower()
            return f"{space}{key}:{value}"

        if line_number % 2:
            text = text.replace(" text:", " Text:", 1)
        return RECEIPT_KEYS.sub(respell, head) + text


def rewrite(source: Path, target: Path, bom: bool, crlf: bool) -> Path:
    """source respelled into target (gzip when its name ends in .gz), with or without a BOM,
    with CRLF or LF line ends."""
    raw = source.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    lines = [line.removesuffix(b"\r") for line in lines]
    respeller = Respeller()
    first = next(line for line in lines if line.strip())
    lines = (respeller.smpp(lines) if first.lstrip().startswith(b"{")
             else respeller.delimited(lines))
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(
        line + (b"\r\n" if crlf else b"\n") for line in lines)
    target.write_bytes(gzip.compress(data, mtime=0) if target.name.endswith(".gz") else data)
    return target
