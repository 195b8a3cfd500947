"""Regenerate docs/screenshots/ from a demo database: `python -m tools.screenshots docs/screenshots`.

Builds a fresh demo database in a temporary dir (2,000 cases, fixed seed, clock standing at 2026-11-27), opens
the window offscreen and saves PNGs with `QWidget.grab()`: the main window at 1366×768 and 1920×1080 with a
case selected, the detail's 当事人 tab, and the intake dialog showing an ID-number error; then the workflow:
the 工作台 page, a case escalated twice through the escalation dialog with its 历史 tab, and the assignment
dialog showing suggestions and a recusal match (a mediator added, through the service, in a party's building),
and the 调解员 page with a pairing's mentoring record; the 统计 page with its charts. Printed pages
(`take_documents`): the first page of a draft 人民调解协议书 (agreement-draft-p1.png) and a 人民调解口头协议登记表
(oral-register.png), rendered to PDF and rasterised with pypdfium2; the case file's forms (`take_case_documents`):
police-feedback.png, case-cover.png (cover and 卷内目录 side by side) and session-record.png.
"""

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CASES = 2000
SEED = 7
DEMO_PASSWORD = "laopan-demo"  # the demo logins' password, as `make run` gives it
CLOCK_AT = dt.datetime(2026, 11, 27, 1, 30, tzinfo=dt.UTC)  # 09:30 in Ningbo
BAD_ID = "360426199101010072"
SIZES = ((1366, 768), (1920, 1080))


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the event loop until `predicate()` holds (raises TimeoutError after `timeout` seconds)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)
    deadline = time.monotonic() + timeout

    def check() -> None:
        if predicate() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not predicate():
        raise TimeoutError("等待界面超时")


