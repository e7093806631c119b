"""The benchmark runs (a smoke test; its figures are not pass/fail)."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO


def test_benchmark_runs_and_prints_its_table(tmp_path) -> None:
    done = subprocess.run([sys.executable, "-m", "tests.bench.run", "--posts", "12", "--runs", "1",
                           "--keep", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert "| 12 |" in done.stdout
    assert "Word-level diff of a 10,000-word essay" in done.stdout
