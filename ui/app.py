"""Opening the window. (Placeholder until the desk window lands: prints where the desk is.)"""

import sys


def run(argv: list[str]) -> int:
    from laopan.cli.main import build_parser
    from laopan import paths
    from laopan.desk import open_desk

    args = build_parser().parse_args(argv)
    paths.configure(args.data_dir)
    desk = open_desk(url=args.database, login=args.as_login, committee=args.committee)
    print(f"{desk.committee_name} · {desk.actor.display_name} · {desk.label}")
    print("窗口尚未完成：请使用 laopan cases / laopan case show 等命令", file=sys.stderr)
    return 0
