"""`laopan agreement …` and `laopan doc agreement …`: the 人民调解协议书 from the command line."""

import mimetypes
import sys
from pathlib import Path

from laopan.cli.common import case_id_of as _case_id
from laopan.cli.common import write_output
from laopan.cli.common import open_cli_desk as _desk
from laopan.cli.common import write_case_outputs
from laopan.cli.common import parse_date as _date
from laopan.errors import ValidationError
from laopan.models.choices import SIGN_METHODS
from laopan.models.enums import AgreementKind


def register(sub, command) -> None:
    group = sub.add_parser("agreement", help="人民调解协议：起草、检查、审核、定稿、签署、更正").add_subparsers(
        dest="agreement_command", metavar="ACTION", required=True)
    p = command("draft", cmd_draft, "从 JSON 文件保存协议草稿（见 README 的字段）", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--file", required=True, help="草稿 JSON：facts, matters, responsibilities, clauses[], performance{…}, signed_on, kind")
    p = command("check", cmd_check, "按人民调解法第二十八、二十九条检查协议要素", group)
    p.add_argument("number", metavar="NO")
    p = command("show", cmd_show, "协议状态：编号、审核、签署、生效日期", group)
    p.add_argument("number", metavar="NO")
    p = command("review", cmd_review, "审核小潘主持的协议（结对老潘或主任）", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--note", default="")
    p = command("finalise", cmd_finalise, "定稿并编号", group)
    p.add_argument("number", metavar="NO")
    p = command("sign", cmd_sign, "登记签署：当事人签名/盖章/按指印，调解员、记录人签名，加盖印章", group)
    p.add_argument("number", metavar="NO")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--party", metavar="NAME", help="当事人姓名或名称")
    who.add_argument("--mediator", action="store_true")
    who.add_argument("--recorder", action="store_true")
    who.add_argument("--seal", action="store_true")
    p.add_argument("--method", choices=SIGN_METHODS, default="signed")
    p.add_argument("--on", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--correct", action="store_true", help="更正已登记的签署日期（主任，须写明原因）")
    p.add_argument("--reason", default="", help="更正原因")
    p = command("oral", cmd_oral, "登记口头协议的当事人确认（口头协议登记表编号）", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--confirmed-by", required=True, metavar="NAMES", help="确认的当事人或代理人，以逗号分隔")
    p.add_argument("--on", required=True, metavar="YYYY-MM-DD")
    p = command("revise", cmd_revise, "更正已定稿的协议（未签署：保留编号、形成新修订；已签署：另立新编号的协议，原协议作废）", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("--file", required=True)
    p.add_argument("--reason", required=True)
    p = command("scan", cmd_scan, "上传签署后协议的扫描件（PDF/PNG/JPEG/TIFF）", group)
    p.add_argument("number", metavar="NO")
    p.add_argument("file")

    doc = sub.add_parser("doc", help="生成文书").add_subparsers(dest="doc_command", metavar="DOCUMENT", required=True)
    p = command("agreement", cmd_doc_agreement, "人民调解协议书（PDF 和/或 Word）；未定稿的打印为草稿", doc)
    p.add_argument("number", metavar="NO", help="受理编号或协议编号（可打印已作废的协议）")
    p.add_argument("--pdf", metavar="FILE")
    p.add_argument("--docx", metavar="FILE")
    p.add_argument("--final", action="store_true", help="只打印正式文本：未定稿或检查有错误时拒绝并列出错误")
    p = command("oral", cmd_doc_oral, "人民调解口头协议登记表（PDF 和/或 Word）", doc)
    p.add_argument("number", metavar="NO")
    p.add_argument("--pdf", metavar="FILE")
    p.add_argument("--docx", metavar="FILE")
    from laopan.cli import documents

    documents.register(doc, command)  # the case file's standard forms, in the same group


def load_draft(path: str):
    """A draft from JSON: clauses are strings (free text) or payment objects {payer, payee, amount, deadline, method},
    with "instalments": [{deadline, amount}, …] for payment by instalments (amount, if given, is their total)."""
    from laopan.inputs import AgreementDraft, ClauseSpec, Instalment

    from laopan.interchange.reading import read_document

    data = read_document(path)
    if not isinstance(data, dict):
        raise ValidationError(path, "应为 JSON 对象（{…}）")
    clauses = []
    for index, item in enumerate(data.get("clauses", []), 1):
        if isinstance(item, str):
            clauses.append(ClauseSpec(kind="text", text=item))
        elif item.get("instalments"):
            clauses.append(ClauseSpec(
                kind="instalments", payer=item.get("payer", ""), payee=item.get("payee", ""),
                amount=str(item.get("amount", "")), method=item.get("method", ""),
                instalments=tuple(Instalment(_date(step.get("deadline"), f"clauses[{index - 1}].instalments[{n}].deadline"),
                                             str(step.get("amount", "")))
                                  for n, step in enumerate(item["instalments"]))))
        else:
            clauses.append(ClauseSpec(kind="payment", payer=item.get("payer", ""), payee=item.get("payee", ""),
                                      amount=str(item.get("amount", "")), method=item.get("method", ""),
                                      deadline=_date(item.get("deadline"), f"clauses[{index - 1}].deadline")))
    performance = data.get("performance", {})
    return AgreementDraft(
        kind=AgreementKind(data.get("kind", "written")), facts=data.get("facts", ""), matters=data.get("matters", ""),
        responsibilities=data.get("responsibilities", ""), clauses=tuple(clauses),
        performance_method=performance.get("method", ""), performance_place=performance.get("place", ""),
        performance_deadline=_date(performance.get("deadline"), "performance.deadline"),
        signed_on=_date(data.get("signed_on"), "signed_on"),
    )


def _target(session, desk, number: str) -> tuple[int, str | None]:
    """NO is a case's intake number (its agreement in force) or an agreement number (any of the case's)."""
    from laopan.errors import NotFound
    from laopan.services.agreements import find_agreement

    try:
        return _case_id(session, desk, number), None
    except NotFound:
        return find_agreement(session, actor=desk.actor, number=number)


def _print_state(state) -> None:
    lines = [
        f"编号：{state.number or state.oral_register_no or '（草稿，未定稿）'}  修订：第{state.revision}版  份数：{state.copies}",
        f"审核：{'需要，' + ('已审核' if state.reviewed else '未审核') if state.needs_review else '不需要'}",
        f"生效日期：{state.effective_on.isoformat() if state.effective_on else '未生效'}"
        + (f"  司法确认申请期限：{state.judicial_confirmation_until.isoformat()}" if state.judicial_confirmation_until else ""),
    ]
    if state.superseded:
        lines.insert(0, f"已作废：{state.superseded_reason or ''}" + (f"；现行协议为 {state.superseded_by_number}" if state.superseded_by_number else ""))
    if state.supersedes_number:
        lines.append(f"代替：{state.supersedes_number}（已作废）")
    for s in state.signatures:
        by = f"（由{s.signer_name}代为签署）" if getattr(s, "signer_name", None) else ""
        lines.append(f"  {s.label}：{(s.method or '') + ' ' + s.signed_on.isoformat() + by if s.signed_on else '未签署'}")
    if len(state.history) > 1:
        lines.append("本案协议：" + "；".join(f"{number or '草稿'}（{'现行' if current else '已作废'}）" for number, current in state.history))
    lines.append(f"扫描件：{'已上传' if state.has_scan else '无'}")
    print("\n".join(lines))


def cmd_draft(args) -> int:
    from laopan.services.agreements import save_draft

    draft = load_draft(args.file)
    desk = _desk(args)
    with desk.session() as session:
        state = save_draft(session, actor=desk.actor, case_id=_case_id(session, desk, args.number), draft=draft, expected_version=None)
    _print_state(state)
    return 0


def cmd_check(args) -> int:
    from laopan.services.agreements import check_agreement

    desk = _desk(args)
    with desk.reading() as session:
        check = check_agreement(session, actor=desk.actor, case_id=_case_id(session, desk, args.number))
    for warning in check.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    for error in check.errors:
        print(error, file=sys.stderr)
    if check.errors:
        print(f"不能定稿：{len(check.errors)} 处缺项或错误", file=sys.stderr)
        return 1
    print("协议要素齐全，可以定稿")
    return 0


def cmd_show(args) -> int:
    from laopan.services.agreements import agreement_state

    desk = _desk(args)
    with desk.reading() as session:
        case_id, number = _target(session, desk, args.number)
        _print_state(agreement_state(session, actor=desk.actor, case_id=case_id, number=number))
    return 0


def cmd_review(args) -> int:
    from laopan.services.agreements import review

    desk = _desk(args)
    with desk.session() as session:
        _print_state(review(session, actor=desk.actor, case_id=_case_id(session, desk, args.number), expected_version=None, note=args.note))
    return 0


def cmd_finalise(args) -> int:
    from laopan.services.agreements import finalise

    desk = _desk(args)
    with desk.session() as session:
        state = finalise(session, actor=desk.actor, case_id=_case_id(session, desk, args.number), expected_version=None)
    print(state.number)
    return 0


def cmd_sign(args) -> int:
    from laopan.services.agreements import record_signature

    desk = _desk(args)
    with desk.session() as session:
        case_id = _case_id(session, desk, args.number)
        party_id = None
        if args.party:
            party_id = _party_of_signer(session, desk, case_id, args.party)
        kind = "party" if args.party else "mediator" if args.mediator else "recorder" if args.recorder else "seal"
        state = record_signature(session, actor=desk.actor, case_id=case_id, signer_kind=kind, party_id=party_id,
                                 method=args.method, signed_on=_date(args.on, "--on"), signer_name=args.party,
                                 correct=args.correct, reason=args.reason)
    _print_state(state)
    return 0


def _party_of_signer(session, desk, case_id: int, name: str) -> int:
    """--party names the party, or the person who signs for it (its guardian, agent, or legal representative)."""
    from laopan.services.cases import case_detail

    parties = case_detail(session, actor=desk.actor, case_id=case_id).parties
    for party in parties:
        if name in (party.name, party.agent.name if party.agent else None, party.representative):
            return party.id
    raise ValidationError("--party", f"本案没有当事人或代理人“{name}”")


def cmd_oral(args) -> int:
    from laopan.services.oral_agreements import confirm_oral

    names = [name for name in args.confirmed_by.replace("，", ",").split(",") if name.strip()]
    desk = _desk(args)
    with desk.session() as session:
        state = confirm_oral(session, actor=desk.actor, case_id=_case_id(session, desk, args.number), confirmed_by=names,
                             confirmed_on=_date(args.on, "--on"))
    _print_state(state)
    return 0


def cmd_revise(args) -> int:
    from laopan.services.agreements import revise

    draft = load_draft(args.file)
    desk = _desk(args)
    with desk.session() as session:
        state = revise(session, actor=desk.actor, case_id=_case_id(session, desk, args.number), expected_version=None,
                       draft=draft, reason=args.reason)
    _print_state(state)
    return 0


def cmd_scan(args) -> int:
    from laopan.services.agreements import attach_scan

    path = Path(args.file)
    data = path.read_bytes()
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    desk = _desk(args)
    with desk.session() as session:
        attach_scan(session, actor=desk.actor, case_id=_case_id(session, desk, args.number), filename=path.name, data=data, mime=mime)
    print(f"已保存扫描件 {path.name}（{len(data) // 1024} KB）")
    return 0


def cmd_doc_agreement(args) -> int:
    from laopan.services.agreements import render_agreement

    if not args.pdf and not args.docx:
        raise ValidationError("--pdf/--docx", "至少指定一个输出文件")
    desk = _desk(args)
    with desk.session() as session:
        case_id, number = _target(session, desk, args.number)
        outputs = [(fmt, path) for fmt, path in (("pdf", args.pdf), ("docx", args.docx)) if path]
        for fmt, path in outputs:
            write_output(path, render_agreement(session, actor=desk.actor, case_id=case_id, fmt=fmt, number=number,
                                                final=args.final))
            print(f"已生成 {path}", file=sys.stderr)
    return 0


def cmd_doc_oral(args) -> int:
    from laopan.services.oral_agreements import render_oral

    return write_case_outputs(args, lambda session, desk, case_id, fmt: render_oral(session, actor=desk.actor, case_id=case_id, fmt=fmt))
