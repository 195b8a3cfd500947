"""The monthly report to the 司法所 (Excel, PDF, text) and the mediators' workload and subsidy."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from laopan.cli.main import main
from laopan.models import AuditEntry
from laopan.services import reports as R
from laopan.services import statistics as S
from laopan.services.intake import import_cases
from laopan.services.workload import update_subsidy_rules, workload
from laopan.settings import SubsidyRules
from tests.helpers.scenarios import case_data, mediator
from tests.helpers.statistics import MONTH, build_demo, sql


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    yield from build_demo(tmp_path_factory)


def report_of(desk, when=MONTH, **options) -> R.MonthlyReport:
    with desk.reading() as session:
        return R.monthly_report(session, actor=desk.actor, when=when, **options)


def test_monthly_rows_are_every_dispute_type_with_the_counts_plain_sql_gives(demo):
    desk, engine = demo
    report = report_of(desk)
    expected = {label: (received, settled) for label, received, settled in sql(engine, """
        SELECT t.label, count(c.id),
               coalesce(sum(CASE WHEN c.status = 'settled' OR c.status_before_close = 'settled' THEN 1 ELSE 0 END), 0)
        FROM dispute_type t LEFT JOIN mediation_case c
             ON c.dispute_type_id = t.id AND c.received_at >= :start AND c.received_at < :end
        GROUP BY t.label""")}
    assert {row.label: (row.figures.received, row.figures.settled) for row in report.rows} == expected
    table = report.table_rows()
    assert table[0][:5] == ("纠纷类型", "登记", "受理", "调解成功", "成功率")
    assert table[-1][0] == "合计" and int(table[-1][1]) == sum(received for received, _ in expected.values())


def test_monthly_xlsx_has_the_header_real_numbers_and_print_setup(demo, tmp_path):
    desk, engine = demo
    path = tmp_path / "m.xlsx"
    with desk.session() as session:
        report = R.monthly_report(session, actor=desk.actor, when=MONTH, reviewer="王主任")
        R.export_monthly(session, actor=desk.actor, report=report, xlsx=path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "东柳街道人民调解委员会2026年10月人民调解工作月报表"
    assert "统计期间：2026年10月" in sheet["A2"].value
    assert "审核人：王主任" in sheet["A3"].value and "填报日期：2026年11月27日" in sheet["A3"].value
    assert [cell.value for cell in sheet[4]][:4] == ["纠纷类型", "登记", "受理", "调解成功"]
    assert sheet["A5"].value == "婚姻家庭"
    total_row = next(row for row in sheet.iter_rows(min_row=5) if row[0].value == "合计")
    ((received,),) = sql(engine, "SELECT count(*) FROM mediation_case c WHERE c.received_at >= :start AND c.received_at < :end")
    assert total_row[1].value == received and isinstance(total_row[1].value, int)
    assert total_row[4].number_format == "0.0%" and isinstance(total_row[4].value, float)
    assert total_row[9].number_format == "#,##0.00"
    assert sheet.freeze_panes == "B5"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    with desk.reading() as session:
        audited = session.execute(select(AuditEntry.changes).where(AuditEntry.action == "report.monthly")).scalars().all()
    assert audited and audited[-1]["file"] == str(path)


def test_monthly_pdf_reads_back_landscape_with_embedded_fonts(demo, tmp_path):
    desk, _ = demo
    path = tmp_path / "m.pdf"
    with desk.session() as session:
        report = R.monthly_report(session, actor=desk.actor, when=MONTH)
        R.export_monthly(session, actor=desk.actor, report=report, pdf=path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    words = "".join(p.extract_text() for p in reader.pages)
    for expected in ("人民调解工作月报表", "道路交通事故", "合计", "填报日期"):
        assert expected in words
    for p in reader.pages:
        for font in p["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font.get_object() else font.get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_an_empty_month_gives_the_zero_report(desk, tmp_path):
    report = report_of(desk, S.month(2019, 2))
    assert report.period.label == "2019年2月"
    assert len(report.rows) == 18 and report.totals == S.Figures()
    assert report.table_rows()[-1][:5] == ("合计", "0", "0", "0", "—")
    with desk.session() as session:
        R.export_monthly(session, actor=desk.actor, report=report, xlsx=tmp_path / "z.xlsx", pdf=tmp_path / "z.pdf")
    sheet = load_workbook(tmp_path / "z.xlsx").active
    total_row = next(row for row in sheet.iter_rows(min_row=5) if row[0].value == "合计")
    assert total_row[1].value == 0 and total_row[4].value is None


def test_cli_prints_the_summary_and_writes_files(db_url, tmp_path, capsys, clock):
    assert main(["report", "monthly", "--month", "2026-11", "--database", db_url, "--as", "admin"], clock=clock) == 0
    out = capsys.readouterr().out
    assert "2026年11月 人民调解工作月报表" in out and "\n合计\t0\t0\t0\t—" in out
    target = tmp_path / "r.xlsx"
    assert main(["report", "monthly", "--month", "2026-11", "--by", "community", "--xlsx", str(target), "--database", db_url, "--as", "admin"], clock=clock) == 0
    assert load_workbook(target).active["A4"].value == "社区"
    assert main(["report", "monthly", "--month", "2026-13", "--database", db_url, "--as", "admin"], clock=clock) == 2
    assert "月份" in capsys.readouterr().err


# ---------------------------------------------------------------- workload and subsidy


def scenario(desk) -> None:
    """王 leads a simple and an ordinary settled case and assists one; 李 leads a major settled case, a major one
    not settled but kept from a group petition, and an open one with a session in November."""
    mediator(desk, "王老潘")
    mediator(desk, "李老潘")
    oral = {"kind": "oral", "clauses": ["双方和解。"], "signed_on": "2026-11-22"}
    cases = [
        case_data(status="settled", agreement=oral, mediators=[{"name": "王老潘", "role": "lead"}]),
        case_data(dispute_type="housing_homestead", status="settled", agreement=oral, mediators=[{"name": "王老潘"}]),
        case_data(dispute_type="damages", amount_yuan="150000", status="settled", agreement=oral, mediators=[{"name": "李老潘"}]),
        case_data(status="terminated", termination_reason="party_refused", prevented_group_petition=True,
                  mediators=[{"name": "李老潘"}]),
        case_data(dispute_type="labour", status="mediating",
                  mediators=[{"name": "李老潘"}, {"name": "王老潘", "role": "assistant"}],
                  sessions=[{"held_at": "2026-11-21T09:00:00+08:00", "place": "调解室", "mediators": ["李老潘", "王老潘"]}]),
    ]
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document={"format": "laopan.case/1", "cases": cases})
        assert len(report.registered) == 5


def test_workload_counts_roles_sessions_difficulty_and_subsidy(desk):
    scenario(desk)
    with desk.reading() as session:
        report = workload(session, actor=desk.actor, when=S.month(2026, 11))
    rows = {row.name: row for row in report.rows}
    wang, li = rows["王老潘"], rows["李老潘"]
    assert (wang.led, wang.assisted, wang.sessions, wang.simple, wang.ordinary, wang.major, wang.subsidy_yuan) == (2, 1, 1, 1, 1, 0, 150)
    assert (li.led, li.assisted, li.sessions, li.major, li.contained, li.subsidy_yuan) == (3, 0, 1, 1, 1, 300)
    assert report.total[-1] == 450


def test_subsidy_rates_are_the_committees_to_edit(desk, tmp_path):
    scenario(desk)
    with desk.session() as session:
        update_subsidy_rules(session, actor=desk.actor, rules=SubsidyRules(simple_yuan=60, major_types=("damages",)))
    with desk.session() as session:
        report = workload(session, actor=desk.actor, when=S.month(2026, 11))
        from laopan.services.workload import export_workload

        export_workload(session, actor=desk.actor, report=report, xlsx=tmp_path / "w.xlsx")
    assert {row.name: row.subsidy_yuan for row in report.rows} == {"王老潘": 160, "李老潘": 300}
    sheet = load_workbook(tmp_path / "w.xlsx").active
    assert [cell.value for cell in sheet[3]][-1] == "补贴（元）"


@pytest.mark.parametrize("month", ["2026-11"])
def test_workload_cli_prints_a_table(db_url, capsys, clock, month):
    assert main(["report", "workload", "--month", month, "--database", db_url, "--as", "admin"], clock=clock) == 0
    out = capsys.readouterr().out
    assert "调解员\t类别\t主持" in out and "合计" in out
