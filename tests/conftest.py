"""Shared fixtures: an in-memory database with the schema, and a folder for test files."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest
from streamlit import config as streamlit_config

from dashboard.store import db

os.environ.setdefault("PEMILU_SECRET", "test-secret")  # module-scoped fixtures load data too
# .streamlit/config.toml hides error details from browsers; tests want to read them
streamlit_config.set_option("client.showErrorDetails", "full")
HEADER = "operator,message_id,wave_id,msisdn,province,submitted_at,done_at,status,error_code"


@pytest.fixture
def conn():
    connection = db.memory_connection()
    yield connection
    connection.close()


def receipt(message_id: str, msisdn: str = "081234567890", status: str = "DELIVRD",
            done: str = "2023-12-05 10:00:30", operator: str = "telkomsel",
            province: str = "32", submitted: str = "2023-12-05 10:00:00",
            wave: str = "SMS01", error: str = "000") -> str:
    """One canonical CSV line."""
    return ",".join([operator, message_id, wave, msisdn, province, submitted, done, status, error])


def write(folder: Path, name: str, lines: list[str] | bytes, compress: bool = False) -> Path:
    data = lines if isinstance(lines, bytes) else ("\n".join(lines) + "\n").encode("utf-8")
    path = folder / name
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    """A local SMTP server with STARTTLS and login (tests/smtp_server.py); yields its inbox."""
    pytest.importorskip("aiosmtpd", reason="pip install -r requirements-dev.txt")
    from tests.smtp_server import running

    with running(tmp_path, monkeypatch) as inbox:
        yield inbox


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A database of every sample_data/ file, in a folder of its own (tests only read it),
    with the sample experiment's plan frozen first, as `init --sample` does."""
    from dashboard import config
    from dashboard.cli import sample_files
    from dashboard.ingest import ingest_file
    from dashboard.sample.experiment import freeze_sample_plan

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with db.connect(path) as conn:
        freeze_sample_plan(conn)
        for file in sample_files(config.SAMPLE_DIR):
            assert ingest_file(conn, file).ok, file.name
    return path


@pytest.fixture(scope="session")
def chromium_browser():
    """One Playwright Chromium for the whole test session: Playwright's sync API allows one
    running instance per thread, so every test that needs a browser (tests/e2e, the figure
    layout probe, the phone check of the brief) shares this one."""
    from dashboard.export.figures import find_chromium

    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium on PATH or at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the cluster tests (marker spark): the JVM takes seconds to
    start. Skipped without pyspark or a Java runtime."""
    pytest.importorskip("pyspark", reason="pip install -r requirements-dev.txt (pyspark 3.5)")
    if _java() is None:
        pytest.skip("no Java runtime for Spark (apt-get install openjdk-17-jre-headless)")
    from dashboard.cluster.spark_rollups import session

    spark = session("local[2]")
    yield spark
    spark.stop()
