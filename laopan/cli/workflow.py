"""Workflow subcommands: case moves, levels, mediators on cases, deadlines, mediation sessions, pairings.

Registered from `laopan.cli.main.build_parser`. Each prints one line per item on stdout; refusals reach stderr
through `main` (exit 1). `--expected-version` is optional: without it the current version is read first.
"""

import argparse
import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from laopan.cli.common import open_cli_desk as _desk
from laopan.cli.common import parse_date
from laopan.errors import DomainError, ValidationError
from laopan.labels import choices, days_left_text, label
from laopan.models.enums import CaseMediatorRole, CaseStatus, Level, MediatorRank, MediatorUnit, codes
from laopan.models.choices import Destination, RecusalOutcome, TerminationReason

Command = Callable[..., argparse.ArgumentParser]


def register(sub, command: Command, *, case, mediator) -> None:
    """Add the workflow verbs to the `case` and `mediator` groups and the top-level parser `sub`."""
    moves = {
        "accept": "受理", "reject": "不予受理（须 --reason）", "mediate": "开始调解", "settle": "调解成功（须已有协议）",
        "terminate": "调解终止（须 --reason；转其他途径另须 --destination）", "close": "结案归档",
        "reopen": "重新打开已结案归档的案件（主任、管理员；须 --reason）",
    }
    for action, help_text in moves.items():
        p = command(action, cmd_move, help_text, case)
        _case_args(p)
        p.set_defaults(action=action)
        if action == "terminate":
            reasons = "、".join(f"{code}={text}" for text, code in choices(TerminationReason))
            places = "、".join(f"{code}={text}" for text, code in choices(Destination))
            p.add_argument("--reason", required=True, help=f"终止原因：{reasons}")
            p.add_argument("--destination", help=f"去向：{places}")
        elif action in ("reject", "reopen"):
            p.add_argument("--reason", required=True)
        elif action == "close":
            p.add_argument("--force", action="store_true", help="卷宗不全时强制结案（主任、管理员；须 --reason）")
            p.add_argument("--reason", help="强制结案理由")

    for action, help_text in (("escalate", "上报到上一级（须 --reason）"), ("return", "退回下一级（主任、管理员；须 --reason）")):
        p = command(action, cmd_level, help_text, case)
        _case_args(p)
        p.set_defaults(action=action)
        p.add_argument("--reason", required=True)
        p.add_argument("--to-mediator", dest="mediator", metavar="NAME", help="接手的调解员（否则待分配）")
        _recusal_args(p)

    p = command("assign", cmd_assign, "指派调解员", case)
    _case_args(p)
    p.add_argument("--to-mediator", "--mediator", dest="mediator", metavar="NAME", required=True)
    p.add_argument("--role", choices=codes(CaseMediatorRole), default="lead")
    p.add_argument("--pairing", type=int, metavar="ID", help="以结对身份承办")
    _recusal_args(p)

    p = command("unassign", cmd_unassign, "撤下调解员", case)
    _case_args(p)
    p.add_argument("--mediator", "--to-mediator", dest="mediator", metavar="NAME", required=True)
    p.add_argument("--role", choices=codes(CaseMediatorRole), help="只撤下该角色")

    p = command("extend", cmd_extend, "延长调解期限（须双方当事人同意）", case)
    _case_args(p)
    p.add_argument("--until", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--applicant-consent", required=True, metavar="DATE")
    p.add_argument("--respondent-consent", required=True, metavar="DATE")
    p.add_argument("--reason")

    p = command("history", cmd_history, "层级变化和操作记录", case)
    p.add_argument("number", metavar="NO")
    p = command("sessions", cmd_sessions, "列出调解记录", case)
    p.add_argument("number", metavar="NO")
    p = command("actions", cmd_actions, "列出当前可以进行的操作", case)
    p.add_argument("number", metavar="NO")

    group = sub.add_parser("session", help="调解记录").add_subparsers(dest="session_command", metavar="ACTION", required=True)
    p = command("add", cmd_session_add, "新增调解记录", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--at", required=True, metavar="TIME", help="调解时间，如 2026-11-27 09:30（调委会时区）")
    p.add_argument("--place", required=True)
    p.add_argument("--mediator", action="append", default=[], required=True, metavar="NAME", help="可重复")
    p.add_argument("--present", action="append", default=[], metavar="NAME", help="到场当事人，可重复")
    p.add_argument("--participant", action="append", default=[], metavar="NAME", help="参加人，可重复")
    p.add_argument("--statement", action="append", default=[], metavar="TEXT", help="各方陈述，每条一行，可重复")
    p.add_argument("--result", default="")

    p = command("update", cmd_mediator_update, "修改调解员信息", mediator)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--rank", choices=codes(MediatorRank))
    p.add_argument("--unit", choices=codes(MediatorUnit))
    p.add_argument("--in-community", dest="mediator_community", metavar="NAME")
    p.add_argument("--grid")
    p.add_argument("--active", dest="active", action="store_true", default=None)
    p.add_argument("--inactive", dest="active", action="store_false", default=None)
    p.add_argument("--specialty", action="append", metavar="CODE", help="专长（替换原有），可重复")
    p.add_argument("--relative", action="append", metavar="NAME", help="申报的亲属姓名（替换原有），可重复")
    p.add_argument("--no-relatives", action="store_true", help="清空申报的亲属")
    p.add_argument("--phone")
    p.add_argument("--id-number")
    p.add_argument("--address")
    p.add_argument("--work-unit")
    p.add_argument("--expected-version", type=int, metavar="N")
    p = command("suggest", cmd_mediator_suggest, "为案件推荐主持人", mediator)
    p.add_argument("number", metavar="NO")
    p.add_argument("--limit", type=int, default=5)
    p = command("mentoring", cmd_mediator_mentoring, "小潘的带教记录", mediator)
    p.add_argument("name", metavar="NAME")

    group = sub.add_parser("pairing", help="老潘+小潘结对").add_subparsers(dest="pairing_command", metavar="ACTION", required=True)
    p = command("add", cmd_pairing_add, "新建结对", group)
    p.add_argument("senior", metavar="SENIOR")
    p.add_argument("junior", metavar="JUNIOR")
    p.add_argument("--from", dest="started_on", required=True, metavar="DATE")
    p = command("end", cmd_pairing_end, "结束结对", group)
    p.add_argument("pairing_id", type=int, metavar="ID")
    p.add_argument("--on", dest="ended_on", required=True, metavar="DATE")
    p.add_argument("--expected-version", type=int, metavar="N")
    p = command("list", cmd_pairing_list, "列出结对", group)
    p.add_argument("--active", action="store_true")

    p = command("deadlines", cmd_deadlines, "逾期和即将到期的案件", sub)
    p.add_argument("--mine", action="store_true", help="只看本人（关联调解员）参与的案件")


def _case_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", metavar="NO")
    p.add_argument("--expected-version", type=int, metavar="N", help="界面显示的版本号（省略时读取当前版本）")


def _recusal_args(p: argparse.ArgumentParser) -> None:
    choice = p.add_mutually_exclusive_group()
    choice.add_argument("--keep", dest="recusal", action="store_const", const=RecusalOutcome.KEPT, help="存在回避情形时仍保留")
    choice.add_argument("--replace", dest="recusal", action="store_const", const=RecusalOutcome.REPLACED, help="存在回避情形时更换")
    p.add_argument("--decision-reason", default="", help="回避决定的理由")


# ---------------------------------------------------------------- helpers


def _date(value: str, option: str) -> dt.date:
    day = parse_date(value, option)
    if day is None:
        raise ValidationError(option, "不能为空")
    return day


def _case(session, desk, args) -> tuple[int, int]:
    """(case id, expected version): the given version, else the one in the database now."""
    from laopan.services.cases import find_case_id, load_case

    case_id = find_case_id(session, actor=desk.actor, intake_no=args.number)
    version = args.expected_version if args.expected_version is not None else load_case(session, actor=desk.actor, case_id=case_id).version
    return case_id, version


def _mediator_id(session, desk, name: str | None) -> int | None:
    from laopan.services.pairings import find_mediator

    return find_mediator(session, actor=desk.actor, name=name).id if name else None


def _recusal(args):
    from laopan.services.assignment import RecusalChoice

    return RecusalChoice(args.recusal, args.decision_reason) if args.recusal else None


def _case_line(change) -> str:
    cells = [change.intake_no, label(CaseStatus, change.status), label(Level, change.level), change.lead_name or "待分配",
             f"期限{change.due_on.isoformat()}" if change.due_on else "", f"版本{change.version}"]
    return "\t".join(c for c in cells if c)


def _when(value: dt.datetime, zone: ZoneInfo) -> str:
    return f"{value.astimezone(zone):%Y-%m-%d %H:%M}"


def _zone(session, desk) -> ZoneInfo:
    from laopan.services.committee import committee_settings

    return ZoneInfo(committee_settings(session, desk.committee_id).time_zone)


# ---------------------------------------------------------------- case verbs


def cmd_move(args) -> int:
    from laopan.services.lifecycle import move_case

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case(session, desk, args)
        change = move_case(session, actor=desk.actor, case_id=case_id, action=args.action, expected_version=version,
                           reason=getattr(args, "reason", None), destination=getattr(args, "destination", None),
                           force=getattr(args, "force", False))
    print(_case_line(change))
    return 0


def cmd_level(args) -> int:
    from laopan.services.lifecycle import escalate, return_down

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case(session, desk, args)
        service = escalate if args.action == "escalate" else return_down
        change = service(session, actor=desk.actor, case_id=case_id, expected_version=version, reason=args.reason,
                         to_mediator_id=_mediator_id(session, desk, args.mediator), recusal=_recusal(args))
    print(_case_line(change))
    return 0


def cmd_assign(args) -> int:
    from laopan.services.assignment import assign_mediator

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case(session, desk, args)
        result = assign_mediator(session, actor=desk.actor, case_id=case_id, expected_version=version,
                                 mediator_id=_mediator_id(session, desk, args.mediator), role=CaseMediatorRole(args.role),
                                 pairing_id=args.pairing, recusal=_recusal(args))
    if result.matches:
        decision = "已保留" if result.assigned else "已更换，未指派"
        print(f"回避审查：{decision}（{'；'.join(m.message for m in result.matches)}）")
    print(_case_line(result.case))
    return 0


def cmd_unassign(args) -> int:
    from laopan.services.assignment import unassign_mediator

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case(session, desk, args)
        change = unassign_mediator(session, actor=desk.actor, case_id=case_id, expected_version=version,
                                   mediator_id=_mediator_id(session, desk, args.mediator),
                                   role=CaseMediatorRole(args.role) if args.role else None)
    print(_case_line(change))
    return 0


def cmd_extend(args) -> int:
    from laopan.services.deadlines import extend_deadline

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case(session, desk, args)
        change = extend_deadline(
            session, actor=desk.actor, case_id=case_id, expected_version=version, new_due_on=_date(args.until, "--until"),
            applicant_consent_on=_date(args.applicant_consent, "--applicant-consent"),
            respondent_consent_on=_date(args.respondent_consent, "--respondent-consent"), reason=args.reason,
        )
    print(_case_line(change))
    return 0


def cmd_history(args) -> int:
    from laopan.services.cases import case_detail, find_case_id
    from laopan.services.timeline import case_timeline

    desk = _desk(args)
    with desk.reading() as session:
        case_id = find_case_id(session, actor=desk.actor, intake_no=args.number)
        zone = _zone(session, desk)
        detail = case_detail(session, actor=desk.actor, case_id=case_id)
        entries = case_timeline(session, actor=desk.actor, case_id=case_id)
    for e in detail.escalations:
        print(f"层级\t{_when(e.at, zone)}\t{label(Level, e.from_level)}→{label(Level, e.to_level)}\t{e.by_login}\t{e.reason}")
    for entry in entries:
        print(f"{_when(entry.at, zone)}\t{entry.who}\t{entry.description}")
    return 0


def cmd_sessions(args) -> int:
    from laopan.services.cases import find_case_id
    from laopan.services.sessions import list_sessions

    desk = _desk(args)
    with desk.reading() as session:
        zone = _zone(session, desk)
        rows = list_sessions(session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no=args.number))
    for s in rows:
        cells = [f"#{s.id}", _when(s.held_at, zone), s.place, "调解员 " + "、".join(s.mediators),
                 "到场 " + "、".join(s.parties_present) if s.parties_present else "",
                 "参加人 " + "、".join(s.participants) if s.participants else "",
                 "陈述 " + s.statements.replace("\n", " / ") if s.statements else "",
                 "结果 " + s.result if s.result else "", f"版本{s.version}"]
        print("\t".join(c for c in cells if c))
    return 0


def cmd_actions(args) -> int:
    from laopan.services.cases import find_case_id
    from laopan.services.lifecycle import available_actions

    desk = _desk(args)
    with desk.reading() as session:
        actions = available_actions(session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no=args.number))
    for a in actions:
        print("\t".join(x for x in (a.code, a.label, "须填理由" if a.needs_reason else "", "" if a.enabled else f"暂不可用：{a.hint}") if x))
    return 0