def settle() -> None:
    """Let pending layouts and paints happen before a grab."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(50, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()


def build_demo(data_dir: Path):
    from laopan import paths
    from laopan.clock import FixedClock
    from laopan.demo import generate_demo
    from laopan.desk import open_desk
    from laopan.services.committee import init_committee
    from laopan.storage import make_engine, session_scope
    from laopan.storage.migrate import upgrade

    paths.configure(data_dir)
    clock = FixedClock(CLOCK_AT)
    engine = make_engine(f"sqlite:///{data_dir / 'laopan.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        init_committee(session, admin_name="潘明杰", admin_password=DEMO_PASSWORD, clock=clock)
    desk = open_desk(engine=engine, login="admin", password=DEMO_PASSWORD, clock=clock)
    generate_demo(engine, committee_id=desk.committee_id, cases=CASES, seed=SEED, clock=clock)
    return desk


def pick_rich_case(window, *, tries: int = 60) -> None:
    """Select the first listed case that has an agent and a police referral (or the first case at all)."""
    for row in range(min(tries, window.model.rowCount())):
        window.select_row(row)
        wait_until(lambda: window.detail.detail is not None and window.detail.detail.id == window.detail.case_id)
        detail = window.detail.detail
        if detail.referral is not None and any(party.agent for party in detail.parties) and len(detail.parties) >= 2:
            return
    window.select_row(0)
    wait_until(lambda: window.detail.detail is not None and window.detail.detail.id == window.detail.case_id)


def fill_intake_with_error(dialog) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    from ui.common.fields import select_code

    select_code(dialog.fields["source"].editor, "party_application")
    select_code(dialog.fields["community"].editor, "华光城")
    select_code(dialog.fields["grid"].editor, "华光城第3网格")
    dialog.fields["summary"].editor.setPlainText("楼上卫生间漏水致楼下吊顶受损，双方就维修与赔偿争执不下。")
    dialog.fields["claims"].editor.setPlainText("被申请人赔偿维修费用\n被申请人修复防水层")
    dialog.fields["amount_yuan"].editor.setText("12000.00")
    applicant, respondent = dialog.parties
    applicant.fields["name"].editor.setText("张伟")
    applicant.fields["id_number"].editor.setText(BAD_ID)
    applicant.fields["phone"].editor.setText("138 1234 5678")
    applicant.fields["address"].editor.setText("宁波市鄞州区东柳街道华光城12幢2单元301室")
    respondent.fields["name"].editor.setText("李秀英")
    respondent.fields["phone"].editor.setText("13712345678")
    QApplication.sendEvent(applicant.fields["id_number"].editor, QFocusEvent(QEvent.Type.FocusOut))


def take(out_dir: Path) -> list[Path]:
    from ui.shell.app import make_application
    from ui.cases.intake_dialog import IntakeDialog
    from ui.shell.main_window import MainWindow

    app = make_application([])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="laopan-shots-") as tmp:
        desk = build_demo(Path(tmp))
        window = MainWindow(desk)
        window.database_label.setText("SQLite ~/.local/share/laopan/laopan.db")  # not the temp path
        try:
            window.resize(*SIZES[0])
            window.show()
            wait_until(lambda: window.info is not None and window.model.rowCount() > 0 and not window.model.loading)
            pick_rich_case(window)
            for width, height in SIZES:
                window.resize(width, height)
                settle()
                path = out_dir / f"main-{width}x{height}.png"
                window.grab().save(str(path))
                saved.append(path)

            window.resize(*SIZES[0])
            window.splitter.setSizes([200, 460])  # room for every party field, as a user would drag it
            window.detail.tabs.setCurrentIndex(1)
            settle()
            path = out_dir / "detail-parties.png"
            window.detail.grab().save(str(path))
            saved.append(path)
            saved.append(shoot_party_editor(window, out_dir))
            saved.append(shoot_repeat_parties(window, desk, out_dir))

            dialog = IntakeDialog(window.runner, desk.actor, window.info, window)
            dialog.show()
            fill_intake_with_error(dialog)
            settle()
            dialog._scroll.ensureWidgetVisible(dialog.parties[0])
            settle()
            path = out_dir / "intake-error.png"
            dialog.grab().save(str(path))
            saved.append(path)
            dialog._initial = dialog.case_data()  # close without the discard question
            dialog.close()
            saved.append(shoot_session_dialog(window, desk, out_dir))
            saved.append(take_agreement_tab(window, desk, out_dir))
            saved += take_workflow(window, desk, out_dir)
            saved.append(shoot_liaison_desk(window, desk, out_dir))
            saved.append(shoot_statistics(window, out_dir))
            saved.append(shoot_backup(window, out_dir))
            saved.append(shoot_monthly_report(desk, out_dir))
            saved.append(shoot_ledger_import(window, desk, Path(tmp), out_dir))
            saved.append(shoot_liaison_start(desk, out_dir))
            saved.append(shoot_audit(window, out_dir))
            from tools.screenshots_admin import shoot_users

            saved.append(shoot_users(window, out_dir))
        finally:
            window.close()
            desk.engine.dispose()
    app.processEvents()
    return saved


# ---------------------------------------------------------------- workflow (工作台, 历史, 指派调解员)


def find_case(desk, *, statuses: tuple[str, ...], level: str | None = None, need_building: bool = False,
              besides: int | None = None) -> tuple[int, str | None]:
    """A demo case in one of the statuses (and the level), with its applicant's building if `need_building`."""
    from laopan.services.assignment import building_key
    from laopan.services.cases import CaseFilter, case_detail, list_cases

    with desk.session() as session:
        for status in statuses:
            for row in list_cases(session, actor=desk.actor, filters=CaseFilter(status=status, level=level), limit=200):
                if row.id == besides:
                    continue
                if not need_building:
                    return row.id, None
                detail = case_detail(session, actor=desk.actor, case_id=row.id, reveal=True)
                applicant = next((p for p in detail.parties if p.role == "applicant"), None)
                key = building_key(applicant.address) if applicant else None
                if key and key.startswith(detail.community):
                    return row.id, key
    raise LookupError(f"演示数据中没有{'、'.join(statuses)}的案件")


def show_case(window, case_id: int) -> None:
    window.open_case(case_id)
    wait_until(lambda: window.detail.detail is not None and window.detail.detail.id == case_id and not window.runner.busy)


def escalate_in_window(window, reason: str, receiver: bool = False) -> None:
    """上报 through the action bar's dialog, as a user would: type the reason, maybe pick the receiver."""
    panel = window.detail
    level = panel.detail.level
    panel.run_action("escalate")
    dialog = panel.case_actions.dialog
    wait_until(lambda: dialog.receivers() != () or "没有" in dialog.status_label.text())
    dialog.reason_edit.setPlainText(reason)
    if receiver:
        candidate = next((c for c in dialog.receivers() if not c.recusal), None)
        if candidate is not None:
            dialog.pick(candidate)
            wait_until(lambda: dialog.ok_button.isEnabled())
    dialog.submit()
    wait_until(lambda: panel.detail.level != level and not window.runner.busy)


