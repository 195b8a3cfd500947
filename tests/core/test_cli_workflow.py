"""The workflow verbs of the `laopan` command line, in-process: a case walked grid → community → street →
settled → closed, refusals in Chinese on stderr with exit code 1, sessions, deadlines, pairings and mentoring."""

import datetime as dt
import json

import pytest

from laopan.clock import FixedClock
from laopan.models import Agreement
from laopan.storage import session_scope
from tests.helpers.scenarios import case_data
from tests.helpers.databases import engine_for


@pytest.fixture
def case_no(cli, tmp_path) -> str:
    """One registered grid-level neighbour case in 华光城第3网格, and the mediators of every level."""
    for args in (
        ("潘网格", "--unit", "grid", "--in-community", "华光城", "--grid", "华光城第3网格", "--specialty", "neighbour"),
        ("潘社区", "--unit", "community", "--in-community", "华光城"),
        ("潘邻居", "--unit", "community", "--in-community", "华光城", "--address", "宁波市鄞州区东柳街道华光城12号楼3单元502室"),
        ("潘街道",),
        ("潘小", "--rank", "junior", "--unit", "street"),
    ):
        assert cli("mediator", "add", *args)[0] == 0
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"format": "laopan.case/1", "cases": [case_data()]}, ensure_ascii=False), encoding="utf-8")
    code, out, err = cli("case", "import", str(path))
    assert (code, out, err) == (0, "DL2026-00001\n", "")
    return "DL2026-00001"


def add_agreement(db_url) -> None:
    """An oral agreement the parties have confirmed (recorded), so the case may settle."""
    engine = engine_for(db_url)
    with session_scope(engine) as session:
        session.add(Agreement(committee_id=1, case_id=1, kind="oral", finalised_at=FixedClock().now()))
    engine.dispose()


