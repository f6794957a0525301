"""sample_data/MANIFEST.json: what each sample file holds, what loading it must give, and its
SHA-256 (a file with one of these hashes is sample data wherever it is loaded from).
dashboard.sample.receipts writes the manifest whole; the other generators then set their own
section (run them after it): one file's (write_section) or a group of files' (write_group)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from dashboard import config

MANIFEST_NAME = "MANIFEST.json"


def file_sha256(path: Path) -> str:
    """The file's SHA-256: ingest knows a sample file by it, whatever its name or folder."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_section(out_dir: Path, key: str, section: dict[str, object]) -> Path:
    """Set one section of out_dir's MANIFEST.json (with its file's SHA-256), keeping the
    others."""
    return _set(out_dir, key, {**section,
                               "sha256": file_sha256(Path(out_dir) / str(section["file"]))})


def write_group(out_dir: Path, key: str, section: dict[str, object]) -> Path:
    """Set one section of out_dir's MANIFEST.json that describes several files (a list under
    "files", each with its SHA-256 set here), keeping the others."""
    files = [{**entry, "sha256": file_sha256(Path(out_dir) / str(entry["file"]))}
             for entry in section["files"]]  # type: ignore[attr-defined]
    return _set(out_dir, key, {**section, "files": files})


def _set(out_dir: Path, key: str, section: dict[str, object]) -> Path:
    path = Path(out_dir) / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    manifest[key] = section
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def sample_hashes(manifest: Path) -> frozenset[str]:
    """The SHA-256 of every file the manifest lists (empty when there is no manifest)."""
    try:
        data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    sections = [v for v in data.values() if isinstance(v, dict)]
    entries = [*data.get("files", []), *(v for v in sections if "file" in v),
               *(e for v in sections for e in v.get("files", []))]  # a group's files
    return frozenset(str(e["sha256"]) for e in entries if e.get("sha256"))


@cache
def known_sample_hashes() -> frozenset[str]:
    """The hashes of the sample shipped with this version (sample_data/MANIFEST.json)."""
    return sample_hashes(config.SAMPLE_DIR / MANIFEST_NAME)