def shoot_session_dialog(window, desk, out_dir: Path) -> Path:
    """新增调解记录 on a mediating case with a team: its mediators and parties ticked, the place still missing."""
    from laopan.services.cases import case_detail
    from ui.cases.sessions_tab import SessionDialog

    case_id, _ = find_case(desk, statuses=("mediating",))
    with desk.reading() as session:
        detail = case_detail(session, actor=desk.actor, case_id=case_id)
    dialog = SessionDialog(detail, now=desk.actor.clock.now(), parent=window)
    dialog.show()
    dialog.participants_edit.setText("楼道长陈国强")
    dialog.submit()  # 调解地点: 不能为空
    settle()
    path = out_dir / "session-dialog.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def take_workflow(window, desk, out_dir: Path) -> list[Path]:
    from laopan.models.enums import MediatorRank, MediatorUnit
    from laopan.services.cases import case_detail
    from laopan.services.mediators import add_mediator
    from ui.cases.detail import TAB_HISTORY

    saved: list[Path] = []
    window.resize(*SIZES[0])
    window.show_page(window.workbench)
    wait_until(lambda: window.workbench.data is not None and not window.runner.busy)
    settle()
    path = out_dir / "workbench.png"
    window.grab().save(str(path))
    saved.append(path)

    escalated, _ = find_case(desk, statuses=("mediating", "accepted", "registered"), level="grid")
    case_id = escalated
    show_case(window, case_id)
    escalate_in_window(window, "双方对赔偿数额分歧大，网格调解未果，需社区协调")
    escalate_in_window(window, "涉及物业公司和多户业主，需街道调解中心协调", receiver=True)
    window.splitter.setSizes([190, 470])
    window.detail.tabs.setCurrentIndex(TAB_HISTORY)
    settle()
    path = out_dir / "case-history.png"
    window.grab().save(str(path))
    saved.append(path)

    case_id, building = find_case(desk, statuses=("registered", "accepted", "mediating"), need_building=True, besides=escalated)
    with desk.session() as session:
        detail = case_detail(session, actor=desk.actor, case_id=case_id)
        add_mediator(session, actor=desk.actor, name="潘同楼", rank=MediatorRank.SENIOR, unit=MediatorUnit.COMMUNITY,
                     community=detail.community, address=f"宁波市鄞州区东柳街道{building}9单元902室",
                     specialties=(detail.dispute_type,))
    show_case(window, case_id)
    window.detail.run_action("assign")
    dialog = window.detail.case_actions.dialog
    wait_until(lambda: dialog.candidates() != ())
    row = next(i for i, c in enumerate(dialog.candidates()) if c.recusal)
    dialog.view.selectRow(row)
    wait_until(lambda: dialog.recusal.isVisible())
    settle()
    path = out_dir / "assignment-dialog.png"
    dialog.grab().save(str(path))
    saved.append(path)
    dialog.reject()

    page = window.mediators_page
    window.show_page(page)
    wait_until(lambda: page.registry is not None and not window.runner.busy)
    page.pairings_view.selectRow(0)
    wait_until(lambda: page.record_model.rowCount() > 0 and not window.runner.busy)
    page.record_view.selectRow(0)
    settle()
    path = out_dir / "mediators.png"
    window.grab().save(str(path))
    saved.append(path)
    return saved


