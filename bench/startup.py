"""CLI start-up: `laopan cases --search X` as a script would call it, beside a bare Python start (DESIGN §6: ≤ 0.3 s)."""

import statistics
import subprocess
import sys
import time
from pathlib import Path


def _median_s(argv: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure_startup(db_path: Path, repeat: int = 5) -> tuple[float, float]:
    """(laopan cases --search 王 --limit 1, python -c 'import sqlite3'), median seconds of wall time."""
    url = f"sqlite:///{db_path.resolve()}"
    laopan = str(Path(sys.executable).with_name("laopan"))
    ours = _median_s([laopan, "cases", "--database", url, "--as", "admin", "--search", "王", "--limit", "1"], repeat)
    bare = _median_s([sys.executable, "-c", "import sqlite3"], repeat)
    return ours, bare
