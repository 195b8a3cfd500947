"""The warm process (`laopan worker start`): a script that calls `laopan cases --search X` a hundred times should
not pay the stack's imports a hundred times (issue 16 item 6: SQLAlchemy, SQLModel and pydantic alone cost
~0.5 s here, against a 0.3 s target for a command's start).

One process per data dir keeps the modules loaded and runs each relayed command exactly as a fresh `laopan`
would: same parser, same login (the password is checked and the database key unwrapped on every call), same
error boundary and exit codes, engines disposed after each command, so nothing it read outlives the command.
`client` is what every `laopan SUBCOMMAND` runs first (standard library only); `server` is the process.
"""

WORKER_FILE = "worker.json"
LOCK_FILE = "worker.lock"  # held by the worker process for its whole life (laopan/worker/starting.py)
FAILED_FILE = "worker.failed"  # the code stamp of a worker that could not start here (its log says why)
# The global options that take a value (laopan/cli/main.py `_common`): their value is not a subcommand. Here, not
# in the client, so the launcher can read it without the client's imports when it opens the window.
VALUED = frozenset({"--data-dir", "--database", "--as", "--password-file", "--committee"})
# The client neither uses nor starts a worker when this is set (benchmarks of the cold start, debugging, tests).
ENV_NO_WORKER = "LAOPAN_NO_WORKER"