def take_login(out_dir: Path) -> list[Path]:
    """The login dialog (issue 11) as a wrong password leaves it: the generic sentence, the password cleared."""
    from laopan.models.enums import DEFAULT_COMMITTEE
    from laopan.services.login import WRONG, LoginFailed
    from ui.shell.app import make_application
    from ui.shell.login import LoginDialog

    make_application([])

    def refuse(_login: str, _password: str):
        raise LoginFailed(WRONG)

    dialog = LoginDialog(refuse, committee=DEFAULT_COMMITTEE, login="admin")
    dialog.show()
    dialog.password_edit.setText("not-the-password")
    dialog.buttons.accepted.emit()
    settle()
    path = out_dir / "login.png"
    dialog.grab().save(str(path))
    dialog.close()
    return [path]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir = Path(argv[0] if argv else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    from tools.screenshots_casefile import take_casefile_documents

    for path in [*take_login(out_dir), *take_documents(out_dir), *take_agreement_pages(out_dir), *take_case_documents(out_dir),
                 *take_casefile_documents(out_dir), *take(out_dir)]:
        print(path)
    return 0


def shoot_monthly_report(desk, out_dir: Path, scale: float = 100 / 72) -> Path:
    """The 司法所 monthly report of the demo's last full month: page 1 of its PDF (A4 landscape)."""
    import pypdfium2

    from laopan.documents import render_pdf
    from laopan.services.reports import monthly_document, monthly_report
    from laopan.services.statistics import month

    today = desk.actor.today("Asia/Shanghai")
    with desk.reading() as session:
        report = monthly_report(session, actor=desk.actor, when=month(today.year, today.month).previous_month(), reviewer="王主任")
    pdf = pypdfium2.PdfDocument(render_pdf(monthly_document(report)))
    try:
        image = pdf[0].render(scale=scale).to_pil()
    finally:
        pdf.close()
    path = out_dir / "monthly-report.png"
    image.save(path)
    return path


def take_documents(out_dir: Path, scale: float = 100 / 72) -> list[Path]:
    """Page images of printed documents, from the renderer-test samples (no database needed)."""
    import pypdfium2

    from laopan.documents import render_pdf
    from laopan.documents.oral import OralParty, OralRegister, build_oral_register
    from tests.helpers.documents import agreement_like

    oral = OralRegister(
        committee="东柳街道人民调解委员会",
        parties=(OralParty("申请人", "张三", "男", "汉族", "46岁", "330212198001010015", "个体经营",
                           "浙江省宁波市鄞州区东柳街道安居小区1幢201室", "13812340001"),
                 OralParty("被申请人", "李四", "男", "汉族", "52岁", phone="13812340002")),
        facts="双方系上下楼邻居。2026年11月，被申请人家空调外机滴水落在申请人阳台，双方发生争执。",
        clauses=("被申请人于2026年12月10日前为空调外机加装接水管。", "申请人不再就此事向被申请人主张其他权利。"),
        performance="被申请人自行加装接水管，于2026年12月10日前完成；社区网格员回访确认。",
        mediators=("潘国强", "赵小潘"), registrar="孙记", registered_on=dt.date(2026, 12, 4),
    )
    saved = []
    for name, document in (("agreement-draft-p1.png", agreement_like(draft=True)),
                           ("oral-register.png", build_oral_register(oral))):
        pdf = pypdfium2.PdfDocument(render_pdf(document))
        try:
            image = pdf[0].render(scale=scale).to_pil()
        finally:
            pdf.close()
        path = out_dir / name
        image.save(path)
        saved.append(path)
    return saved


def take_agreement_pages(out_dir: Path, scale: float = 100 / 72) -> list[Path]:
    """First pages of agreements printed from a case through the services, in a small database of their own: a
    minor whose father signs, against a company with its legal representative and an agent
    (agreement-minor-p1.png, and p2 with the instalments and a signature line for each signer), and that agreement once a correction after the guardian's signature superseded it
    (agreement-superseded-p1.png: 已作废 across the page, naming the agreement that replaced it)."""
    import dataclasses

    import pypdfium2

    from laopan import paths
    from laopan.clock import FixedClock
    from laopan.desk import open_desk
    from laopan.inputs import AgreementDraft, ClauseSpec, Instalment
    from laopan.services import agreements
    from laopan.services.committee import init_committee
    from laopan.services.intake import register_case
    from laopan.storage import make_engine, session_scope
    from laopan.storage.migrate import upgrade
    from laopan.validation import _CREDIT_CHARS, _CREDIT_WEIGHTS, _id_check_char

    def resident(first17: str) -> str:
        return first17 + _id_check_char(first17)

    def credit(first17: str) -> str:
        total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
        return first17 + _CREDIT_CHARS[(31 - total % 31) % 31]

    home = "浙江省宁波市鄞州区东柳街道华光城12幢2单元301室"
    case = {
        "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
        "summary": "王小明在小区内骑自行车时被物业公司未设警示的施工围挡绊倒受伤。", "status": "mediating",
        "mediators": [{"name": "潘国强"}, {"name": "孙记", "role": "recorder"}],
        "parties": [
            {"role": "applicant", "name": "王小明", "id_number": resident("33021220130501001"), "address": home,
             "agent": {"name": "王建华", "relation": "父亲", "kind": "legal", "id_number": resident("33021219800101003"),
                       "address": home, "phone": "13900001111"}},
            {"role": "respondent", "kind": "organization", "name": "宁波安居物业服务有限公司", "org_kind": "company",
             "credit_code": credit("91330212MA2AB1C3X"), "representative": "李建国",
             "address": "宁波市鄞州区东柳街道安居路1号", "phone": "0574-87654321",
             "agent": {"name": "赵明", "relation": "公司员工", "kind": "entrusted", "scope": "special", "phone": "13700001111"}},
        ],
    }
    draft = AgreementDraft(
        facts="2026年11月10日，王小明在华光城小区内骑自行车时，被被申请人未设警示标志的施工围挡绊倒，左臂骨折。",
        matters="医疗费、护理费等损失的赔偿数额及支付方式。",
        responsibilities="被申请人未在施工围挡处设置警示标志，负主要责任；申请人之法定代理人疏于看护，负次要责任。",
        clauses=(
            ClauseSpec(kind="instalments", payer="被申请人宁波安居物业服务有限公司", payee="申请人王小明", method="银行转账",
                       instalments=(Instalment(dt.date(2026, 12, 10), "3000.00"), Instalment(dt.date(2027, 1, 10), "3000.00"),
                                    Instalment(dt.date(2027, 2, 10), "3000.00"))),
            ClauseSpec(kind="text", text="被申请人于2026年12月5日前在小区内所有施工围挡处设置警示标志。"),
            ClauseSpec(kind="text", text="本协议履行完毕后，双方就本纠纷再无其他争议。"),
        ),
        performance_method="银行转账", performance_place="东柳街道人民调解委员会", performance_deadline=dt.date(2027, 2, 10),
        signed_on=dt.date(2026, 11, 27),
    )
    saved = []

    def pages(data: bytes, *names: str) -> None:
        pdf = pypdfium2.PdfDocument(data)
        try:
            for index, name in enumerate(names):
                pdf[index].render(scale=scale).to_pil().save(out_dir / name)
                saved.append(out_dir / name)
        finally:
            pdf.close()

    with tempfile.TemporaryDirectory(prefix="laopan-agreements-") as tmp:
        paths.configure(Path(tmp))
        clock = FixedClock(CLOCK_AT)
        engine = make_engine(f"sqlite:///{Path(tmp) / 'laopan.db'}")
        try:
            upgrade(engine)
            with session_scope(engine) as session:
                init_committee(session, admin_name="潘明杰", admin_password=DEMO_PASSWORD, clock=clock)
            desk = open_desk(engine=engine, login="admin", password=DEMO_PASSWORD, clock=clock)
            with desk.session() as session:
                case_id = register_case(session, actor=desk.actor, data=case).id
                agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=draft, expected_version=None)
                state = agreements.finalise(session, actor=desk.actor, case_id=case_id, expected_version=None)
                minor = next(s.party_id for s in state.signatures if s.signer_kind == "party")
                agreements.record_signature(session, actor=desk.actor, case_id=case_id, signer_kind="party", party_id=minor,
                                            signed_on=dt.date(2026, 11, 27), signer_name="王建华")
                pages(agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf"),
                      "agreement-minor-p1.png", "agreement-minor-p2.png")  # p2: the clauses and who signs
                corrected = dataclasses.replace(draft, clauses=(
                    dataclasses.replace(draft.clauses[0], instalments=(Instalment(dt.date(2026, 12, 10), "4000.00"),
                                                                       Instalment(dt.date(2027, 1, 10), "4000.00"))),
                    *draft.clauses[1:]))
                agreements.revise(session, actor=desk.actor, case_id=case_id, expected_version=None, draft=corrected,
                                  reason="赔偿数额更正为8000元，分两期支付")
                pages(agreements.render_agreement(session, actor=desk.actor, case_id=case_id, fmt="pdf",
                                                  number=state.number), "agreement-superseded-p1.png")
        finally:
            engine.dispose()
            paths.configure(None)
    return saved


