"""The case file after the agreement: `laopan followup add|record|list NO …`, `laopan judicial apply|result NO …`,
`laopan case attach NO --kind KIND FILE`, `laopan case dossier NO`, and the lines `laopan deadlines` adds for
visits due and judicial-confirmation windows closing.

Registered from `laopan.cli.main.build_parser`. Refusals reach stderr through the CLI boundary.
"""

from pathlib import Path

from laopan.cli.common import case_id_of, parse_date
from laopan.cli.common import open_cli_desk as _desk
from laopan.errors import ValidationError
from laopan.labels import choices, days_left_text, label
from laopan.models.choices import AttachmentKind, JudicialResult, VisitMethod
from laopan.models.enums import PerformanceStatus


def _help(enum) -> str:
    return "、".join(f"{code}={text}" for text, code in choices(enum))


def register(sub, command, *, case) -> None:
    group = sub.add_parser("followup", help="回访").add_subparsers(dest="followup_command", metavar="ACTION", required=True)
    p = command("add", cmd_followup_add, "安排回访（不给 --on 则按协议履行期限和各期付款安排）", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="计划回访日期")
    p.add_argument("--purpose", help="回访事项")
    p = command("record", cmd_followup_record, "登记回访结果", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--visit", type=int, metavar="N", help="第几次回访（见 followup list；不填则为最早一次未完成的）")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="回访日期")
    p.add_argument("--visitor", required=True)
    p.add_argument("--method", required=True, help=_help(VisitMethod))
    p.add_argument("--status", required=True, help=f"履行情况：{_help(PerformanceStatus)}")
    p.add_argument("--notes", default="")
    p.add_argument("--expected-version", type=int, metavar="N")
    p = command("list", cmd_followup_list, "列出回访", group)
    p.add_argument("number", metavar="NO")

    group = sub.add_parser("judicial", help="司法确认").add_subparsers(dest="judicial_command", metavar="ACTION", required=True)
    p = command("apply", cmd_judicial_apply, "登记司法确认申请", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--court", required=True)
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="申请日期")
    p.add_argument("--notes", default="")
    p = command("result", cmd_judicial_result, "登记法院裁定", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--result", required=True, help=_help(JudicialResult))
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="裁定日期")
    p.add_argument("--court-case-no", help="法院案号")
    p.add_argument("--scan", metavar="FILE", help="裁定书扫描件（PDF、JPEG、PNG）")
    p.add_argument("--expected-version", type=int, metavar="N")
    p = command("show", cmd_judicial_show, "司法确认期限和申请", group)
    p.add_argument("number", metavar="NO")

    p = command("attach", cmd_attach, "上传卷宗材料扫描件（PDF、JPEG、PNG）", case)
    p.add_argument("number", metavar="NO")
    p.add_argument("--kind", required=True, help=_help(AttachmentKind))
    p.add_argument("file", metavar="FILE")
    p = command("dossier", cmd_dossier, "卷宗材料清单（✓ 已有，✗ 缺少）", case)
    p.add_argument("number", metavar="NO")


def _read(path: str, option: str) -> tuple[str, bytes]:
    try:
        return Path(path).name, Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(option, f"无法读取文件 {path}：{exc.strerror}") from None


def cmd_followup_add(args) -> int:
    from laopan.services.followups import add_followup, schedule

    desk = _desk(args)
    with desk.session() as session:
        case_id = case_id_of(session, desk, args.number)
        day = parse_date(args.on, "--on")
        added = [add_followup(session, actor=desk.actor, case_id=case_id, planned_on=day, purpose=args.purpose)] if day else \
            schedule(session, actor=desk.actor, case_id=case_id)
    for visit in added:
        print(f"{visit.planned_on.isoformat()}\t{visit.purpose or ''}")
    if not added:
        print("回访已全部安排")
    return 0


def cmd_followup_record(args) -> int:
    from laopan.services.followups import list_followups, record_followup

    desk = _desk(args)
    with desk.session() as session:
        case_id = case_id_of(session, desk, args.number)
        visits = list_followups(session, actor=desk.actor, case_id=case_id).visits
        if args.visit is not None:
            if not 1 <= args.visit <= len(visits):
                raise ValidationError("--visit", f"本案有{len(visits)}次回访")
            visit = visits[args.visit - 1]
        else:
            visit = next((v for v in visits if v.done_on is None), None)
            if visit is None:
                raise ValidationError("--visit", "没有未完成的回访，请先 followup add")
        view = record_followup(session, actor=desk.actor, followup_id=visit.id,
                               expected_version=args.expected_version if args.expected_version is not None else visit.version,
                               done_on=parse_date(args.date, "--date"), visitor=args.visitor, method=args.method,
                               performance_status=args.status, notes=args.notes)
    print(_visit_line(view))
    return 0


def _visit_line(v) -> str:
    return "\t".join((v.planned_on.isoformat(), v.purpose or "", v.done_on.isoformat() if v.done_on else "未回访",
                      v.visitor or "", label(VisitMethod, v.method), label(PerformanceStatus, v.performance_status), v.notes))


def cmd_followup_list(args) -> int:
    from laopan.services.followups import list_followups

    desk = _desk(args)
    with desk.reading() as session:
        result = list_followups(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number))
    for n, visit in enumerate(result.visits, start=1):
        print(f"{n}\t{_visit_line(visit)}")
    if result.next_steps:
        steps = "、".join(s.label + ("" if s.enabled else f"（{s.hint}）") for s in result.next_steps)
        print(f"协议{label(PerformanceStatus, result.latest_status)}，可：{steps}")
    return 0


