"""sample_data/MANIFEST.json: what each sample file holds, what loading it must give, and its
hashes (file_hashes): a file with one of them is sample data wherever it is loaded from, and
whether packed with gzip or not (the content hash is of the unpacked bytes).
dashboard.sample.receipts writes the manifest whole; the other generators then set their own
section (run them after it): one file's (write_section) or a group of files' (write_group)."""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import cache
from pathlib import Path

from dashboard import config

MANIFEST_NAME = "MANIFEST.json"
GZIP_MAGIC = b"\x1f\x8b"
HASH_KEYS = ("sha256", "content_sha256")  # a manifest entry's hashes (file_hashes)


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file as stored (ingest_log.sha256: a load of the same bytes)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def content_sha256(path: Path) -> str:
    """The SHA-256 of the file's content: its bytes unpacked when it is gzip, else as stored
    (ingest.records.fingerprint computes the same while counting a receipts file). The
    shipped sample gunzipped, or gzipped again, keeps it."""
    path = Path(path)
    with path.open("rb") as stored:
        packed = stored.read(2) == GZIP_MAGIC
    digest = hashlib.sha256()
    with gzip.open(path, "rb") if packed else path.open("rb") as source:
        while chunk := source.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def file_hashes(path: Path) -> dict[str, str]:
    """A manifest entry's hashes: of the stored bytes and of the content."""
    return {"sha256": file_sha256(path), "content_sha256": content_sha256(path)}


def write_section(out_dir: Path, key: str, section: dict[str, object]) -> Path:
    """Set one section of out_dir's MANIFEST.json (with its file's hashes), keeping the
    others."""
    return _set(out_dir, key, {**section,
                               **file_hashes(Path(out_dir) / str(section["file"]))})


def write_group(out_dir: Path, key: str, section: dict[str, object]) -> Path:
    """Set one section of out_dir's MANIFEST.json that describes several files (a list under
    "files", each with its hashes set here), keeping the others."""
    files = [{**entry, **file_hashes(Path(out_dir) / str(entry["file"]))}
             for entry in section["files"]]  # type: ignore[attr-defined]
    return _set(out_dir, key, {**section, "files": files})


def _set(out_dir: Path, key: str, section: dict[str, object]) -> Path:
    path = Path(out_dir) / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    manifest[key] = section
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def sample_hashes(manifest: Path) -> frozenset[str]:
    """Both hashes of every file the manifest lists (empty when there is no manifest)."""
    try:
        data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    sections = [v for v in data.values() if isinstance(v, dict)]
    entries = [*data.get("files", []), *(v for v in sections if "file" in v),
               *(e for v in sections for e in v.get("files", []))]  # a group's files
    return frozenset(str(e[k]) for e in entries for k in HASH_KEYS if e.get(k))


@cache
def known_sample_hashes() -> frozenset[str]:
    """The hashes of the sample shipped with this version (sample_data/MANIFEST.json)."""
    return sample_hashes(config.SAMPLE_DIR / MANIFEST_NAME)


def is_sample_file(stored_sha256: str | None, content: str | None) -> bool:
    """Whether a loaded file is the shipped sample's, by its stored bytes or its content
    (content_sha256): the rule every load applies besides a declared --sample."""
    known = known_sample_hashes()
    return stored_sha256 in known or content in known
