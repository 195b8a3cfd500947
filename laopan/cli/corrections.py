"""Correcting a case after intake: `laopan party add|update|remove|list NO …` and `laopan case update NO …`.

Registered from `laopan.cli.main.build_parser`. Every option is optional on update: only the fields given
change. Refusals reach stderr through the CLI boundary. `--expected-version` is optional: without it the
current version is read first.
"""

import argparse
from zoneinfo import ZoneInfo

from laopan.cli.common import case_id_of
from laopan.cli.common import open_cli_desk as _desk
from laopan.labels import label
from laopan.models.enums import IdType, PartyKind, PartyRole, Sex, codes

_PARTY_OPTIONS = (
    ("name", "姓名或名称"), ("sex", "性别"), ("ethnicity", "民族"), ("birth_date", "出生日期 YYYY-MM-DD"),
    ("id_type", "证件类型"), ("id_number", "证件号码"), ("occupation", "职业"), ("phone", "电话"), ("address", "住址"),
    ("credit_code", "统一社会信用代码"), ("representative", "法定代表人"),
)
_AGENT_OPTIONS = (("name", "代理人姓名"), ("relation", "代理人关系"), ("phone", "代理人电话"), ("id_number", "代理人身份证号"),
                  ("address", "代理人住址"))
_CHOICES = {"sex": codes(Sex), "id_type": codes(IdType)}
_CASE_OPTIONS = (
    ("summary", "案情摘要"), ("amount", "标的额（元）"), ("type", "纠纷类型代码"), ("source", "案件来源代码"),
    ("community", "社区"), ("grid", "网格"), ("received_at", "受理时间 YYYY-MM-DD HH:MM"),
)
_REFERRAL_OPTIONS = (
    ("incident_no", "警情编号"), ("call_time", "报警时间 YYYY-MM-DD HH:MM"), ("incident_time", "案发时间 YYYY-MM-DD HH:MM"),
    ("incident_place", "案发地点"), ("station", "派出所"), ("officer", "移交民警"), ("badge_no", "警号"),
    ("officer_phone", "民警电话"), ("approver", "审批人"), ("referred_at", "移交时间 YYYY-MM-DD HH:MM"),
)
_TIMES = ("received_at", "call_time", "incident_time", "referred_at")
_YES_NO = {"yes": True, "no": False, "是": True, "否": False}


def register(sub, command, *, case) -> None:
    """Add `party …` to the top-level parser `sub` and `update` to the `case` group."""
    group = sub.add_parser("party", help="当事人：补录、更正、删除").add_subparsers(dest="party_command", metavar="ACTION", required=True)
    p = command("list", cmd_party_list, "列出案件的当事人（序号用于 update/remove）", group)
    p.add_argument("number", metavar="NO")
    p = command("add", cmd_party_add, "为已登记的案件添加当事人", group)
    _version(p)
    p.add_argument("--role", required=True, choices=codes(PartyRole))
    p.add_argument("--kind", choices=codes(PartyKind), default="person")
    _party_options(p, name_required=True)
    p = command("update", cmd_party_update, "更正当事人信息（只改给出的项）", group)
    _version(p)
    p.add_argument("party", metavar="PARTY", help="当事人序号（见 party list）或姓名")
    p.add_argument("--role", choices=codes(PartyRole))
    p.add_argument("--kind", choices=codes(PartyKind))
    _party_options(p, name_required=False)
    p.add_argument("--no-agent", action="store_true", help="删除代理人")
    p = command("remove", cmd_party_remove, "删除误录的当事人（须 --reason）", group)
    _version(p)
    p.add_argument("party", metavar="PARTY", help="当事人序号或姓名")
    p.add_argument("--reason", required=True)

    p = command("update", cmd_case_update, "更正案件信息和警情移交信息（只改给出的项）", case)
    _version(p)
    for key, help_text in _CASE_OPTIONS + _REFERRAL_OPTIONS:
        p.add_argument(f"--{key.replace('_', '-')}", dest=f"v_{key}", metavar="VALUE", help=help_text)
    p.add_argument("--claim", dest="v_claims", action="append", metavar="TEXT", help="请求事项（可重复；给出即替换全部）")
    for key, help_text in (("prevented_criminal", "防止民转刑"), ("prevented_group_petition", "防止群体性上访")):
        p.add_argument(f"--{key.replace('_', '-')}", dest=f"v_{key}", choices=tuple(_YES_NO), help=help_text)