def _judicial_lines(state) -> list[str]:
    lines = []
    if state.closes_on:
        lines.append(f"协议生效 {state.effective_on.isoformat()}，申请期限至 {state.closes_on.isoformat()}（{days_left_text(state.days_left)}）")
    if state.hint:
        lines.append(state.hint)
    for a in state.applications:
        lines.append("\t".join((a.applied_on.isoformat(), a.court, a.court_case_no or "", label(JudicialResult, a.result) or "待裁定",
                                a.ruled_on.isoformat() if a.ruled_on else "", "有裁定书" if a.has_scan else "")))
    return lines


def cmd_judicial_apply(args) -> int:
    from laopan.services.judicial import apply

    desk = _desk(args)
    with desk.session() as session:
        state = apply(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number), court=args.court,
                      applied_on=parse_date(args.date, "--date"), notes=args.notes)
    print("\n".join(_judicial_lines(state)))
    return 0


def cmd_judicial_result(args) -> int:
    from laopan.services.judicial import record_result

    scan = _read(args.scan, "--scan") if args.scan else None
    desk = _desk(args)
    with desk.session() as session:
        state = record_result(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number),
                              expected_version=args.expected_version, result=args.result, ruled_on=parse_date(args.date, "--date"),
                              court_case_no=args.court_case_no, scan=scan)
    print("\n".join(_judicial_lines(state)))
    return 0


def cmd_judicial_show(args) -> int:
    from laopan.services.judicial import judicial_state

    desk = _desk(args)
    with desk.reading() as session:
        state = judicial_state(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number))
    print("\n".join(_judicial_lines(state)))
    return 0


def cmd_attach(args) -> int:
    from laopan.services.dossier import attach

    name, data = _read(args.file, "FILE")
    desk = _desk(args)
    with desk.session() as session:
        view = attach(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number), kind=args.kind,
                      filename=name, data=data)
    print(f"{label(AttachmentKind, view.kind)}\t{view.filename}\t{view.size}字节")
    return 0


def cmd_dossier(args) -> int:
    from laopan.services.dossier import check

    desk = _desk(args)
    with desk.reading() as session:
        result = check(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number))
    for line in result.lines:
        print("\t".join(("✓" if line.present else "✗", line.title, "必须" if line.required else "按需", line.detail)))
    print("卷宗齐全" if result.complete else f"缺少：{'、'.join(result.missing)}")
    return 0


def print_deadlines(desk, *, mine: bool) -> None:
    """The lines `laopan deadlines` adds: visits due or overdue, judicial-confirmation windows closing."""
    from laopan.services.followups import due_followups
    from laopan.services.judicial import closing_windows

    with desk.reading() as session:
        visits = due_followups(session, actor=desk.actor, mine=mine)
        windows = closing_windows(session, actor=desk.actor, mine=mine)
    for v in visits:
        print("\t".join((days_left_text(v.days_left), v.intake_no, v.planned_on.isoformat(), v.parties, "待回访",
                         v.purpose or "", v.lead_name or "待分配")))
    for w in windows:
        print("\t".join((days_left_text(w.days_left), w.intake_no, w.closes_on.isoformat(), w.parties, "司法确认申请期限",
                         f"协议{w.effective_on.isoformat()}生效", w.lead_name or "待分配")))
