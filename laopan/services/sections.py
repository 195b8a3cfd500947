"""Which of the desk's sections a user sees besides 工作台, 案件, 警调 and 调解员 (the window's navigation), and
whether the case list offers 导入台账.

Kept apart from the sections' own modules so that the window can list a section without importing it: each
page is built, and its module loaded, the first time it is shown (ui.shell.sections)."""

from laopan.security.permissions import Action
from laopan.services.actor import Actor


def may_see_statistics(actor: Actor) -> bool:
    """Supervisors and admins see the committee; a mediator linked to a mediator record sees their own cases."""
    return actor.may(Action.VIEW_STATISTICS) and (actor.is_supervisor or actor.mediator_id is not None)


def may_see_audit(actor: Actor) -> bool:
    return actor.may(Action.VIEW_AUDIT)


def may_manage_users(actor: Actor) -> bool:
    return actor.may(Action.MANAGE_USERS)


def may_back_up(actor: Actor) -> bool:
    return actor.may(Action.MANAGE_BACKUPS)


def may_import(actor: Actor) -> bool:
    """Whether this role may import a ledger: hundreds of cases at once, so supervisors and administrators only."""
    return actor.may(Action.IMPORT_LEDGER)