def _version(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", metavar="NO", help="受理编号")
    p.add_argument("--expected-version", type=int, metavar="N", help="界面显示的版本号（不填则取当前版本）")


def _party_options(p: argparse.ArgumentParser, *, name_required: bool) -> None:
    for key, help_text in _PARTY_OPTIONS:
        p.add_argument(f"--{key.replace('_', '-')}", dest=f"v_{key}", required=name_required and key == "name",
                       choices=_CHOICES.get(key), help=help_text)
    for key, help_text in _AGENT_OPTIONS:
        p.add_argument(f"--agent-{key.replace('_', '-')}", dest=f"a_{key}", metavar="VALUE", help=help_text)


def _given(args, prefix: str) -> dict:
    return {key[len(prefix):]: value for key, value in vars(args).items() if key.startswith(prefix) and value is not None}


def _party_values(args) -> dict:
    values = _given(args, "v_")
    for key in ("role", "kind"):
        if getattr(args, key, None):
            values[key] = getattr(args, key)
    agent = _given(args, "a_")
    if agent:
        values["agent"] = agent
    if getattr(args, "no_agent", False):
        values["agent"] = None
    return values


def _case_and_version(session, desk, args) -> tuple[int, int]:
    from laopan.services.cases import load_case

    case_id = case_id_of(session, desk, args.number)
    version = args.expected_version if args.expected_version is not None else load_case(session, actor=desk.actor, case_id=case_id).version
    return case_id, version


def _done(change) -> int:
    print(f"{change.intake_no}\t版本{change.version}")
    return 0


def cmd_party_list(args) -> int:
    from laopan.services.cases import case_detail

    desk = _desk(args)
    with desk.reading() as session:
        detail = case_detail(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number))
    for index, party in enumerate(detail.parties, 1):
        cells = [str(index), label(PartyRole, party.role), party.name, party.id_number or "", party.phone or "",
                 f"代理人 {party.agent.name}" if party.agent else ""]
        print("\t".join(cells).rstrip())
    return 0


def cmd_party_add(args) -> int:
    from laopan.services.corrections import add_party

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case_and_version(session, desk, args)
        change = add_party(session, actor=desk.actor, case_id=case_id, expected_version=version, party=_party_values(args))
    return _done(change)


def cmd_party_update(args) -> int:
    from laopan.services.corrections import find_party, update_party

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case_and_version(session, desk, args)
        party_id = find_party(session, actor=desk.actor, case_id=case_id, ref=args.party)
        change = update_party(session, actor=desk.actor, case_id=case_id, party_id=party_id, expected_version=version,
                              values=_party_values(args))
    return _done(change)


def cmd_party_remove(args) -> int:
    from laopan.services.corrections import find_party, remove_party

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case_and_version(session, desk, args)
        party_id = find_party(session, actor=desk.actor, case_id=case_id, ref=args.party)
        change = remove_party(session, actor=desk.actor, case_id=case_id, party_id=party_id, expected_version=version, reason=args.reason)
    return _done(change)


def cmd_case_update(args) -> int:
    from laopan.services.committee import committee_settings
    from laopan.services.corrections import update_case, update_referral
    from laopan.validation import parse_local_time

    desk = _desk(args)
    with desk.session() as session:
        case_id, version = _case_and_version(session, desk, args)
        zone = ZoneInfo(committee_settings(session, desk.committee_id).time_zone)
        given = _given(args, "v_")
        for key in _TIMES:
            if key in given:
                given[key] = parse_local_time(given[key], zone, field=f"--{key.replace('_', '-')}")
        for key in ("prevented_criminal", "prevented_group_petition"):
            if key in given:
                given[key] = _YES_NO[given[key]]
        renamed = {"amount": "amount_yuan", "type": "dispute_type"}
        facts = {renamed.get(k, k): v for k, v in given.items() if k not in dict(_REFERRAL_OPTIONS)}
        referral = {k: v for k, v in given.items() if k in dict(_REFERRAL_OPTIONS)}
        change = None
        if facts or not referral:
            change = update_case(session, actor=desk.actor, case_id=case_id, expected_version=version, values=facts)
            version = change.version
        if referral:
            change = update_referral(session, actor=desk.actor, case_id=case_id, expected_version=version, values=referral)
    return _done(change)
