"""`python -m bench.report`: run `make bench` and write its table to docs/benchmarks.md (the figures of this run)."""

import subprocess
import sys
from pathlib import Path

HEADER = """# Benchmarks

Written by `python -m bench.report` from one run of `python -m bench` on the cached 100k-case demo database
(SQLite). Every figure stands beside its floor from the same run (raw sqlite3 for the same question, or a bare
Python start), because the machine is shared and absolute timings move from run to run.

Targets (DESIGN §6, issues 10, 11, 16): first page of every search ≤ 10 ms p50 at 100k; counts capped at 1,000+
unless asked for exactly; an import of exported cases within 2× the demo writing the same cases; the encrypted
desk within 1.2× of the plain one; CLI start ≤ 0.3 s. The run's options are on the first line below; sections it
skipped (`--skip`) were not re-measured and keep their figures in git history. With `LAOPAN_BENCH_PG` naming a
PostgreSQL server the same questions are asked there at 100k (target ≤ 10 ms), and with `--pg-district` in a
district of 10 committees × 100k on one server (target ≤ 30 ms); their floors are raw SQL on the same server.

```
"""


def main() -> int:
    result = subprocess.run([sys.executable, "-m", "bench", *sys.argv[1:]], check=True, capture_output=True, text=True)
    run = f"python -m bench {' '.join(sys.argv[1:])}".rstrip()
    Path("docs/benchmarks.md").write_text(HEADER + f"$ {run}\n" + result.stdout.rstrip() + "\n```\n", encoding="utf-8")
    print(result.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