def test_a_case_walks_grid_community_street_settled_closed(cli, case_no, db_url):
    assert cli("case", "accept", case_no) == (0, "DL2026-00001\t受理\t网格\t待分配\t期限2026-12-27\t版本2\n", "")
    code, out, _ = cli("mediator", "suggest", case_no)
    assert out.splitlines()[0] == "潘网格\t65\t同网格 · 擅长邻里 · 在办0件"
    assert cli("case", "assign", case_no, "--to-mediator", "潘网格")[1] == "DL2026-00001\t受理\t网格\t潘网格\t期限2026-12-27\t版本3\n"

    code, out, err = cli("case", "escalate", case_no, "--reason", "网格调解未果", "--to-mediator", "潘邻居")
    assert (code, out) == (2, "")
    assert err == ("错误：调解员潘邻居可能需要回避：\n  - 与申请人张伟住同一栋楼（华光城12幢）\n"
                   "  - 与被申请人李秀英住同一栋楼（华光城12幢）\n请决定保留（说明理由）或更换\n")
    code, out, err = cli("case", "escalate", case_no, "--reason", "网格调解未果", "--to-mediator", "潘社区")
    assert (code, out, err) == (0, "DL2026-00001\t受理\t社区\t潘社区\t期限2026-12-27\t版本4\n", "")
    assert cli("case", "escalate", case_no, "--reason", "涉及物业，需街道协调")[1] == "DL2026-00001\t受理\t街道\t待分配\t期限2026-12-27\t版本5\n"
    code, _, err = cli("case", "escalate", case_no, "--reason", "再上报")
    assert code == 2 and err.startswith("错误：街道已是最高层级：案件离开街道")
    assert cli("case", "assign", case_no, "--to-mediator", "潘街道")[0] == 0
    assert cli("case", "assign", case_no, "--mediator", "潘小", "--role", "recorder")[0] == 0
    assert cli("case", "mediate", case_no)[1] == "DL2026-00001\t调解中\t街道\t潘街道\t期限2026-12-27\t版本8\n"

    code, out, _ = cli("session", "add", case_no, "--at", "2026-11-27 08:30", "--place", "东柳街道调解室", "--mediator", "潘街道",
                       "--mediator", "潘小", "--present", "张伟", "--present", "李秀英", "--participant", "楼长赵阿姨",
                       "--statement", "申请人：要求赔偿维修费", "--statement", "被申请人：同意维修", "--result", "达成口头协议")
    assert (code, out) == (0, "已添加调解记录 #1\n")
    assert cli("case", "sessions", case_no)[1] == (
        "#1\t2026-11-27 08:30\t东柳街道调解室\t调解员 潘街道、潘小\t到场 张伟、李秀英\t参加人 楼长赵阿姨\t"
        "陈述 申请人：要求赔偿维修费 / 被申请人：同意维修\t结果 达成口头协议\t版本1\n")

    assert cli("case", "settle", case_no) == (2, "", "错误：须先起草书面协议或登记口头协议\n")
    add_agreement(db_url)
    assert cli("case", "settle", case_no)[1] == "DL2026-00001\t调解成功\t街道\t潘街道\t期限2026-12-27\t版本9\n"
    assert cli("case", "close", case_no, "--force", "--reason", "卷宗另卷")[1] == "DL2026-00001\t结案归档\t街道\t潘街道\t期限2026-12-27\t版本10\n"
    assert cli("case", "assign", case_no, "--to-mediator", "潘网格") == (4, "", "错误：已结案归档的案件只读，须由主任重新打开\n")
    assert cli("case", "actions", case_no)[1] == "reopen\t重新打开\t须填理由\n"

    code, out, _ = cli("case", "history", case_no)
    assert out.splitlines() == [
        "层级\t2026-11-27 09:00\t网格→社区\tadmin\t网格调解未果",
        "层级\t2026-11-27 09:00\t社区→街道\tadmin\t涉及物业，需街道协调",
        "2026-11-27 09:00\t管理员\t登记案件 DL2026-00001（登记）",
        "2026-11-27 09:00\t管理员\t受理，调解期限至 2026-12-27",
        "2026-11-27 09:00\t管理员\t指派调解员：潘网格（主持人）",
        "2026-11-27 09:00\t管理员\t上报：网格→社区（网格调解未果），主持人：潘社区",
        "2026-11-27 09:00\t管理员\t上报：社区→街道（涉及物业，需街道协调），待分配主持人",
        "2026-11-27 09:00\t管理员\t指派调解员：潘街道（主持人）",
        "2026-11-27 09:00\t管理员\t指派调解员：潘小（记录人）",
        "2026-11-27 09:00\t管理员\t开始调解",
        "2026-11-27 09:00\t管理员\t新增调解记录：2026-11-27 08:30 东柳街道调解室",
        "2026-11-27 09:00\t管理员\t调解成功",
        "2026-11-27 09:00\t管理员\t结案归档（自“调解成功”）",
    ]

    assert cli("user", "add", "pan", "--role", "mediator", "--mediator", "潘街道")[0] == 0
    assert cli("case", "reopen", case_no, "--reason", "协议笔误", "--as", "pan") == (
        4, "", "错误：调解员无权重新打开已结案归档的案件（仅限：主任、管理员）\n")
    assert cli("case", "reopen", case_no, "--reason", "协议笔误")[1] == "DL2026-00001\t调解成功\t街道\t潘街道\t期限2026-12-27\t版本11\n"


def test_illegal_moves_and_stale_versions_are_refused_on_stderr(cli, case_no):
    assert cli("case", "close", case_no) == (4, "", "错误：“登记”状态的案件不能直接“结案归档”；当前可以：受理、不予受理\n")
    with pytest.raises(SystemExit):  # argparse: --reason is required
        cli("case", "reject", case_no)
    assert cli("case", "accept", case_no, "--expected-version", "1")[0] == 0
    assert cli("case", "mediate", case_no, "--expected-version", "1") == (4, "", "错误：已被 管理员 于 2026-11-27 09:00 修改，请刷新\n")
    assert cli("case", "terminate", case_no, "--reason", "other_channel") == (
        2, "", "错误：去向: 转其他途径须选择去向（法院、仲裁、公安、信访、行政机关）\n")
    assert cli("case", "terminate", case_no, "--reason", "other_channel", "--destination", "court")[1].startswith("DL2026-00001\t调解终止")
    assert cli("case", "accept", "DL2099-00001") == (2, "", "错误：找不到受理编号为 DL2099-00001 的案件\n")


