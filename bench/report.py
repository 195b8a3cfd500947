"""`python -m bench.report`: run `make bench` and write its table to docs/benchmarks.md (the figures of this run)."""

import subprocess
import sys
from pathlib import Path

HEADER = """# Benchmarks

Written by `python -m bench.report` from one run of `python -m bench` on the cached 100k-case demo database
(SQLite). Every figure stands beside its floor from the same run (raw sqlite3 for the same question, or a bare
Python start), because the machine is shared and absolute timings move from run to run.

Targets (DESIGN §6, issue 16): first page of every search ≤ 10 ms p50 at 100k; counts capped at 1,000+ unless
asked for exactly; CLI start ≤ 0.3 s.

```
"""


def main() -> int:
    result = subprocess.run([sys.executable, "-m", "bench", *sys.argv[1:]], check=True, capture_output=True, text=True)
    Path("docs/benchmarks.md").write_text(HEADER + result.stdout.rstrip() + "\n```\n", encoding="utf-8")
    print(result.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