def take_agreement_tab(window, desk, out_dir: Path) -> Path:
    """协议 at 1366×768: a mediating case's agreement drafted through the tab (with a 支付条款), checked, previewed."""
    from laopan.services.cases import CaseFilter, case_detail, list_cases
    from ui.cases.detail import TAB_AGREEMENT

    def complete(detail) -> bool:
        return detail.agreement is None and len(detail.parties) == 2 and all(
            (p.id_number or p.credit_code) and (p.address or p.phone) for p in detail.parties)

    with desk.reading() as session:
        rows = [row for status in ("mediating", "accepted")
                for row in list_cases(session, actor=desk.actor, filters=CaseFilter(status=status), limit=200)]
        case_id = next(r.id for r in rows if complete(case_detail(session, actor=desk.actor, case_id=r.id)))
    window.resize(*SIZES[0])
    window.open_case(case_id)
    wait_until(lambda: window.detail.detail is not None and window.detail.detail.id == case_id)
    tab = window.detail.agreement_tab
    sizes, current = window.splitter.sizes(), window.detail.tabs.currentIndex()
    window.detail.tabs.setCurrentIndex(TAB_AGREEMENT)
    window.splitter.setSizes([110, 560])  # the detail dragged up, as a supervisor drafting would
    tab.set_case(case_id)
    wait_until(lambda: tab.draft_button.isVisible())
    tab.draft_button.click()
    editor = tab.editor
    editor.fields["facts"].editor.setPlainText(
        "2026年10月起，被申请人家卫生间防水层老化渗漏，致申请人家厨房吊顶霉变、局部脱落。双方多次协商未果。")
    editor.fields["matters"].editor.setPlainText("吊顶维修费用的承担及防水层的修复。")
    editor.fields["responsibilities"].editor.setPlainText("被申请人未及时维修防水层，应承担主要责任。")
    clause = editor.clauses[0]
    clause.kind_combo.setCurrentIndex(clause.kind_combo.findData("payment"))
    clause.amount_edit.setText("8000")
    clause.deadline_edit.set_value(dt.date(2026, 12, 10))
    editor.add_clause("text").text_edit.setPlainText("被申请人于2026年12月5日前修复卫生间防水层，费用自理。")
    editor.method_combo.setCurrentText("银行转账")
    editor.fields["performance_deadline"].editor.set_value(dt.date(2026, 12, 10))
    tab.save()
    wait_until(lambda: tab.state is not None and not tab.saving and tab.preview.page_count > 0)
    tab.split.setSizes([760, 560])
    settle()
    wait_until(lambda: not window.runner.busy)
    settle()
    path = out_dir / "agreement-tab.png"
    window.grab().save(str(path))
    window.detail.tabs.setCurrentIndex(current)
    window.splitter.setSizes(sizes)
    settle()
    return path


