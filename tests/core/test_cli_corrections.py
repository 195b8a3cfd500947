"""`laopan party add|update|remove|list` and `laopan case update`, in-process: a change shows in `case history`,
refusals are Chinese on stderr with exit code 2, a stale --expected-version exits 4."""

import json

import pytest

from tests.helpers.scenarios import case_data


@pytest.fixture
def case_no(cli, tmp_path) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"format": "laopan.case/1", "cases": [case_data(source="police_referral")]}, ensure_ascii=False),
                    encoding="utf-8")
    assert cli("case", "import", str(path))[0] == 0
    return "DL2026-00001"


def test_party_update_then_case_history_shows_it(cli, case_no):
    assert cli("party", "update", case_no, "2", "--phone", "13700009999") == (0, "DL2026-00001\t版本2\n", "")
    history = cli("case", "history", case_no)[1]
    assert history.splitlines()[-1].endswith("李秀英 的电话 由 *******5678 改为 *******9999")
    assert cli("party", "list", case_no)[1].splitlines()[1] == "2\t被申请人\t李秀英\t**************0026（1985年生）\t*******9999"


def test_case_update_changes_facts_and_referral(cli, case_no):
    code, out, err = cli("case", "update", case_no, "--amount", "3000", "--prevented-criminal", "yes", "--officer", "周警官")
    assert (code, out, err) == (0, "DL2026-00001\t版本3\n", "")
    lines = cli("case", "history", case_no)[1].splitlines()
    assert lines[-2].endswith("案件 的标的额 由 （空） 改为 3000.00；防止民转刑 由 否 改为 是")
    assert lines[-1].endswith("警情移交 的移交民警 由 （空） 改为 周警官")


def test_adding_and_removing_a_party(cli, case_no):
    assert cli("party", "add", case_no, "--role", "respondent", "--name", "王五", "--phone", "13611112222")[0] == 0
    assert cli("party", "list", case_no)[1].splitlines()[2].startswith("3\t被申请人\t王五")
    assert cli("party", "remove", case_no, "王五", "--reason", "登记重复")[0] == 0
    assert cli("case", "history", case_no)[1].splitlines()[-1].endswith("删除当事人 王五（被申请人）：登记重复")


def test_refusals(cli, case_no):
    code, out, err = cli("party", "update", case_no, "张伟", "--id-number", "330212197803010014")
    assert (code, out) == (2, "") and "parties[0].id_number" in err and "校验位错误" in err
    code, _, err = cli("party", "remove", case_no, "1", "--reason", "误录")
    assert code == 2 and "须至少保留一名申请人和一名被申请人" in err
    code, _, err = cli("party", "update", case_no, "赵六", "--phone", "13611112222")
    assert code == 2 and "本案没有叫 赵六 的当事人" in err
    code, _, err = cli("case", "update", case_no, "--summary", "改", "--expected-version", "9")
    assert code == 4 and "请刷新" in err
