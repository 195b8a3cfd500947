"""Regenerate docs/screenshots/ from a demo database: `python -m tools.screenshots docs/screenshots`.

Builds a fresh demo database in a temporary dir (2,000 cases, fixed seed, clock standing at 2026-11-27), opens
the window offscreen and saves PNGs with `QWidget.grab()`: the main window at 1366×768 and 1920×1080 with a
case selected, the detail's 当事人 tab, and the intake dialog showing an ID-number error; then the workflow:
the 工作台 page, a case escalated twice through the escalation dialog with its 历史 tab, and the assignment
dialog showing suggestions and a recusal match (a mediator added, through the service, in a party's building),
and the 调解员 page with a pairing's mentoring record; the 统计 page with its charts.
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
        init_committee(session, admin_name="潘明杰", clock=clock)
    desk = open_desk(engine=engine, login="admin", clock=clock)
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
            saved.append(take_agreement_tab(window, desk, out_dir))
            saved += take_workflow(window, desk, out_dir)
            saved.append(shoot_liaison_desk(window, desk, out_dir))
            saved.append(shoot_statistics(window, out_dir))
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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir = Path(argv[0] if argv else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in take(out_dir):
        print(path)
    return 0


def take_agreement_tab(window, desk, out_dir: Path) -> Path:
    """协议 at 1366×768: a mediating case's agreement drafted through the tab (with a 支付条款), checked, previewed."""
    from laopan.services.cases import CaseFilter, case_detail, list_cases
    from ui.agreements.tab import AgreementTab

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
    tab = getattr(window.detail, "agreement_tab", None)
    added = tab is None
    if added:  # until ui/case_detail.py mounts the tab: the same widget, added here for the picture only
        tab = AgreementTab(window.runner, desk.actor)
        window.detail.tabs.addTab(tab, "协议")
    sizes, current = window.splitter.sizes(), window.detail.tabs.currentIndex()
    window.detail.tabs.setCurrentWidget(tab)
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
    if added:  # leave the window as the next pictures expect it
        tab.set_case(None)
        window.detail.tabs.removeTab(window.detail.tabs.indexOf(tab))
        tab.deleteLater()
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
    fields["call_time"].editor.setText("2026-11-27 07:05")
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


if __name__ == "__main__":
    sys.exit(main())