def shoot_liaison_desk(window, desk, out_dir: Path) -> Path:
    """The 警调 page at 1366×768: the demo's referrals plus one registered 2 h ago through the quick intake form."""
    from ui.common.fields import select_code
    from ui.liaison.page import LiaisonDesk
    from ui.liaison.dialogs import set_edited_instant

    page = LiaisonDesk(window.runner, desk.actor, window.info)
    page.setWindowTitle("警调")
    page.resize(*SIZES[0])
    page.show()
    wait_until(lambda: page.liaison is not None and not page.loading and page.model.rowCount() > 0)
    dialog = page.open_intake()
    assert dialog is not None
    fields = dialog.referral_fields
    fields["incident_no"].editor.setText("JQ202611270031")
    set_edited_instant(fields["referred_at"].editor, CLOCK_AT - dt.timedelta(hours=2), dialog._zone)
    fields["call_time"].editor.set_instant(CLOCK_AT - dt.timedelta(hours=2, minutes=25))  # 07:05
    for key, text in (("officer", "李卫国"), ("badge_no", "023451"), ("officer_phone", "13600003333"), ("approver", "值班所领导")):
        fields[key].editor.setText(text)
    select_code(fields["nature"].editor, "dispute_call")
    dialog.risk_boxes["criminal_risk"].setChecked(True)
    dialog.consent_box.setChecked(True)
    select_code(dialog.fields["community"].editor, "锦苑")
    select_code(dialog.fields["grid"].editor, "锦苑第2网格")
    dialog.fields["summary"].editor.setPlainText("两户因车位发生争执并推搡，民警出警后移交调解。")
    for party, name in zip(dialog.parties, ("赵磊", "钱芳"), strict=True):
        party.fields["name"].editor.setText(name)
    registered: list = []
    dialog.case_registered.connect(registered.append)
    dialog.save()
    wait_until(lambda: bool(registered) and page.current_case_id() == registered[0].id and not window.runner.busy)
    settle()
    path = out_dir / "liaison-desk.png"
    page.grab().save(str(path))
    page.close()
    return path


def shoot_backup(window, out_dir: Path) -> Path:
    """备份 at 1366×768 after two backups made with 立即备份 (the daily one of the window's start listed too)."""
    page = window.backup_page
    window.resize(*SIZES[0])
    window.show_page(page)
    for _ in range(2):
        wait_until(lambda: page.backup_button.isEnabled() and not window.runner.busy)
        page.backup_button.click()
        window.desk.actor.clock.advance(minutes=47)  # the fixed clock: backups are named by the time
    wait_until(lambda: page.backup_button.isEnabled() and not window.runner.busy and page.table.rowCount() >= 2)
    settle()
    path = out_dir / "backup.png"
    window.grab().save(str(path))
    return path


def shoot_audit(window, out_dir: Path) -> Path:
    """审计日志 at 1366×768, after the shots above have revealed, edited and exported."""
    page = window.audit_page
    window.resize(*SIZES[0])
    window.show_page(page)
    wait_until(lambda: page.table.rowCount() > 0 and not window.runner.busy)
    settle()
    path = out_dir / "audit.png"
    window.grab().save(str(path))
    return path


def shoot_statistics(window, out_dir: Path) -> Path:
    """统计 at 1366×768: this month's figures and the year's charts."""
    page = window.statistics_page
    window.resize(*SIZES[0])
    window.show_page(page)
    wait_until(lambda: page.data is not None and not window.runner.busy)
    settle()
    path = out_dir / "statistics.png"
    window.grab().save(str(path))
    return path


