"""Who may do what: one table of role × action, read by the services (which refuse) and the read models'
`may_*` flags (so the window hides what the service would refuse). Record rules — which cases a role may see
at all — live in `laopan.security.records`. The README's permission table is rendered from here
(`tools/permissions_table.py`)."""

from enum import StrEnum
from typing import TYPE_CHECKING

from laopan.errors import PermissionDenied
from laopan.labels import label
from laopan.models.enums import Role

if TYPE_CHECKING:
    from laopan.services.actor import Actor


class Action(StrEnum):
    REGISTER = "register"
    EDIT = "edit"
    ESCALATE = "escalate"
    RETURN_DOWN = "return_down"
    ASSIGN = "assign"
    DRAFT = "draft"
    REVIEW = "review"
    FINALISE = "finalise"
    CORRECT_SIGNATURE = "correct_signature"
    SIGN = "sign"
    PRINT = "print"
    EXPORT = "export"
    REVEAL = "reveal"
    REOPEN = "reopen"
    FORCE_CLOSE = "force_close"
    IMPORT_LEDGER = "import_ledger"
    VIEW_STATION_LEDGER = "view_station_ledger"
    VIEW_STATISTICS = "view_statistics"
    MANAGE_USERS = "manage_users"
    MANAGE_DICTIONARIES = "manage_dictionaries"
    MANAGE_REGISTRY = "manage_registry"
    MANAGE_BACKUPS = "manage_backups"
    VIEW_AUDIT = "view_audit"


_ALL = frozenset(Role)
_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
_CASEWORKERS = frozenset({Role.MEDIATOR, Role.SUPERVISOR, Role.ADMIN})

# The one table. Record rules (which cases) come on top: a liaison's ✓ applies to joint cases only, a
# mediator's to the cases they may see (laopan.security.records).
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.REGISTER: _ALL,
    Action.EDIT: _ALL,
    Action.ESCALATE: _ALL,
    Action.RETURN_DOWN: _SUPERVISORS,
    Action.ASSIGN: _ALL,
    Action.DRAFT: _ALL,
    Action.REVIEW: _CASEWORKERS,  # a mediator only as the pairing's mentor (老潘) of the lead
    Action.FINALISE: _SUPERVISORS,
    Action.CORRECT_SIGNATURE: _SUPERVISORS,
    Action.SIGN: _ALL,
    Action.PRINT: _ALL,
    Action.EXPORT: _SUPERVISORS,
    Action.REVEAL: _ALL,
    Action.REOPEN: _SUPERVISORS,
    Action.FORCE_CLOSE: _SUPERVISORS,
    Action.IMPORT_LEDGER: _SUPERVISORS,
    Action.VIEW_STATION_LEDGER: _ALL,
    Action.VIEW_STATISTICS: _CASEWORKERS,  # a mediator only their own
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_DICTIONARIES: _SUPERVISORS,
    Action.MANAGE_REGISTRY: _SUPERVISORS,
    Action.MANAGE_BACKUPS: _SUPERVISORS,
    Action.VIEW_AUDIT: _SUPERVISORS,
}

ACTION_LABELS: dict[Action, str] = {
    Action.REGISTER: "登记案件",
    Action.EDIT: "修改案件信息",
    Action.ESCALATE: "将案件上报上一级",
    Action.RETURN_DOWN: "将案件退回下一级",
    Action.ASSIGN: "指派调解员",
    Action.DRAFT: "起草协议书",
    Action.REVIEW: "审核协议书",
    Action.FINALISE: "编号定稿协议书",
    Action.CORRECT_SIGNATURE: "更正已登记的签名",
    Action.SIGN: "登记签名",
    Action.PRINT: "打印或导出文书",
    Action.EXPORT: "导出含完整个人信息的案件数据",
    Action.REVEAL: "查看完整的身份证号、电话和住址",
    Action.REOPEN: "重新打开已结案归档的案件",
    Action.FORCE_CLOSE: "在卷宗不全时强制结案",
    Action.IMPORT_LEDGER: "导入台账",
    Action.VIEW_STATION_LEDGER: "查看警调月度台账",
    Action.VIEW_STATISTICS: "查看统计",
    Action.MANAGE_USERS: "管理用户",
    Action.MANAGE_DICTIONARIES: "修改字典",
    Action.MANAGE_REGISTRY: "维护调解员名册和结对",
    Action.MANAGE_BACKUPS: "管理备份与恢复",
    Action.VIEW_AUDIT: "查看审计日志",
}

# Conditions the services add on top of a ✓ (rendered under the README's table).
ACTION_NOTES: dict[Action, str] = {
    Action.REVIEW: "调解员仅限本人为当前结对老潘、由其小潘主持的协议",
    Action.VIEW_STATISTICS: "调解员仅限本人承办案件的统计，且须关联调解员名册",
    Action.REGISTER: "警调联络员只登记公安机关移交的案件",
}

ROLE_LABELS: dict[Role, str] = {role: label(role) for role in (Role.MEDIATOR, Role.POLICE_LIAISON, Role.SUPERVISOR, Role.ADMIN)}

assert set(PERMISSIONS) == set(Action) == set(ACTION_LABELS), "every action has one row and one label"


def allowed(actor: "Actor", action: Action) -> bool:
    return actor.role in PERMISSIONS[action]


def refusal(role: Role, action: Action) -> str:
    """The Chinese sentence for a refusal, e.g. “调解员无权编号定稿协议书（仅限：主任、管理员）”."""
    roles = "、".join(ROLE_LABELS[r] for r in ROLE_LABELS if r in PERMISSIONS[action])
    return f"{ROLE_LABELS[role]}无权{ACTION_LABELS[action]}（仅限：{roles}）"


def require(actor: "Actor", action: Action) -> None:
    if not allowed(actor, action):
        raise PermissionDenied(refusal(actor.role, action))
