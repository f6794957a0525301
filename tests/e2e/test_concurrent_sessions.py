"""End-to-end: the app keeps serving ten browser sessions while a large file loads in another.

The server has one DuckDB database; the in-app load (ui.load_uploads) runs in one transaction on
its own cursor, so every other session keeps reading the last committed state until it commits.
Here an "admin" tab loads a receipts file of two million rows on the Kualitas data page while ten
other tabs (one browser context each, so ten Streamlit sessions) keep opening the overview page:
no tab shows an error, every "Terkirim" KPI they read is the total before or the total after
the file (never a partial count), at least ten reads finished while the admin tab still showed
the load running, and after it every tab shows the new total. It runs on a server of its own
with its own sample database, so the shared server of the other browser tests keeps its data.
(tests/test_concurrency.py checks the same property with threads on the app's cursors.)
"""

from __future__ import annotations

import gzip
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("playwright.sync_api",
                    reason="playwright is not installed (pip install -r requirements-dev.txt)")

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from tests.conftest import HEADER, receipt  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    build_sample_db,
    chromium_executable,
    running_server,
)

if chromium_executable() is None:
    pytest.skip("no Chromium on PATH or at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)

from tests.e2e.test_browser import (  # noqa: E402
    APP_IDLE,
    ERRORS,
    RENDER_TIMEOUT_MS,
    grouped,
    metric_value,
    save_full_page,
    wait_until_rendered,
)

SESSIONS = 10
# Ten tabs opening the overview at once keep a 2-core machine busy for 10-25 s (about 2 s of
# Chromium's CPU per tab; the server's script run takes 0.2 s), so the load must outlast that
# with a margin: 500k rows were loaded before the first tab had drawn, 1M rows overlapped 4-10
# reads, 2M rows (15 MB as gzip; 210 MB unpacked, over the 200 MB upload limit) about 20.
ROWS = 2_000_000
OPERATORS = {"telkomsel": "0812", "indosat": "0815", "xl": "0817", "smartfren": "0881"}
PROVINCES = (11, 31, 32, 33)
LOAD_START_TIMEOUT_MS = 60_000  # the upload of the file and the start of the script run
LOAD_TIMEOUT_S = 180
OVERVIEW_TITLE = "Ringkasan"
DATA_QUALITY_TITLE = "Kualitas data"
SENT_LABEL = "Terkirim"
SUCCESS = '[data-testid="stAlertContentSuccess"]'
NOTE = '[data-testid="stAlertContentInfo"]'
PROGRESS = '[data-testid="stProgress"]'
# the session's script run is over and its output shown, in one look at the page (charts may
# still be drawing: waiting for ten tabs' plotly would only slow the reads down)
RUN_SHOWN = """([idle, title, busy]) => document.querySelector(idle) !== null
    && document.querySelector('[data-testid="stMain"] h1')?.innerText.trim() === title
    && busy.every(selector => document.querySelector(selector) === null)"""
BUSY = ('[data-testid="stStatusWidget"]', '[data-stale="true"]', '[data-testid="stSpinner"]',
        '[data-testid="stSkeleton"]')
# records in the admin tab when the progress text changes and when the result appears
WATCH_LOAD = """([progress, success]) => {
    window.loadTimeline = [];
    const note = () => {
        const text = document.querySelector(progress)?.innerText.trim() ?? null;
        const done = document.querySelector(success) !== null;
        const last = window.loadTimeline.at(-1);
        if (!last || last[1] !== text || last[2] !== done) {
            window.loadTimeline.push([Date.now() / 1000, text, done]);
        }
    };
    new MutationObserver(note).observe(document.body,
        {subtree: true, childList: true, characterData: true});
}"""


@dataclass(frozen=True)
class LoadSetup:
    url: str
    csv: Path
    sent_before: int
    sent_after: int


@dataclass(frozen=True)
class Read:
    session: int
    value: str
    at: float  # wall clock (time.time()) when the value was read
    load_running: bool  # the admin tab still showed no result right after this read


def write_receipts(path: Path, rows: int, prefix: str = "E2E-CONCURRENT-") -> None:
    """rows valid canonical receipts (a seventh undelivered) as gzip, written by DuckDB because
    Python takes seconds per million lines. Message ids are not the sample's (12 hex digits)
    and the dates lie inside its campaign, so the filters' date range stays put."""
    operators, prefixes = list(OPERATORS), list(OPERATORS.values())
    plain = path.with_suffix("")
    with duckdb.connect() as conn:
        conn.sql(
            """
            SELECT $operators[i % 4 + 1] AS operator,
                   $prefix || lpad(i::VARCHAR, 7, '0') AS message_id,
                   'SMS01' AS wave_id,
                   $prefixes[i % 4 + 1] || lpad(i::VARCHAR, 8, '0') AS msisdn,
                   $provinces[i % 4 + 1]::VARCHAR AS province,
                   '2023-12-05 10:00:00' AS submitted_at,
                   '2023-12-05 10:00:30' AS done_at,
                   CASE WHEN i % 7 = 0 THEN 'UNDELIV' ELSE 'DELIVRD' END AS status,
                   '000' AS error_code
            FROM range($rows) AS numbers(i) ORDER BY i
            """,
            params={"operators": operators, "prefixes": prefixes, "provinces": list(PROVINCES),
                    "rows": rows, "prefix": prefix},
        ).write_csv(str(plain), header=True)
    # level 1: DuckDB's own gzip writer takes five times longer
    with plain.open("rb") as source, path.open("wb") as target, gzip.GzipFile(
            fileobj=target, mode="wb", compresslevel=1, mtime=0) as packed:
        shutil.copyfileobj(source, packed, 1 << 20)
    plain.unlink()
    with gzip.open(path, "rt", encoding="utf-8") as written:
        head = [written.readline().rstrip("\n") for _ in range(3)]
    # the same lines as the canonical helper of the unit tests writes
    assert head == [HEADER] + [
        receipt(f"{prefix}{n:07d}", msisdn=f"{prefixes[n]}{n:08d}", operator=operators[n],
                province=str(PROVINCES[n]), status="UNDELIV" if n % 7 == 0 else "DELIVRD")
        for n in range(2)], head


@pytest.fixture(scope="module")
def load_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadSetup]:
    folder = tmp_path_factory.mktemp("e2e_concurrent")
    db_path = build_sample_db(folder)
    # counted before the server starts: once it runs it holds DuckDB's single-writer lock
    with duckdb.connect(str(db_path), read_only=True) as conn:
        sent_before = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    csv = folder / "receipts_concurrent_load.csv.gz"
    write_receipts(csv, ROWS)
    with running_server(db_path) as url:
        yield LoadSetup(url, csv, sent_before, sent_before + ROWS)