def write_old_ledger(path: Path) -> Path:
    """A 2025 台账 as centres keep it: a title row, dates and amounts typed by hand, three rows with mistakes."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "2025年台账"
    sheet.append(["东柳街道人民调解委员会 2025年纠纷排查调处台账"])
    sheet.append(["序号", "受理日期", "申请人", "申请人电话", "被申请人", "纠纷类型", "社区", "纠纷简要情况", "调解结果",
                  "协议金额（元）", "调解员"])
    kinds = ("邻里纠纷", "婚姻家庭", "物业", "劳资纠纷", "交通事故")
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
    for n in range(1, 61):
        sheet.append([n, f"2025.{n % 12 + 1}.{n % 27 + 1}", f"{surnames[n % 16]}建国", f"1385{n:07d}",
                      f"{surnames[(n + 5) % 16]}秀兰", kinds[n % 5], ("安居", "华光城", "锦苑")[n % 3],
                      f"双方因{('漏水', '噪音', '停车', '工资', '赔偿')[n % 5]}问题发生争执。", ("调解成功", "调解中")[n % 2],
                      "1.5万" if n % 4 == 0 else None, "潘明杰"])
    sheet["F13"] = "打架斗殴"        # no such dispute type
    sheet["B28"] = "2025年13月5日"   # no such month
    sheet["D45"] = "1385000"         # too short for a phone
    book.save(path)
    return path


def shoot_ledger_import(window, desk, tmp: Path, out_dir: Path) -> Path:
    """导入台账 at its dry-run step: an old ledger's three bad rows listed with their Excel row and column."""
    from ui.cases.ledger_import_dialog import LedgerImportDialog

    dialog = LedgerImportDialog(window.runner, desk.actor, window)
    dialog.show()
    dialog.open_file(write_old_ledger(tmp / "东柳街道2025年调解台账.xlsx"))
    wait_until(lambda: dialog.table is not None)
    dialog._on_next_button_clicked()
    planned: list = []
    dialog.planned.connect(planned.append)
    dialog._on_next_button_clicked()
    wait_until(lambda: bool(planned))
    settle()
    path = out_dir / "ledger-import.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def shoot_liaison_start(desk, out_dir: Path) -> Path:
    """What a police liaison sees on opening the window: the 警调 page, the status bar counting referral deadlines."""
    import dataclasses

    from laopan.models.enums import Role
    from laopan.services.users import add_user
    from laopan.desk import open_desk
    from ui.shell.main_window import MainWindow

    with desk.session() as session:
        add_user(session, actor=desk.actor, login="li", display_name="李联络", role=Role.POLICE_LIAISON, password=DEMO_PASSWORD)
    liaison = dataclasses.replace(desk, actor=open_desk(engine=desk.engine, login="li", password=DEMO_PASSWORD, clock=desk.actor.clock).actor)
    window = MainWindow(liaison)
    window.database_label.setText("SQLite ~/.local/share/laopan/laopan.db")
    window.resize(*SIZES[0])
    window.show()
    page = window.liaison_desk
    wait_until(lambda: window.info is not None and page.liaison is not None and not page.loading
               and page.model.rowCount() > 0 and window.overdue_label.text() != "" and not window.runner.busy)
    settle()
    path = out_dir / "liaison-start.png"
    window.grab().save(str(path))
    window.close()
    return path


def shoot_party_editor(window, out_dir: Path) -> Path:
    """编辑当事人 on the shown case's first party, as 去补全 opens it: masked values left out, the ID focused;
    then 编辑案件 (case-editor.png, looked at, not listed)."""
    detail = window.detail.detail
    window.detail.corrections.edit_party(detail, 0, focus="id_number")
    dialog = window.detail.corrections.dialog
    wait_until(dialog.isVisible)
    settle()
    path = out_dir / "party-editor.png"
    dialog.grab().save(str(path))
    dialog.done(0)  # closed without the discard question
    settle()
    window.detail.corrections.edit_case(detail)
    wait_until(lambda: window.detail.corrections.dialog is not None and window.detail.corrections.dialog.isVisible())
    settle()
    window.detail.corrections.dialog.grab().save(str(out_dir / "case-editor.png"))
    window.detail.corrections.dialog.done(0)
    settle()
    return path