def test_extend_unassign_return_and_deadlines(cli, case_no, clock):
    cli("case", "accept", case_no)
    cli("case", "assign", case_no, "--to-mediator", "潘网格")
    code, out, err = cli("case", "extend", case_no, "--until", "2027-01-10", "--applicant-consent", "2026-11-25",
                         "--respondent-consent", "2026-11-26", "--reason", "双方同意")
    assert (code, out, err) == (0, "DL2026-00001\t受理\t网格\t潘网格\t期限2027-01-10\t版本4\n", "")
    assert cli("case", "extend", case_no, "--until", "2027-01-01", "--applicant-consent", "2026-11-25",
               "--respondent-consent", "bad") == (2, "", "错误：--respondent-consent: 日期格式应为 2026-11-27\n")
    assert cli("case", "unassign", case_no, "--mediator", "潘网格")[1] == "DL2026-00001\t受理\t网格\t待分配\t期限2027-01-10\t版本5\n"
    cli("case", "escalate", case_no, "--reason", "上报")
    assert cli("case", "return", case_no, "--reason", "退回网格", "--to-mediator", "潘网格")[1] == (
        "DL2026-00001\t受理\t网格\t潘网格\t期限2027-01-10\t版本7\n")
    assert cli("user", "add", "wang", "--role", "mediator", "--mediator", "潘网格")[0] == 0
    assert cli("deadlines") == (0, "", "")
    clock.instant = dt.datetime(2027, 1, 8, 1, tzinfo=dt.UTC)
    line = "DL2026-00001\t2027-01-10\t张伟 诉 李秀英\t网格\t受理\t潘网格\n"
    assert cli("deadlines") == (0, "剩2天\t" + line, "")
    clock.instant = dt.datetime(2027, 1, 13, 1, tzinfo=dt.UTC)
    assert cli("deadlines", "--mine", "--as", "wang") == (0, "逾期3天\t" + line, "")
    assert cli("deadlines", "--mine") == (2, "", "错误：当前用户未关联调解员，无法列出“我的”案件\n")


def test_mediator_update_pairings_and_mentoring(cli, case_no):
    assert cli("mediator", "update", "潘小", "--relative", "李秀英", "--work-unit", "东柳街道办")[1] == (
        "已更新调解员 潘小（版本2）：申报亲属 （空）→李秀英；工作单位 （空）→东柳街道办\n")
    assert cli("mediator", "update", "潘社区", "--rank", "junior", "--in-community", "安居", "--specialty", "neighbour")[1] == (
        "已更新调解员 潘社区（版本2）：级别 老潘（主调）→小潘（辅调）；社区 华光城→安居；专长 （空）→neighbour\n")
    assert cli("mediator", "update", "潘小", "--expected-version", "1", "--inactive") == (
        4, "", "错误：已被 管理员 于 2026-11-27 09:00 修改，请刷新\n")
    assert cli("mediator", "update", "潘小") == (2, "", "错误：没有要修改的内容（见 laopan mediator update --help）\n")
    assert cli("pairing", "add", "潘小", "潘街道", "--from", "2026-11-01") == (
        2, "", "错误：老潘: 潘小的级别是小潘（辅调），须为老潘（主调）\n")
    assert cli("pairing", "add", "潘街道", "潘小", "--from", "2026-11-01") == (0, "已添加结对 #1：潘街道+潘小，自2026-11-01\n", "")
    assert cli("pairing", "list")[1] == "#1\t潘街道\t潘小\t2026-11-01\t至今\t有效\n"
    code, _, err = cli("case", "assign", case_no, "--to-mediator", "潘小", "--pairing", "1")
    assert code == 2 and "申报的亲属李秀英是本案被申请人" in err
    code, out, _ = cli("case", "assign", case_no, "--to-mediator", "潘小", "--pairing", "1", "--keep", "--decision-reason", "远亲，双方无异议")
    assert out.splitlines() == ["回避审查：已保留（申报的亲属李秀英是本案被申请人）", "DL2026-00001\t登记\t网格\t潘小\t版本2"]
    assert cli("mediator", "mentoring", "潘小")[1] == "DL2026-00001\t主持人\t老潘 潘街道（结对#1）\t登记\n"
    assert cli("pairing", "end", "1", "--on", "2026-11-26")[1] == "已结束结对 #1：潘街道+潘小，2026-11-01至2026-11-26\n"
    assert cli("pairing", "list", "--active") == (0, "", "")
