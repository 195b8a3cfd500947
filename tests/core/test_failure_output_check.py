"""The session-end check of tests/helpers/cli.py (issue 10 item 2) recognises an ID number or phone on a failing
command's output, and leaves masked ones and the desk's own numbers alone."""

import pytest

from tests.helpers.cli import personal_data_in


@pytest.mark.parametrize("text", [
    "cases[0].parties[0].id_number: 330212197803010013 校验位错误",
    "电话 13812345678 已存在", "旧号 330212650102003", "x 33021219780301001X",
])
def test_an_id_number_or_a_phone_is_caught(text):
    assert personal_data_in(text)


@pytest.mark.parametrize("text", [
    "3302**********0013", "138****5678", "DL2026-00012", "警情编号 JQ202611200001 已用于案件 DL2026-00001",
    "（2026）东柳人调字第123456789012345678901号", "金额 99999999999.99",
])
def test_masked_values_and_the_desks_numbers_are_not(text):
    assert personal_data_in(text) == []


def test_a_failing_run_that_shows_a_phone_would_be_reported(cli, tmp_path):
    """The refusal of a bad phone names the field, not the number."""
    path = tmp_path / "bad.json"
    path.write_text('{"format": "laopan.case/1", "cases": [{"received_at": "2026-11-20T10:00:00+08:00", "source": "party_application",'
                    ' "dispute_type": "neighbour", "level": "grid", "community": "安居", "summary": "噪音。", "parties": ['
                    '{"role": "applicant", "name": "周丽", "phone": "1351234567"}, {"role": "respondent", "name": "吴刚",'
                    ' "id_number": "330212196501020036"}]}]}', encoding="utf-8")
    code, out, err = cli("case", "import", str(path))
    assert code == 2
    assert "cases[0].parties[1].id_number" in err
    assert personal_data_in(out + err) == []
