"""The probe set of issue 10: crafted and mis-saved import files are each refused with a Chinese sentence
(naming the JSON path where there is one), exit code 2, no traceback and no personal data on stderr — or
accepted on purpose (a UTF-8 BOM, what Windows Notepad writes). tests/pg runs the same files on PostgreSQL."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from laopan.cli.main import main
from laopan.models import Case
from laopan.storage import read_session
from tests.helpers.databases import engine_for

PROBES = Path(__file__).resolve().parents[1] / "fixtures" / "probe"
PERSONAL = ("330212197803010013", "13812345678")  # the applicant's, in every probe file (see generate.py)
SAVE_AS_UTF8 = "请将文件另存为 UTF-8"

# file name → what the refusal says (None: accepted on purpose)
EXPECTED = {
    "gbk.json": "第9行不是 UTF-8 编码（可能是 GBK）：" + SAVE_AS_UTF8,
    "utf16_bom.json": "文件是 UTF-16 编码：" + SAVE_AS_UTF8,
    "utf16le_no_bom.json": "文件似乎是 UTF-16 编码",
    "utf32_bom.json": "文件是 UTF-32 编码：" + SAVE_AS_UTF8,
    "invalid_utf8.json": "不是 UTF-8 编码",
    "lone_surrogate.json": "cases[0].summary: 含有无效的 Unicode 字符",
    "huge_integer.json": "含有位数过多的数字",
    "big_integer.json": "cases[0].level: 数字过大",
    "amount_1e400_number.json": "cases[0].amount_yuan: 数字超出范围",
    "amount_1e400_text.json": "cases[0].amount_yuan: 金额过大：最多 999999999.99 元",
    "amount_nan.json": "含有 NaN，不是数字",
    "agreement_sequence_21_digits.json": "cases[0].agreement.number: 协议编号的序号过大",
    "not_json.json": "不是文本文件",
    "deep_nesting.json": "嵌套层数过多",
    "deep_objects.json": "嵌套层数过多",
    "utf8_bom.json": None,
}


def probe_file(name: str, tmp_path: Path) -> Path:
    """The committed probe, or one built here because it would be large to commit."""
    if name == "deep_nesting.json":  # 200,000 levels: once a RecursionError traceback
        path = tmp_path / name
        path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
        return path
    if name == "deep_objects.json":  # shallow enough for the parser, far deeper than the format
        path = tmp_path / name
        path.write_text('{"format": "laopan.case/1", "cases": ' + '{"a": ' * 500 + "1" + "}" * 500 + "}", encoding="utf-8")
        return path
    return PROBES / name


def test_the_committed_probes_are_what_the_generator_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("probe_generate", PROBES / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    assert generate.PERSONAL == PERSONAL
    for name, data in generate.probes().items():
        assert (PROBES / name).read_bytes() == data, name
        assert name in EXPECTED


def import_probe(database: str, name: str, tmp_path: Path, capsys, clock) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--database", database, "--as", "admin", "case", "import", str(probe_file(name, tmp_path))], clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def check(name: str, code: int, out: str, err: str) -> None:
    assert "Traceback" not in err
    for secret in PERSONAL:
        assert secret not in err, f"{name} printed personal data"
    expected = EXPECTED[name]
    if expected is None:
        assert (code, out, err) == (0, "DL2026-00001\n", "")
        return
    assert (code, out) == (2, ""), err
    assert expected in err
    assert "未保存任何内容" in err or err.startswith("错误：")


def case_count(database: str) -> int:
    engine = engine_for(database)
    try:
        with read_session(engine) as session:
            return session.execute(select(func.count()).select_from(Case)).scalar_one()
    finally:
        engine.dispose()


@pytest.mark.both_engines
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_probe_file_is_refused_in_chinese_or_accepted_on_purpose(name, db_url, tmp_path, capsys, clock):
    """The same answer on SQLite and PostgreSQL: exit code, Chinese sentence, no traceback, nothing saved."""
    code, out, err = import_probe(db_url, name, tmp_path, capsys, clock)
    check(name, code, out, err)
    assert case_count(db_url) == (1 if EXPECTED[name] is None else 0), "a refused file leaves the database unchanged"
