"""`laopan recover`: the administrator's password reset with the recovery key, when every password is lost (issue 11)."""

from laopan.cli.common import first_line
from laopan.errors import DomainError, PermissionDenied


def register(sub, command) -> None:
    p = command("recover", cmd_recover, "用恢复密钥重设管理员密码（所有密码都遗忘时；仅限本机加密的 SQLite 数据库）")
    p.add_argument("--recovery-file", required=True, metavar="FILE", help="第一行是恢复密钥的文件（形如 ABCD-EFGH-…）")
    p.add_argument("--new-password-file", required=True, metavar="FILE", help="第一行是新密码的文件")


def cmd_recover(args) -> int:
    from laopan.desk import open_database, open_desk
    from laopan.security import keyfile, protection, unlocking
    from laopan.settings import database_url

    url = getattr(args, "database", None) or database_url()
    path = protection.sqlite_file(url)
    if path is None or not keyfile.exists(path):
        raise DomainError("恢复密钥只用于本机加密的 SQLite 数据库（同目录有 .keys 文件）；PostgreSQL 的密码请由管理员用 laopan user passwd 重设")
    code = first_line(args.recovery_file, "--recovery-file")
    password = first_line(args.new_password_file, "--new-password-file")
    login = keyfile.normalize_login(getattr(args, "as_login", None) or "admin")
    key = keyfile.unlock_with_recovery(path, code)
    engine = open_database(url, key=key)
    try:
        desk = open_desk(engine=engine, login=login, clock=getattr(args, "clock", None))
        if desk.actor.role != "admin":
            raise PermissionDenied("恢复密钥只能重设管理员的密码：请用 --as 指定一名管理员")
        keyfile.enroll(path, key, login=login, password=password)
        unlocking.clear_failures(path, login)
    finally:
        engine.dispose()
    print(f"已用恢复密钥重设管理员 {login} 的密码；恢复密钥仍然有效，请继续妥善保管")
    return 0
