"""`laopan doc NAME NO --pdf F --docx F`: the case file's standard forms (laopan.services.case_documents)."""


from laopan.cli.common import write_case_outputs

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


def cmd_doc_form(args) -> int:
    from laopan.services.case_documents import render_case_document

    return write_case_outputs(args, lambda session, desk, case_id, fmt: render_case_document(
        session, actor=desk.actor, case_id=case_id, name=args.form, fmt=fmt,
        session_no=getattr(args, "session", None), party=getattr(args, "party", None),
        visit=getattr(args, "visit", None)))