def cmd_session_add(args) -> int:
    from laopan.services.cases import find_case_id
    from laopan.services.sessions import add_session

    desk = _desk(args)
    with desk.session() as session:
        zone = _zone(session, desk)
        try:
            held_at = dt.datetime.fromisoformat(args.at.strip())
        except ValueError:
            raise ValidationError("--at", "时间格式应为 2026-11-27 09:30") from None
        if held_at.tzinfo is None:
            held_at = held_at.replace(tzinfo=zone)
        view = add_session(
            session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no=args.number), held_at=held_at,
            place=args.place, mediators=args.mediator, parties_present=args.present, participants=args.participant,
            statements="\n".join(args.statement), result=args.result,
        )
    print(f"已添加调解记录 #{view.id}")
    return 0


# ---------------------------------------------------------------- mediators, pairings, deadlines


def cmd_mediator_update(args) -> int:
    from laopan.models import Mediator
    from laopan.services.committee import load_dictionaries
    from laopan.services.pairings import find_mediator, update_mediator

    values: dict = {}
    for option, name in (("rank", "rank"), ("unit", "unit"), ("mediator_community", "community"), ("grid", "grid"),
                         ("active", "active"), ("specialty", "specialties"), ("relative", "declared_relatives"),
                         ("phone", "phone"), ("id_number", "id_number"), ("address", "address"), ("work_unit", "work_unit")):
        if getattr(args, option) is not None:
            values[name] = getattr(args, option)
    if args.no_relatives:
        values["declared_relatives"] = []
    if not values:
        raise DomainError("没有要修改的内容（见 laopan mediator update --help）")
    desk = _desk(args)
    with desk.session() as session:
        mediator: Mediator = find_mediator(session, actor=desk.actor, name=args.name)
        version = args.expected_version if args.expected_version is not None else mediator.version
        change = update_mediator(session, actor=desk.actor, mediator_id=mediator.id, expected_version=version, **values)
        dicts = load_dictionaries(session, desk.committee_id)
    names = {"community_id": dicts.community_names, "grid_id": dicts.grid_names}

    def shown(name: str, value) -> str:
        if value is None or value == []:
            return "（空）"
        if name in names:
            return names[name].get(value, str(value))
        if name in ("rank", "unit"):
            return label(MediatorRank if name == "rank" else MediatorUnit, value)
        if name == "active":
            return "在岗" if value else "停用"
        return "、".join(value) if isinstance(value, list) else str(value)

    fields = "；".join(f"{_FIELDS.get(name, name)} {shown(name, old)}→{shown(name, new)}" for name, (old, new) in change.changes.items())
    print(f"已更新调解员 {change.name}（版本{change.version}）：{fields or '无变化'}")
    return 0


