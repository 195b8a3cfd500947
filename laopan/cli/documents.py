"""`laopan doc NAME NO --pdf F --docx F`: the case file's standard forms (laopan.services.case_documents);
`laopan doc packet NO --pdf F`: the whole 卷宗 as one PDF (laopan.services.packet); `laopan doc agreements
--month YYYY-MM|--day YYYY-MM-DD --dir DIR|--one-pdf F`: every agreement signed in the period
(laopan.services.batch_printing)."""

import sys
from pathlib import Path

from laopan.cli.common import case_id_of, open_cli_desk, parse_date, write_case_outputs
from laopan.errors import ValidationError

HELP = {
    "application": "人民调解申请书", "registration": "人民调解受理登记表", "notice": "人民调解当事人权利义务告知书",
    "record": "人民调解记录（调解笔录），每次调解一份", "power": "授权委托书（委托代理人）",
    "police-feedback": "警调移交反馈单（公安机关移交的案件）", "cover": "卷宗封面及卷内目录",
    "followup": "人民调解回访记录，每次回访一份", "judicial": "司法确认申请书（各方当事人共同申请）",
}


def register(doc, command) -> None:
    """Adds one command per form to the `doc` group that `laopan.cli.agreements` creates."""
    for name, text in HELP.items():
        p = command(name, cmd_doc_form, f"{text}（PDF 和/或 Word）", doc)
        p.set_defaults(form=name)
        p.add_argument("number", metavar="NO", help="受理编号")
        p.add_argument("--pdf", metavar="FILE")
        p.add_argument("--docx", metavar="FILE")
        if name == "record":
            p.add_argument("--session", type=int, metavar="N", help="第几次调解（默认最近一次）")
        if name == "followup":
            p.add_argument("--visit", type=int, metavar="N", help="第几次回访（见 followup list；默认最近一次已回访的）")
        if name == "power":
            p.add_argument("--party", metavar="NAME", help="委托人（当事人）或代理人姓名；多位当事人委托了代理人时必填")
    p = command("packet", cmd_doc_packet, "整本卷宗（封面、带页号的卷内目录、全部文书和扫描件）合成一个 PDF", doc)
    p.add_argument("number", metavar="NO", help="受理编号")
    p.add_argument("--pdf", metavar="FILE", required=True)
    p = command("agreements", cmd_doc_agreements, "某日或某月签订的全部协议书（每份一个 PDF，或合成一个 PDF）", doc)
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", metavar="YYYY-MM")
    when.add_argument("--day", metavar="YYYY-MM-DD")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--dir", metavar="DIR", help="每份协议一个 PDF 写入该目录")
    where.add_argument("--one-pdf", metavar="FILE", help="全部协议合成一个 PDF")


def cmd_doc_form(args) -> int:
    from laopan.services.case_documents import render_case_document

    return write_case_outputs(args, lambda session, desk, case_id, fmt: render_case_document(
        session, actor=desk.actor, case_id=case_id, name=args.form, fmt=fmt,
        session_no=getattr(args, "session", None), party=getattr(args, "party", None),
        visit=getattr(args, "visit", None)))


def cmd_doc_packet(args) -> int:
    from laopan.services.batch_printing import write_whole
    from laopan.services.packet import render_packet

    desk = open_cli_desk(args)
    with desk.session() as session:  # the audit entry commits only once the file is written
        data = render_packet(session, actor=desk.actor, case_id=case_id_of(session, desk, args.number))
        write_whole(Path(args.pdf), data)
    print(f"已生成 {args.pdf}", file=sys.stderr)
    return 0


def cmd_doc_agreements(args) -> int:
    from laopan.services.batch_printing import agreements_signed, file_name, month_range, render_item, write_whole
    from laopan.services.packet import merge_pdfs

    if args.month:
        first, last = month_range(args.month)
    else:
        first = last = parse_date(args.day, "--day")
    desk = open_cli_desk(args)
    with desk.reading() as session:
        items = agreements_signed(session, actor=desk.actor, first=first, last=last)
    if not items:
        print(f"{first.isoformat()} 至 {last.isoformat()} 没有签订的协议", file=sys.stderr)
        return 0
    if args.one_pdf:
        with desk.session() as session:
            pdfs = [render_item(session, actor=desk.actor, item=item, what="agreement") for item in items]
            write_whole(Path(args.one_pdf), merge_pdfs(pdfs))
        print(f"已生成 {args.one_pdf}（{len(items)}份协议）", file=sys.stderr)
        return 0
    folder = Path(args.dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError("--dir", f"无法创建目录 {folder}：{exc.strerror}") from None
    for item in items:
        with desk.session() as session:  # one unit of work per file: its audit entry commits with it
            write_whole(folder / file_name(item, "agreement"), render_item(session, actor=desk.actor, item=item, what="agreement"))
        print(folder / file_name(item, "agreement"))
    print(f"已生成{len(items)}份协议书", file=sys.stderr)
    return 0
