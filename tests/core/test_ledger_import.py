"""Importing an Excel 台账 (issue 15 item 5): header guesses, free-text parsing, a dry run that names Excel rows
and columns, all-or-nothing versus valid-only, CSV encodings, and a second import that creates nothing."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from laopan.errors import Refused
from laopan.ledger import parsing as P
from laopan.ledger.importing import import_ledger, plan_import
from laopan.ledger.mapping import guess_mapping, load_mapping
from laopan.ledger.reading import read_table
from laopan.models import Agreement, AuditEntry, Case, Party

from tests.helpers.ledgers import GOOD_ID, HEADERS, ledger_row, make_id, write_xlsx  # noqa: F401


@pytest.fixture
def ledger_200(tmp_path):
    rows = [ledger_row(n) for n in range(1, 201)]
    rows[9][6] = "打架斗殴"           # row 11 (header + 10th data row): unknown dispute type
    rows[49][3] = "330212196501020031"  # row 51: bad ID checksum
    rows[149][1] = "2025年13月5日"       # row 151: no such month
    return write_xlsx(tmp_path / "台账.xlsx", rows)


def plan(session, actor, path, **kw):
    table = read_table(path, **kw)
    return plan_import(session, actor=actor, table=table, mapping=guess_mapping(table))


def cases(session) -> int:
    return session.execute(select(func.count()).select_from(Case)).scalar_one()


def test_headers_are_guessed(ledger_200):
    table = read_table(ledger_200)
    mapping = guess_mapping(table)
    assert {table.headers[i]: code for i, code in mapping.columns.items()} == {
        "受理日期": "received_on", "申请人": "applicant_name", "申请人身份证号": "applicant_id_number",
        "申请人电话": "applicant_phone", "被申请人": "respondent_name", "纠纷类型": "dispute_type", "社区": "community",
        "纠纷简要情况": "summary", "调解结果": "result", "协议金额（元）": "amount", "调解员": "mediator",
        "协议书编号": "agreement_no",
    }


def test_dry_run_names_exactly_the_bad_rows_with_excel_rows_and_columns(session, actor, ledger_200):
    result = plan(session, actor, ledger_200)
    errors = result.errors
    assert sorted({p.row for p in errors}) == [11, 51, 151]
    where = {(p.row, p.column, p.header) for p in errors}
    assert where == {(11, "G", "纠纷类型"), (51, "D", "申请人身份证号"), (151, "B", "受理日期")}
    by_row = {p.row: p for p in errors}
    assert by_row[11].value == "打架斗殴" and "已知类型" in by_row[11].message and "邻里" in by_row[11].message
    assert by_row[51].message == "校验位错误"
    assert "日期不存在" in by_row[151].message
    assert len(result.valid_rows) == 197
    assert cases(session) == 0  # a dry run writes nothing


def test_all_or_nothing_imports_nothing(session, actor, ledger_200):
    result = plan(session, actor, ledger_200)
    with pytest.raises(Refused) as refused:
        import_ledger(session, actor=actor, plan=result)
    assert any(e.field.startswith("第11行 G列") for e in refused.value.errors)
    assert cases(session) == 0


def test_valid_only_imports_197_and_a_second_import_skips_them(desk, ledger_200):
    with desk.session() as session:
        report = import_ledger(session, actor=desk.actor, plan=plan(session, desk.actor, ledger_200), valid_only=True)
    assert len(report.imported) == 197 and report.skipped_invalid == [11, 51, 151]
    with desk.reading() as session:
        assert cases(session) == 197
        assert session.execute(select(func.count()).select_from(Party)).scalar_one() == 394
        registered = session.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "case.register")).scalar_one()
        assert registered == 197
        settled = session.execute(select(Case.status, Case.amount_fen, Case.intake_no).order_by(Case.id)).all()
        assert settled[0].amount_fen == 1_200_000
        numbers = [row.intake_no for row in settled]
        assert len(set(numbers)) == 197
        assert session.execute(select(func.count()).select_from(Agreement).where(Agreement.number.is_not(None))).scalar_one() > 0
    with desk.session() as session:
        again = plan(session, desk.actor, ledger_200)
        assert len(again.duplicates) == 197 and again.valid_rows == []
        report = import_ledger(session, actor=desk.actor, plan=again, valid_only=True)
        assert report.imported == [] and len(report.skipped_duplicates) == 197
    with desk.reading() as session:
        assert cases(session) == 197


def test_title_row_above_the_header_keeps_excel_row_numbers(session, actor, tmp_path):
    rows = [ledger_row(1), ledger_row(2)]
    rows[1][6] = "不知道"
    path = write_xlsx(tmp_path / "t.xlsx", rows, title="东柳街道人民调解台账（2025年）")
    result = plan(session, actor, path)
    assert result.table.header_row == 2
    assert [(p.row, p.column) for p in result.errors] == [(4, "G")]


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 11, 3), dt.date(2026, 11, 3), "2026.11.3", "2026-11-03", "2026/11/3", "2026年11月3日",
    "20261103", 46329, "46329", "2026-11-03 09:30",
])
def test_dates_in_common_forms(value):
    assert P.parse_date(value) == dt.date(2026, 11, 3)


def test_excel_serial_45234():
    assert P.parse_date(45234) == dt.date(2023, 11, 4)


@pytest.mark.parametrize(("text", "code"), [
    ("邻里纠纷", "neighbour"), ("婚姻家庭纠纷", "marriage_family"), ("家庭纠纷", "marriage_family"), ("交通事故", "traffic"),
    ("物业纠纷", "property_management"), ("劳动争议", "labour"), ("劳资纠纷", "labour"), ("其他", "other"), ("neighbour", "neighbour"),
])
def test_dispute_type_synonyms(text, code):
    labels = P.dispute_labels({}, {})
    assert P.dispute_type_code(text, labels) == code


@pytest.mark.parametrize(("value", "amount"), [("12000", "12000"), ("1.2万", "12000"), ("12,000.00元", "12000"),
                                               ("￥8000", "8000"), (6500, "6500"), ("人民币3000元整", "3000")])
def test_amounts(value, amount):
    assert P.parse_amount(value) == amount


@pytest.mark.parametrize(("text", "status"), [("成功", "settled"), ("调解成功", "settled"), ("达成协议", "settled"),
                                              ("不成功", "terminated"), ("终止", "terminated"), ("在办", "mediating"), ("调解中", "mediating")])
def test_results(text, status):
    assert P.result_status(text) == status


def test_fifteen_digit_id_is_a_warning_and_the_row_imports(session, actor, tmp_path):
    row = ledger_row(1)
    row[3] = "330212650102003"
    result = plan(session, actor, write_xlsx(tmp_path / "t.xlsx", [row]))
    assert result.errors == []
    assert [(p.row, p.column, p.warning) for p in result.problems if "15位" in p.message] == [(2, "D", True)]


def _csv_text(rows) -> str:
    lines = [",".join(["受理日期", "当事人", "纠纷类型", "社区", "简要案情", "调解结果"])]
    lines += [",".join(r) for r in rows]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(("encoding", "label"), [("gbk", "GBK"), ("utf-8-sig", "UTF-8（带 BOM）"), ("utf-8", "UTF-8")])
def test_csv_encodings(session, actor, tmp_path, encoding, label):
    path = tmp_path / "台账.csv"
    path.write_bytes(_csv_text([["2026.11.3", "张伟 诉 李娜", "邻里纠纷", "安居", "楼上漏水", "调解中"],
                                ["2026年11月5日", "王芳与赵强", "家庭纠纷", "锦苑", "赡养费争议", "在办"]]).encode(encoding))
    result = plan(session, actor, path)
    assert result.table.encoding == label
    assert result.errors == [] and len(result.valid_rows) == 2
    first = result.valid_rows[0].checked
    assert [p["name"] for p in first.parties] == ["张伟", "李娜"]
    import_ledger(session, actor=actor, plan=result)
    assert cases(session) == 2


def test_saved_mapping_by_letter_and_header(session, actor, tmp_path, ledger_200):
    mapping_path = tmp_path / "m.json"
    mapping_path.write_text('{"format": "laopan.ledger-mapping/1", "columns": {"B": "received_on", "申请人": "applicant_name",'
                            ' "F": "respondent_name", "纠纷类型": "dispute_type", "H": "community", "I": "summary"},'
                            ' "defaults": {"level": "community"}}', encoding="utf-8")
    table = read_table(ledger_200)
    mapping = load_mapping(mapping_path, table)
    assert mapping.defaults["level"] == "community" and len(mapping.columns) == 6
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "laopan.ledger-mapping/1", "columns": {"Z": "received_on", "受理": "nonsense"}}', encoding="utf-8")
    with pytest.raises(Refused) as refused:
        load_mapping(bad, table)
    assert {e.field for e in refused.value.errors} == {"columns.Z", "columns.受理"}


def test_rows_already_imported_can_refuse_the_whole_import_instead_of_being_skipped(desk, ledger_200):
    """Issue 10 item 5: the user chooses — skip what is already there (the default here), or import nothing."""
    with desk.session() as session:
        import_ledger(session, actor=desk.actor, plan=plan(session, desk.actor, ledger_200), valid_only=True)
    with desk.session() as session, pytest.raises(Refused) as refused:
        import_ledger(session, actor=desk.actor, plan=plan(session, desk.actor, ledger_200), valid_only=True, skip_duplicates=False)
    errors = [str(e) for e in refused.value.errors]
    assert len(errors) == 198
    assert errors[0].startswith("第2行: 已导入（DL") and errors[0].endswith("），受理日期、当事人和简要情况相同")
    assert errors[-1] == "台账: 197 行已导入过，未导入任何案件；如需跳过这些行，请选择“跳过已导入的行”"
    with desk.reading() as session:
        assert cases(session) == 197