def shoot_repeat_parties(window, desk, out_dir: Path) -> Path:
    """The detail of a case whose people have other records (the repeat-party line, its list opened)."""
    from laopan.services.cases import CaseFilter, list_cases
    from laopan.services.people import repeat_parties

    with desk.reading() as session:
        rows = list_cases(session, actor=desk.actor, filters=CaseFilter(), limit=400)
        found = [(r.id, repeat_parties(session, actor=desk.actor, case_id=r.id)) for r in rows]
    case_id = max(found, key=lambda pair: (pair[1].risky > 0, len(pair[1].cases)))[0]
    sizes = window.splitter.sizes()
    show_case(window, case_id)
    window.detail.tabs.setCurrentIndex(0)
    bar = window.detail.repeat_bar
    bar.summary_label.linkActivated.emit("show")
    settle()
    path = out_dir / "repeat-parties.png"
    window.detail.grab().save(str(path))
    window.splitter.setSizes(sizes)
    return path


def take_case_documents(out_dir: Path, scale: float = 100 / 72) -> list[Path]:
    """Page images of the case file's forms (issue 14): the 警调移交反馈单 (police-feedback.png), the 卷宗封面 and
    its 卷内目录 side by side (case-cover.png) and a 调解笔录 (session-record.png), from sample inputs."""
    from laopan.documents.forms.cover import ContentsEntry, Cover, build_cover
    from laopan.documents.forms.police_feedback import PoliceFeedback, build_police_feedback
    from laopan.documents.forms.record import SessionRecord, build_session_record

    tz = dt.timezone(dt.timedelta(hours=8))
    committee = "东柳街道人民调解委员会"
    slip = PoliceFeedback(
        committee=committee, intake_no="DL2026-00087", station="东柳派出所", incident_no="JQ202611200001",
        call_time=dt.datetime(2026, 11, 20, 8, 12, tzinfo=tz), officer="陈警官", badge_no="012345",
        referred_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=tz), parties="张伟、李秀英", nature="纠纷类警情",
        received_at=dt.datetime(2026, 11, 20, 9, 40, tzinfo=tz), received_by="李联络", mediators=("潘国强", "赵小潘"),
        first_contact_at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=tz), result="调解成功",
        agreement_no="（2026）东柳人调字第087号", performance="未到期",
        feedback_at=dt.datetime(2026, 11, 26, 10, 0, tzinfo=tz),
        feedback_content="双方达成书面协议，被申请人于2026年12月10日前支付维修费8000元。", liaison="李联络",
    )
    contents = (
        ContentsEntry("卷宗封面", 1), ContentsEntry("卷内目录", 1), ContentsEntry("人民调解申请书", 2),
        ContentsEntry("人民调解当事人权利义务告知书", 2), ContentsEntry("当事人身份证明", 2), ContentsEntry("授权委托书", 1),
        ContentsEntry("人民调解记录（第1次）", 2), ContentsEntry("人民调解记录（第2次）", 1),
        ContentsEntry("人民调解协议书", 3, "（2026）东柳人调字第087号"), ContentsEntry("警调移交反馈单", 1), ContentsEntry("封底", 1),
    )
    cover = Cover(
        committee=committee, intake_no="DL2026-00087", dispute="邻里纠纷",
        parties=("申请人：张伟", "被申请人：李秀英"), mediators=("潘国强", "赵小潘"), received_on=dt.date(2026, 11, 20),
        closed_on=dt.date(2026, 11, 30), closing="调解成功（书面协议）", contents=contents,
        agreement_no="（2026）东柳人调字第087号", filed_by="孙记",
    )
    record = SessionRecord(
        committee=committee, intake_no="DL2026-00087", sequence=1, held_at=dt.datetime(2026, 11, 25, 14, 30, tzinfo=tz),
        place="东柳街道人民调解室", mediators=("潘国强", "赵小潘"), recorder="孙记",
        parties_present=("张伟", "张强（委托代理人）", "李秀英"), participants=("华光城物业 王经理",),
        statements="申请人张伟称：2026年9月起楼上卫生间漏水，致其家吊顶受损，要求被申请人修复防水层并赔偿维修费8000元。\n"
                   "被申请人李秀英称：同意修复防水层，但认为维修费过高，只愿承担5000元。\n"
                   "物业王经理称：曾两次上门查看，漏水点确在楼上卫生间地面。\n"
                   "调解员向双方说明《民法典》相邻关系的规定，并分别做工作。",
        result="双方同意由被申请人于2026年12月5日前修复防水层，赔偿数额待取得维修报价后再次调解。",
        dispute="张伟与李秀英邻里纠纷",
    )

    from tools.page_sheets import save_page_sheet

    return [save_page_sheet(document, out_dir / name, pages=count, scale=scale)
            for name, document, count in (("police-feedback.png", build_police_feedback(slip), 1),
                                          ("case-cover.png", build_cover(cover), 2),
                                          ("session-record.png", build_session_record(record), 1))]


if __name__ == "__main__":
    sys.exit(main())