def errors_in(page: Page) -> list[str]:
    errors = page.locator(ERRORS)
    return [text.strip()[:300] for text in errors.all_inner_texts()] if errors.count() else []


def load_running(admin: Page) -> bool:
    """The admin tab has not shown the load's result yet (any result but success ends the
    test: an error, or a note such as "already loaded")."""
    failed = errors_in(admin) + admin.locator(NOTE).all_inner_texts()
    assert not failed, f"the admin tab shows something other than success: {failed}"
    return admin.locator(SUCCESS).count() == 0


def prepare_upload(admin: Page, setup: LoadSetup) -> None:
    """Open the Kualitas data page and put the file on the uploader."""
    admin.goto(f"{setup.url}/kualitas-data")
    wait_until_rendered(admin, DATA_QUALITY_TITLE)
    uploader = admin.locator('[data-testid="stFileUploaderDropzoneInput"]')
    if not uploader.is_visible():  # the expander is closed once the sample is loaded
        admin.locator('[data-testid="stExpander"] summary').filter(
            has_text="Muat file baru").click()
    uploader.set_input_files(setup.csv)
    # a listed file has a remove button named after it (the shown name is shortened)
    expect(admin.get_by_role("button", name=f"Remove {setup.csv.name}"),
           "the uploaded file is not listed under the uploader").to_be_visible(
        timeout=LOAD_START_TIMEOUT_MS)


def start_load(admin: Page, setup: LoadSetup) -> None:
    """Press the load button and wait until the load runs."""
    load_button = admin.get_by_role("button", name="Muat", exact=True)
    expect(load_button, "no load button after the upload").to_be_visible(
        timeout=LOAD_START_TIMEOUT_MS)
    admin.evaluate(WATCH_LOAD, [PROGRESS, SUCCESS])
    load_button.click()
    # the progress text is "<file>: <step>" while ingest_file runs, "Selesai" after it
    expect(admin.locator(PROGRESS),
           "the load did not show its progress (or it finished before it was seen)"
           ).to_contain_text(f"{setup.csv.name}: ", timeout=LOAD_START_TIMEOUT_MS)


def read_sent(tab: Page, session: int) -> str:
    """The Terkirim KPI once the overview has rendered, checking the tab shows no error."""
    wait_until_rendered(tab, OVERVIEW_TITLE)
    return shown_sent(tab, session)


def shown_sent(tab: Page, session: int) -> str:
    shown = errors_in(tab)
    assert not shown, f"session {session} shows an error: {shown}"
    return metric_value(tab, SENT_LABEL).inner_text().strip()


