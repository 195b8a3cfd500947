"""The cost of encryption at rest (issue 11): the same service queries on an SQLCipher copy of the cached database.

The encrypted copy is made once (cached beside the plain one, with its bench-only key in a .key file) by the
desk's own conversion, `encrypt_in_place`. Target: each query within 1.2× of its plain figure.
"""

import secrets
import sqlite3
from pathlib import Path

from bench import bench_desk
from laopan.desk import Desk
from laopan.storage import cipher, make_engine
from laopan.storage.migrate import upgrade

TARGET = 1.2


def encrypted_copy(db_path: Path) -> tuple[Path, bytes]:
    path = db_path.with_name(db_path.stem + ".encrypted.db")
    key_file = path.with_suffix(".key")
    if path.exists() and key_file.exists() and not cipher.is_plain_sqlite(path):
        return path, bytes.fromhex(key_file.read_text())
    print(f"encrypting a copy of {db_path} into {path} (once)…", flush=True)
    source = sqlite3.connect(db_path)
    target = sqlite3.connect(path)
    source.backup(target)
    target.close()
    source.close()
    key = secrets.token_bytes(32)
    scratch = path.with_name(path.stem + ".plain-backup.db")
    cipher.encrypt_in_place(path, key, backup_to=scratch)
    scratch.unlink()
    key_file.write_text(key.hex())
    return path, key


def encrypted_desk(path: Path, key: bytes, clock) -> Desk:
    engine = make_engine(f"sqlite:///{path}", key=key)
    upgrade(engine)
    return bench_desk(engine, clock=clock)


def compare(plain: Desk, encrypted: Desk, db_path: str, repeat: int, rounds: int = 3) -> list[tuple[str, float, float]]:
    """(name, plain ms, encrypted ms) for the list/search pages, the station ledger and the statistics.

    Plain and encrypted runs alternate, `rounds` times, and each keeps its best median: the machine's load
    changes during a run, and that must not be read as the cost of encryption."""
    from bench.queries import run_ledger, run_queries, run_statistics

    def everything(desk: Desk) -> list:
        return [*run_queries(desk, db_path, repeat=repeat), run_ledger(desk, db_path, repeat=repeat),
                *run_statistics(desk, db_path, repeat=repeat)]

    best: dict[str, list[float]] = {}
    for _ in range(rounds):
        for column, desk in enumerate((plain, encrypted)):
            for figure in everything(desk):
                slot = best.setdefault(figure.name, [float("inf"), float("inf")])
                slot[column] = min(slot[column], figure.ours_ms)
    return [(name, ms[0], ms[1]) for name, ms in best.items()]
