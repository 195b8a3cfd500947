"""`laopan referral …`: the police liaison's verbs, and the monthly station ledger."""

import datetime as dt
import sys
from zoneinfo import ZoneInfo

from laopan.cli.common import case_id_of as _case_id
from laopan.cli.common import open_cli_desk as _desk
from laopan.errors import ValidationError
from laopan.models.enums import FeedbackResult, PerformanceStatus, ReferralNature, ReferralState, RiskFlag, codes


def register(sub, command) -> None:
    group = sub.add_parser("referral", help="警调联合案件：警情移交、联系、反馈、退回、台账").add_subparsers(
        dest="referral_command", metavar="ACTION", required=True
    )
    p = command("add", cmd_add, "为公安机关移交的案件补录警情移交记录", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--incident-no", required=True, help="警情编号")
    p.add_argument("--station", required=True, help="派出所（字典中的名称）")
    p.add_argument("--referred-at", required=True, metavar="TIME", help="移交时间，如 2026-11-27T09:20（委员会时区）")
    p.add_argument("--call-time", metavar="TIME")
    p.add_argument("--incident-time", metavar="TIME")
    p.add_argument("--incident-place")
    p.add_argument("--officer")
    p.add_argument("--badge-no")
    p.add_argument("--officer-phone")
    p.add_argument("--approver")
    p.add_argument("--nature", choices=codes(ReferralNature))
    p.add_argument("--risk", action="append", default=[], choices=codes(RiskFlag), help="风险标记，可重复")
    p.add_argument("--consent", choices=("yes", "no"))

    p = command("contact", cmd_contact, "记录与当事人的首次联系", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--at", metavar="TIME", help="默认现在")
    p.add_argument("--note")
    p = command("feedback", cmd_feedback, "记录向派出所的结果反馈", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--result", required=True, choices=codes(FeedbackResult))
    p.add_argument("--content", help="反馈内容")
    p.add_argument("--performance", choices=codes(PerformanceStatus))
    p.add_argument("--agreement-no", help="默认取本案协议编号")
    p.add_argument("--at", metavar="TIME")
    p = command("return", cmd_return, "调解不成，退回公安机关依法处理", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--reason", required=True)
    p = command("second", cmd_second, "标记为二次调解", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--off", action="store_true", help="取消标记")
    p = command("report", cmd_report, "有激化可能的纠纷报告公安机关（人民调解法第二十五条）", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--to", required=True, dest="reported_to", help="报告对象，如 东柳派出所值班民警")
    p.add_argument("--note", default="")
    p = command("list", cmd_list, "列出警情移交（每行：受理编号 警情编号 状态 期限）", group)
    p.add_argument("--due", action="store_true", help="只列需要处理的（待联系、待反馈、逾期）")
    p.add_argument("--state", choices=codes(ReferralState))
    p = command("ledger", cmd_ledger, "派出所月度台账", group)
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--out", metavar="FILE", help=".xlsx 或 .csv")


def _tz(desk) -> ZoneInfo:
    from laopan.services.committee import committee_settings

    with desk.reading() as session:
        return ZoneInfo(committee_settings(session, desk.committee_id).time_zone)


def _time(text: str | None, tz: ZoneInfo, field: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, "时间格式应为 2026-11-27T09:20") from None
    return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(dt.UTC)


def _print_row(row, tz: ZoneInfo) -> None:
    from laopan.services.referrals import state_label

    due = f"{row.due_at.astimezone(tz):%Y-%m-%d %H:%M}" if row.due_at else ""
    print("\t".join((row.intake_no, row.incident_no, state_label(row.state), due)).rstrip())


def cmd_add(args) -> int:
    from laopan.services.referrals import add_referral

    desk = _desk(args)
    tz = _tz(desk)
    data = {
        "incident_no": args.incident_no, "station": args.station,
        "referred_at": _time(args.referred_at, tz, "--referred-at"),
        "call_time": _time(args.call_time, tz, "--call-time"), "incident_time": _time(args.incident_time, tz, "--incident-time"),
        "incident_place": args.incident_place, "officer": args.officer, "badge_no": args.badge_no,
        "officer_phone": args.officer_phone, "approver": args.approver, "nature": args.nature,
        "risk_flags": args.risk, "consent": {"yes": True, "no": False}.get(args.consent),
    }
    with desk.session() as session:
        row = add_referral(session, actor=desk.actor, case_id=_case_id(session, desk, args.number),
                           data={k: v for k, v in data.items() if v is not None})
    _print_row(row, tz)
    return 0


def _simple(args, action) -> int:
    desk = _desk(args)
    tz = _tz(desk)
    with desk.session() as session:
        row = action(session, desk, _case_id(session, desk, args.number), tz)
    _print_row(row, tz)
    return 0


def cmd_contact(args) -> int:
    from laopan.services.referrals import record_first_contact

    return _simple(args, lambda s, d, cid, tz: record_first_contact(
        s, actor=d.actor, case_id=cid, expected_version=None, at=_time(args.at, tz, "--at"), note=args.note))


def cmd_feedback(args) -> int:
    from laopan.services.referrals import record_feedback

    return _simple(args, lambda s, d, cid, tz: record_feedback(
        s, actor=d.actor, case_id=cid, expected_version=None, result=FeedbackResult(args.result), content=args.content,
        performance=PerformanceStatus(args.performance) if args.performance else None,
        agreement_no=args.agreement_no, at=_time(args.at, tz, "--at")))


def cmd_return(args) -> int:
    from laopan.services.referrals import return_to_police

    return _simple(args, lambda s, d, cid, tz: return_to_police(s, actor=d.actor, case_id=cid, expected_version=None, reason=args.reason))


def cmd_second(args) -> int:
    from laopan.services.referrals import set_second_mediation

    return _simple(args, lambda s, d, cid, tz: set_second_mediation(s, actor=d.actor, case_id=cid, expected_version=None, flag=not args.off))


def cmd_report(args) -> int:
    from laopan.services.referrals import report_to_police

    desk = _desk(args)
    tz = _tz(desk)
    with desk.session() as session:
        report = report_to_police(session, actor=desk.actor, case_id=_case_id(session, desk, args.number),
                                  reported_to=args.reported_to, note=args.note)
    print(f"已于 {report.reported_at.astimezone(tz):%Y-%m-%d %H:%M} 报告 {report.reported_to}")
    return 0


def cmd_list(args) -> int:
    from laopan.services.referrals import list_referrals

    desk = _desk(args)
    tz = _tz(desk)
    with desk.reading() as session:
        rows = list_referrals(session, actor=desk.actor, state=ReferralState(args.state) if args.state else None, due_only=args.due)
    for row in rows:
        _print_row(row, tz)
    return 0


def cmd_ledger(args) -> int:
    from laopan.services.station_ledger import COLUMNS, export_ledger, monthly_ledger, parse_month

    year, month = parse_month(args.month)
    desk = _desk(args)
    with desk.session() as session:
        if args.out:
            count = export_ledger(session, actor=desk.actor, year=year, month=month, path=args.out)
            print(f"已导出 {count} 行到 {args.out}", file=sys.stderr)
            return 0
        rows = monthly_ledger(session, actor=desk.actor, year=year, month=month)
    print("\t".join(COLUMNS))
    for row in rows:
        print("\t".join(str(cell) for cell in row.cells()))
    return 0
