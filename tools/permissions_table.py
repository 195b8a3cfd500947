"""Render the permission table (laopan.security.permissions) and the record rules into the README between
`<!-- permissions:start -->` and `<!-- permissions:end -->`.

    python -m tools.permissions_table          # rewrite README.md
    python -m tools.permissions_table --check  # exit 1 when README.md is out of date

tests/core/test_permissions.py fails when the README's table differs from the code's."""

import sys
from pathlib import Path

from laopan.security.permissions import ACTION_LABELS, ACTION_NOTES, PERMISSIONS, ROLE_LABELS

START, END = "<!-- permissions:start -->", "<!-- permissions:end -->"
README = Path(__file__).resolve().parent.parent / "README.md"

RECORD_RULES = (
    "记录范围（在上表之上）：主任/督导、管理员——本调委会全部案件；警调联络员——仅公安机关移交的联合调解案件；"
    "调解员——本人承办或参与的案件、结对（老潘或小潘）的案件，以及本人所属社区、网格的案件。"
    "列表、搜索、计数与打开单个案件用同一规则（`laopan/security/records.py`）。"
)


def render() -> str:
    roles = list(ROLE_LABELS)
    lines = ["| 操作 | " + " | ".join(ROLE_LABELS[r] for r in roles) + " |", "|---|" + ":-:|" * len(roles)]
    for action, allowed in PERMISSIONS.items():
        cells = " | ".join("✓" if role in allowed else "—" for role in roles)
        lines.append(f"| {ACTION_LABELS[action]}（`{action.value}`） | {cells} |")
    notes = [f"- {ACTION_LABELS[action]}：{note}" for action, note in ACTION_NOTES.items()]
    return "\n".join([START, *lines, "", *notes, "", RECORD_RULES, END])


def updated(text: str) -> str:
    head, found, rest = text.partition(START)
    if not found:
        raise SystemExit(f"README.md has no {START} marker")
    _, found, tail = rest.partition(END)
    if not found:
        raise SystemExit(f"README.md has no {END} marker")
    return head + render() + tail


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print("README.md 的权限表已过期：运行 python -m tools.permissions_table", file=sys.stderr)
            return 1
        return 0
    if new != text:
        README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