_FIELDS = {
    "rank": "级别", "unit": "单位", "community_id": "社区", "grid_id": "网格", "active": "状态", "specialties": "专长",
    "declared_relatives": "申报亲属", "phone": "电话", "id_number": "身份证号", "address": "住址", "work_unit": "工作单位",
}


def cmd_mediator_suggest(args) -> int:
    from laopan.services.assignment import suggest_mediators
    from laopan.services.cases import find_case_id

    desk = _desk(args)
    with desk.reading() as session:
        case_id = find_case_id(session, actor=desk.actor, intake_no=args.number)
        suggestions = suggest_mediators(session, actor=desk.actor, case_id=case_id, limit=args.limit)
    for s in suggestions:
        cells = [s.name, f"结对#{s.pairing_id}" if s.pairing_id else "", str(s.score), s.explanation,
                 f"回避：{'；'.join(s.recusal)}" if s.recusal else ""]
        print("\t".join(c for c in cells if c))
    return 0


def cmd_mediator_mentoring(args) -> int:
    from laopan.services.pairings import find_mediator, mentoring_record

    desk = _desk(args)
    with desk.reading() as session:
        junior = find_mediator(session, actor=desk.actor, name=args.name)
        entries = mentoring_record(session, actor=desk.actor, junior_id=junior.id)
    for e in entries:
        senior = f"老潘 {e.senior_name}" + (f"（结对#{e.pairing_id}）" if e.via == "pairing" else "（主持人）") if e.senior_name else "无老潘带教"
        notes = "；".join(n.note for n in e.notes)
        cells = [e.intake_no, label(CaseMediatorRole, e.role), senior, label(CaseStatus, e.status), f"点评：{notes}" if notes else ""]
        print("\t".join(c for c in cells if c))
    return 0


