"""`laopan backup [DIR]`, `laopan backup --list`, `laopan restore FILE`: admin and supervisor only, audited."""

import sys
from pathlib import Path

from laopan.cli.common import open_cli_desk as _desk


def register(sub, command) -> None:
    p = command("backup", cmd_backup, "备份数据库（默认到数据目录下的 backups，保留最新若干份；可指定文件夹，如 U 盘）")
    p.add_argument("folder", nargs="?", metavar="DIR", help="备份到此文件夹（不轮换）；PostgreSQL 用 pg_dump 写入此处")
    p.add_argument("--list", action="store_true", help="列出备份目录中的备份")
    p = command("restore", cmd_restore, "从备份恢复数据库（先检查备份；当前数据库另存为 laopan.db.before-restore-时间）")
    p.add_argument("file", metavar="FILE")


def cmd_backup(args) -> int:
    from laopan.services.backups import backups_folder, list_backups, make_backup
    from laopan.settings import load_desk

    desk = _desk(args)
    try:
        if args.list:
            rows = list_backups(actor=desk.actor, engine=desk.engine)
            print(f"备份目录：{backups_folder()}", file=sys.stderr)
            for row in rows:
                cases = "无法读取" if row.case_count is None else f"{row.case_count} 件案件"
                print(f"{row.path}\t{row.made_at}\t{row.kind}\t{row.size}\t{cases}")
            if not rows:
                print("（还没有备份）", file=sys.stderr)
            return 0
        row = make_backup(engine=desk.engine, actor=desk.actor, folder=Path(args.folder) if args.folder else None,
                          keep=load_desk().backup_keep)
    finally:
        desk.engine.dispose()
    print(f"{row.path}\t{row.size}")
    print(f"已备份：{row.path}（{row.size}）", file=sys.stderr)
    return 0


def cmd_restore(args) -> int:
    from laopan.services.backups import restore_backup

    database = _lost_database(args)
    if database is not None:
        result = _restore_lost(args, database)
    else:
        desk = _desk(args)
        try:
            result = restore_backup(args.file, engine=desk.engine, actor=desk.actor)
        finally:
            desk.engine.dispose()
    print(f"已检查：{result.verified}")
    if result.kept:
        print(f"原数据库已另存为：{result.kept}")
    print("已恢复。请重新打开本程序的窗口。")
    return 0


def _lost_database(args) -> Path | None:
    """The SQLite file of this desk when it is missing or empty (lost: there is nobody to log in against)."""
    from laopan.settings import database_url
    from laopan.storage.backup import sqlite_path

    path = sqlite_path(getattr(args, "database", None) or database_url())
    if path is None or (path.exists() and path.stat().st_size > 0):
        return None
    return path


def _restore_lost(args, database: Path):
    """Put the backup in place first, then the user must be an administrator or supervisor in it; if not, the
    restored file is taken away again."""
    from laopan.cli.common import cli_login, cli_password
    from laopan.clock import system_clock
    from laopan.errors import ValidationError
    from laopan.security import keyfile
    from laopan.services.backups import audit_restore
    from laopan.storage.backup import key_file, restore

    key = None
    if keyfile.exists(args.file):  # an encrypted backup: the user's own wrap in its key file opens it
        login, password = cli_login(args), cli_password(args)
        if not login or not password:
            raise ValidationError("--as", "恢复加密的备份需要用户名和密码（--as 与 LAOPAN_PASSWORD 或 --password-file）")
        key = keyfile.unlock(args.file, login=login, password=password)
    info, kept = restore(args.file, database=database, clock=args.clock or system_clock(), key=key)
    try:
        desk = _desk(args)
        try:
            return audit_restore(engine=desk.engine, actor=desk.actor, info=info, kept=kept)
        finally:
            desk.engine.dispose()
    except BaseException:
        for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), key_file(database)):
            leftover.unlink(missing_ok=True)
        raise