def read_during_load(tab: Page, admin: Page, session: int) -> str | None:
    """The tab's Terkirim KPI once its script run is shown, or None as soon as the admin tab
    shows the load's result (waiting for the tab would only delay the final round)."""
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    while not run_shown(tab):
        if not load_running(admin):
            return None
        assert time.monotonic() < deadline, (
            f"session {session} did not show the overview within {RENDER_TIMEOUT_MS // 1000} s "
            f"during the load")
        admin.wait_for_timeout(200)
    return shown_sent(tab, session)


def run_shown(tab: Page) -> bool:
    try:
        return tab.evaluate(RUN_SHOWN, [APP_IDLE, OVERVIEW_TITLE, list(BUSY)])
    except PlaywrightError as exc:  # the page is still being replaced by the new one
        if "context was destroyed" in str(exc):
            return False
        raise


def navigate(tabs: list[Page], url: str) -> None:
    """Start every tab's page load without waiting, so the sessions run at the same time (each
    load is a new Streamlit session)."""
    for tab in tabs:
        tab.goto(url, wait_until="commit")


def test_ten_sessions_keep_serving_consistent_numbers_while_a_file_loads(
        browser: Browser, load_setup: LoadSetup, artifacts: Path):
    before, after = grouped(load_setup.sent_before, "id"), grouped(load_setup.sent_after, "id")
    overview = f"{load_setup.url}/"
    phases = {"start": time.time()}
    contexts: list[BrowserContext] = []
    try:
        for _ in range(SESSIONS + 1):  # one context each: own cookies, own session
            # without CSS animations a tab costs Chromium a quarter less CPU
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          locale="id-ID", reduced_motion="reduce")
            context.set_default_timeout(30_000)
            contexts.append(context)
        admin, *tabs = [context.new_page() for context in contexts]

        # warm-up: each context fetches and compiles the app's scripts once, so the sessions
        # opened during the load cost the browser what a returning reader's would
        navigate(tabs, overview)
        prepare_upload(admin, load_setup)
        warm = [read_sent(tab, session) for session, tab in enumerate(tabs)]
        assert warm == [before] * SESSIONS, f"before the load the sessions show {warm}"

        phases["load"] = time.time()
        start_load(admin, load_setup)
        reads: list[Read] = []
        running = True
        while running:  # every round opens ten new sessions at once
            navigate(tabs, overview)
            for session, tab in enumerate(tabs):
                value = read_during_load(tab, admin, session)
                if value is None:
                    running = False
                    break
                at = time.time()
                running = load_running(admin)
                reads.append(Read(session, value, at, running))
                if not running:
                    break
            if running and time.time() - phases["load"] > LOAD_TIMEOUT_S:
                pytest.fail(f"the admin tab showed no result {LOAD_TIMEOUT_S} s after the load "
                            f"started; progress: {admin.evaluate('window.loadTimeline')}")

        phases["result"] = time.time()
        result = admin.locator(SUCCESS).inner_text()
        rows = f"{ROWS:,}".replace(",", ".")  # the page's language: Indonesian
        assert f"{rows} baris dibaca: {rows} dimuat" in result, result
        wait_until_rendered(admin, DATA_QUALITY_TITLE)
        assert not errors_in(admin), errors_in(admin)
        timeline = admin.evaluate("window.loadTimeline")

        navigate(tabs, overview)
        final = [read_sent(tab, session) for session, tab in enumerate(tabs)]
        phases["final"] = time.time()

        save_full_page(admin, artifacts / "concurrent_admin_after_load.png")
        save_full_page(tabs[0], artifacts / "concurrent_session_after_load.png")
    finally:
        for context in contexts:
            context.close()

    load_from = timeline[0][0]
    steps = ", ".join(f"{at - load_from:.1f} s {text!r}" for at, text, _ in timeline)
    reads_at = ", ".join(f"{read.at - load_from:.1f} s {read.value}"
                         f"{'' if read.load_running else ' (result shown)'}" for read in reads)
    during = [read for read in reads if read.load_running]
    print(f"\nwarm-up {phases['load'] - phases['start']:.1f} s, load until the result showed "
          f"{phases['result'] - phases['load']:.1f} s, final round "
          f"{phases['final'] - phases['result']:.1f} s; load steps: {steps}; {len(reads)} reads, "
          f"{len(during)} while the load still ran: {reads_at}")

    unexpected = [read for read in reads if read.value not in (before, after)]
    assert not unexpected, (f"Terkirim was neither {before} (before) nor {after} (after the "
                            f"file): {unexpected}")
    assert len(during) >= SESSIONS, (
        f"only {len(during)} reads finished while the load still ran; the sessions did not "
        f"overlap it. Load: {steps}. Reads: {reads_at}")
    assert final == [after] * SESSIONS, f"after the load the sessions show {final}, not {after}"