def cmd_pairing_add(args) -> int:
    from laopan.services.pairings import create_pairing, find_mediator

    desk = _desk(args)
    with desk.session() as session:
        senior = find_mediator(session, actor=desk.actor, name=args.senior)
        junior = find_mediator(session, actor=desk.actor, name=args.junior)
        view = create_pairing(session, actor=desk.actor, senior_id=senior.id, junior_id=junior.id,
                              started_on=_date(args.started_on, "--from"))
    print(f"已添加结对 #{view.id}：{view.senior_name}+{view.junior_name}，自{view.started_on.isoformat()}")
    return 0


def cmd_pairing_end(args) -> int:
    from laopan.models import Pairing
    from laopan.services.pairings import end_pairing

    desk = _desk(args)
    with desk.session() as session:
        version = args.expected_version
        if version is None:
            row = session.get(Pairing, args.pairing_id)
            version = row.version if row is not None and row.committee_id == desk.committee_id else 0
        view = end_pairing(session, actor=desk.actor, pairing_id=args.pairing_id, expected_version=version,
                           ended_on=_date(args.ended_on, "--on"))
    print(f"已结束结对 #{view.id}：{view.senior_name}+{view.junior_name}，{view.started_on.isoformat()}至{view.ended_on.isoformat()}")
    return 0


def cmd_pairing_list(args) -> int:
    from laopan.services.pairings import list_pairings

    desk = _desk(args)
    with desk.reading() as session:
        views = list_pairings(session, actor=desk.actor, active_only=args.active)
    for v in views:
        until = v.ended_on.isoformat() if v.ended_on else "至今"
        print(f"#{v.id}\t{v.senior_name}\t{v.junior_name}\t{v.started_on.isoformat()}\t{until}\t{'有效' if v.active else '已结束'}")
    return 0


def cmd_deadlines(args) -> int:
    from laopan.services.deadlines import deadline_lists

    desk = _desk(args)
    with desk.reading() as session:
        lists = deadline_lists(session, actor=desk.actor, mine=args.mine)
    for item in lists.overdue + lists.due_soon:
        cells = [days_left_text(item.days_left), item.intake_no, item.due_on.isoformat(), item.parties, label(Level, item.level),
                 label(CaseStatus, item.status), item.lead_name or "待分配"]
        print("\t".join(cells))
    from laopan.cli.casefile import print_deadlines

    print_deadlines(desk, mine=args.mine)
    return 0
