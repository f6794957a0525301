"""The CLI runs below the app's CPU priority ($PEMILU_CLI_NICE, default 10), so a scheduled
load beside the serving app takes the CPU the pages leave (BENCHMARKS.md, "Pages during a
10 M-row load"). Each case runs the real CLI in a child process and reads its niceness."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dashboard import config

REPORT = ("import os, sys; from dashboard import cli; code = cli.main(sys.argv[1:]); "
          "print('nice', os.nice(0)); sys.exit(code)")


def run_cli(tmp_path, value: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != config.CLI_NICE_ENV}
    env[config.LANG_ENV] = "en"  # the reason read below is the English one
    if value is not None:
        env[config.CLI_NICE_ENV] = value
    return subprocess.run([sys.executable, "-c", REPORT, "init", "--db",
                           str(tmp_path / "p.duckdb")], cwd=config.REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("value", "target"), [
    (None, 10), ("", 10), ("0", 0), (" 5 ", 5), ("19", 19),
])
def test_the_cli_runs_at_the_set_niceness(tmp_path, value, target):
    done = run_cli(tmp_path, value)
    assert done.returncode == 0, done.stderr
    # a child starts at its parent's niceness and is never raised above it
    assert f"nice {max(target, os.nice(0))}" in done.stdout


@pytest.mark.parametrize("value", ["ten", "20", "-1", "2.5"])
def test_a_wrong_niceness_is_named_and_nothing_runs(tmp_path, value):
    done = run_cli(tmp_path, value)
    assert done.returncode == 2
    assert "PEMILU_CLI_NICE must be a whole number from 0 to 19" in done.stderr
    assert not (tmp_path / "p.duckdb").exists()


def test_repeated_calls_do_not_lower_it_further(monkeypatch):
    from dashboard import cli

    calls: list[int] = []
    now = [3]

    def fake_nice(increment: int) -> int:
        calls.append(increment)
        now[0] += increment
        return now[0]

    monkeypatch.setattr(cli.os, "nice", fake_nice)
    cli._lower_priority(10)
    cli._lower_priority(10)
    cli._lower_priority(4)
    assert now[0] == 10
    assert [c for c in calls if c] == [7]
