"""Who may open the desk (issue 11): `laopan user add|passwd|disable|list`, and `laopan recover` — the
administrator's password reset with the recovery key, when every password is lost.

On an encrypted SQLite desk a user's password does two things: its argon2id hash in the database logs them in,
and a wrap of the database key in the key file (`<database>.keys`) lets them open the file at all. Both change
together: the wrap is written inside the unit of work that stores the hash, so a key file that cannot be
written leaves the database as it was.
"""

import sys

from laopan.cli.common import open_cli_desk, read_password_file
from laopan.errors import DomainError, PermissionDenied
from laopan.models.enums import Role, codes


def register_users(sub, command) -> None:
    user = sub.add_parser("user", help="用户").add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = command("add", cmd_user_add, "添加用户", user)
    p.add_argument("login")
    p.add_argument("--role", required=True, choices=codes(Role))
    p.add_argument("--name", help="显示姓名")
    p.add_argument("--mediator", metavar="NAME", help="关联的调解员")
    p.add_argument("--new-password-file", metavar="FILE", help="新用户的密码（文件第一行）；不给则该用户暂不能登录")
    p = command("passwd", cmd_user_passwd, "设置密码（管理员可为任何人设置；其他人只能改自己的）", user)
    p.add_argument("login")
    p.add_argument("--new-password-file", metavar="FILE", required=True, help="新密码（文件第一行）")
    p = command("disable", cmd_user_disable, "停用用户（不能再登录，也不能再打开加密的数据库；其案件和记录保留）", user)
    p.add_argument("login")
    command("list", cmd_user_list, "列出用户（角色、关联调解员、是否停用或锁定）", user)


def register(sub, command) -> None:
    p = command("recover", cmd_recover, "用恢复密钥重设管理员密码（所有密码都遗忘时；仅限本机加密的 SQLite 数据库）")
    p.add_argument("--recovery-file", required=True, metavar="FILE", help="第一行是恢复密钥的文件（形如 ABCD-EFGH-…）")
    p.add_argument("--new-password-file", required=True, metavar="FILE", help="第一行是新密码的文件")


def cmd_user_add(args) -> int:
    from laopan.services.accounts import add_account

    password = read_password_file(args.new_password_file, "--new-password-file") if args.new_password_file else None
    desk = open_cli_desk(args)
    with desk.session() as session:
        user = add_account(session, desk, login=args.login, display_name=args.name, role=Role(args.role), mediator_name=args.mediator,
                           password=password)
    print(f"已添加用户 {user.login}（{user.role_label}）")
    if password is None:
        print(f"注意：{user.login} 尚未设置密码，暂不能登录（laopan user passwd {user.login} --new-password-file F）", file=sys.stderr)
    return 0


def cmd_user_passwd(args) -> int:
    from laopan.services.accounts import reset_password

    password = read_password_file(args.new_password_file, "--new-password-file")
    desk = open_cli_desk(args)
    with desk.session() as session:
        login = reset_password(session, desk, login=args.login, password=password)
    print(f"已设置用户 {login} 的密码")
    return 0


def cmd_user_disable(args) -> int:
    from laopan.services.accounts import disable_account

    desk = open_cli_desk(args)
    with desk.session() as session:
        user = disable_account(session, desk, login=args.login)  # its key copy gone: the password opens nothing
    print(f"已停用用户 {user.login}")
    return 0


def cmd_user_list(args) -> int:
    from laopan.services.users import list_users

    desk = open_cli_desk(args)
    with desk.reading() as session:
        for user in list_users(session, actor=desk.actor):
            states = ["" if user.active else "已停用", "" if user.has_password else "未设密码",
                      f"锁定至{user.locked_until.astimezone(desk.actor.clock.now().tzinfo):%H:%M}" if user.locked_until else ""]
            state = "\t" + "、".join(x for x in states if x) if any(states) else ""
            print(f"{user.login}\t{user.display_name}\t{user.role_label}\t{user.mediator or ''}{state}".rstrip())
    return 0


def cmd_recover(args) -> int:
    """The recovery key unwraps the database key; the administrator named by --as (default admin) gets the new
    password in the database (hash, lock-out lifted, audited as user.passwd) and a new wrap in the key file."""
    from laopan.clock import system_clock
    from laopan.desk import choose_committee, open_database
    from laopan.security import keyfile, protection, unlocking
    from laopan.security.passwords import check_new_password, normalize_login
    from laopan.services.login import set_password
    from laopan.services.users import actor_for
    from laopan.settings import database_url
    from laopan.storage import session_scope

    url = getattr(args, "database", None) or database_url()
    path = protection.sqlite_file(url)
    if path is None or not keyfile.exists(path):
        raise DomainError("恢复密钥只用于本机加密的 SQLite 数据库（同目录有 .keys 文件）；PostgreSQL 的密码请由管理员用 laopan user passwd 重设")
    code = read_password_file(args.recovery_file, "--recovery-file")
    password = read_password_file(args.new_password_file, "--new-password-file")
    check_new_password(password)
    login = normalize_login(getattr(args, "as_login", None) or "admin")
    key = keyfile.unlock_with_recovery(path, code)
    engine = open_database(url, key=key)
    try:
        committee_id, _ = choose_committee(engine, committee=getattr(args, "committee", None))
        with session_scope(engine) as session:
            # No password to log in with: the recovery key stands in for it (the internal actor_for, issue 11).
            actor = actor_for(session, committee_id=committee_id, login=login, clock=getattr(args, "clock", None) or system_clock())
            if actor.role != Role.ADMIN:
                raise PermissionDenied("恢复密钥只能重设管理员的密码：请用 --as 指定一名管理员")
            set_password(session, actor=actor, login=login, new_password=password)
            keyfile.enroll(path, key, login=login, password=password)
        unlocking.clear_failures(path, login)
    finally:
        engine.dispose()
    print(f"已用恢复密钥重设管理员 {login} 的密码；恢复密钥仍然有效，请继续妥善保管")
    return 0
