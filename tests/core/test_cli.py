"""The `laopan` command line (DESIGN §2 "One command", "Who is acting"; §7): results on stdout, refusals in
Chinese on stderr with a non-zero exit code, and no command waiting for input."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from laopan import paths
from laopan.cli.main import main
from tests.helpers.accounts import TEST_PASSWORD
from laopan.models import AuditEntry, Committee
from tests.helpers.cli import remember

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"
FULL = FIXTURES / "full.json"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(capsys, clock, request):
    """`laopan ARGS…` in-process, on the data dir of the test (the fixture's LAOPAN_DATA_DIR), acting at the
    tests' fixed instant (2026-11-27T01:00Z) so deadlines do not depend on today."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args), clock=clock)
        out, err = capsys.readouterr()
        remember(request, args, code, out, err)
        return code, out, err

    return run


@pytest.fixture
def cli(run, db_url):
    """`laopan ARGS… --database <copy of the template>`: the default committee with its administrator."""

    def cli(*args: str) -> tuple[int, str, str]:
        return run(*args, "--database", db_url, *([] if "--as" in args else ["--as", "admin"]))

    return cli


@pytest.fixture
def new_password(tmp_path) -> tuple[str, str]:
    """`--new-password-file F` with the tests' password."""
    path = tmp_path / "new-password"
    path.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    return ("--new-password-file", str(path))


@pytest.fixture
def imported(cli) -> list[str]:
    code, out, _ = cli("case", "import", str(FULL))
    assert code == 0
    return out.split()


def lines(text: str) -> list[str]:
    return text.splitlines()


# --- init ---------------------------------------------------------------------------------------------------------------


def test_init_creates_the_default_committee_with_its_dictionaries(run):
    code, out, err = run("init")
    first, notice = out.split("\n", 1)
    assert (code, first, err) == (0, "已初始化：东柳街道人民调解委员会，管理员 admin", "")
    assert re.fullmatch(r"数据库已加密。请抄下恢复密钥并妥善保管.*\n\n    [0-9A-Z]{4}(-[0-9A-Z]{4}){7}\n\n", notice, re.S)
    assert paths.database_file().is_file()
    assert lines(run("dict", "list", "community")[1]) == [
        "安居", "东海花园", "东柳坊", "华光城", "华侨城", "锦苑", "太古城", "幸福苑", "园丁", "月季", "中兴"]
    assert lines(run("dict", "list", "station")[1]) == ["东柳派出所"]
    assert "华光城第6网格\t华光城" in lines(run("dict", "list", "grid")[1])
    assert lines(run("user", "list")[1]) == ["admin\t管理员\t管理员"]


def test_init_twice_is_refused(run):
    assert run("init")[0] == 0
    code, out, err = run("init")
    assert (code, out) == (2, "")
    assert err == "错误：调委会“东柳街道人民调解委员会”已存在\n"


def test_init_of_another_committee_gets_national_dictionaries_and_empty_local_ones(run):
    code, out, _ = run("init", "--committee", "其他街道人民调解委员会", "--admin", "boss", "--admin-name", "王主任")
    assert (code, out.splitlines()[0]) == (0, "已初始化：其他街道人民调解委员会，管理员 boss")
    for kind in ("community", "grid", "station"):
        assert run("dict", "list", kind)[:2] == (0, ""), kind
    types = lines(run("dict", "list", "dispute_type")[1])
    assert len(types) == 18
    assert types[1] == "neighbour\t邻里"
    assert "property_management\t物业" in types
    assert len(lines(run("dict", "list", "source")[1])) == 7
    assert lines(run("user", "list")[1]) == ["boss\t王主任\t管理员"]


def test_init_makes_the_new_committee_and_administrator_this_desks_own(run):
    from laopan.settings import load_desk

    assert run("init", "--committee", "其他街道人民调解委员会", "--admin", "boss", "--admin-name", "王主任")[0] == 0
    assert (load_desk().committee, load_desk().current_user) == ("其他街道人民调解委员会", "boss")
    assert run("user", "list")[1] == "boss\t王主任\t管理员\n"


def test_data_dir_option_wins_over_the_environment(run, tmp_path, _isolated_paths):
    desk_dir = tmp_path / "desk"
    assert run("--data-dir", str(desk_dir), "init")[0] == 0
    assert (desk_dir / "laopan.db").is_file()
    assert not (_isolated_paths / "laopan.db").exists()
    assert run("cases", "--data-dir", str(desk_dir), "--count")[1] == "0\n"


def test_a_command_on_an_uninitialised_database_says_to_run_init(run):
    code, out, err = run("cases")
    assert (code, out) == (3, "")
    assert err.startswith("错误：数据库尚未初始化：文件 ") and "laopan.db。请先运行 laopan init（或启动窗口按提示设置）" in err


def test_no_command_prints_usage_and_exits_2(run):
    code, out, err = run()
    assert code == 2 and out == ""
    assert "usage" in err.lower()


# --- demo ----------------------------------------------------------------------------------------------------------------


def test_demo_generates_a_deterministic_data_set(run, tmp_path):
    pytest.importorskip("laopan.demo")
    first, second = str(tmp_path / "one"), str(tmp_path / "two")
    code, out, _ = run("demo", "--data-dir", first, "--cases", "20", "--seed", "3")
    notice, generated = out.rsplit("\n\n", 1)
    assert code == 0 and generated.startswith("已生成 20 个案件") and "请抄下恢复密钥" in notice  # a new demo desk is encrypted too
    assert run("cases", "--data-dir", first, "--count")[1] == "20\n"
    code, _, err = run("demo", "--data-dir", first, "--cases", "20", "--if-empty")
    assert code == 0 and "已有 20 个案件，未生成演示数据" in err
    assert run("cases", "--data-dir", first, "--count")[1] == "20\n"
    assert run("demo", "--data-dir", second, "--cases", "20", "--seed", "3")[0] == 0
    listing = run("cases", "--data-dir", first, "--limit", "100")[1]
    assert len(lines(listing)) == 20
    assert listing == run("cases", "--data-dir", second, "--limit", "100")[1]


# --- cases -----------------------------------------------------------------------------------------------------------------

LINE_00001 = "DL2026-00001\t2026-10-08\t张伟 诉 李秀英\t邻里\t网格\t调解成功\t潘明杰"
LINE_00002 = "DL2026-00002\t2026-11-02\t宁波幸福物业管理有限公司 诉 陈建华\t物业\t社区\t受理\t待分配\t剩5天"


def test_cases_prints_one_line_per_case_newest_first(cli, imported):
    assert imported == ["DL2026-00001", "DL2026-00002"]
    code, out, err = cli("cases")
    assert (code, err) == (0, "")
    assert lines(out) == [LINE_00002, LINE_00001]


@pytest.mark.parametrize(
    "args, expected",
    [
        (("--limit", "1"), ["DL2026-00002"]),
        (("--offset", "1", "--limit", "1"), ["DL2026-00001"]),
        (("--search", "张伟"), ["DL2026-00001"]),
        (("--search", "5678"), ["DL2026-00001"]),
        (("--search", "第087号"), ["DL2026-00001"]),
        (("--search", "DL2026-0000"), ["DL2026-00002", "DL2026-00001"]),
        (("--search", "查无此人"), []),
        (("--level", "community"), ["DL2026-00002"]),
        (("--status", "settled"), ["DL2026-00001"]),
        (("--type", "neighbour"), ["DL2026-00001"]),
        (("--community", "幸福苑"), ["DL2026-00002"]),
        (("--source", "police_referral"), ["DL2026-00001"]),
        (("--from", "2026-11-01", "--to", "2026-11-30"), ["DL2026-00002"]),
        (("--to", "2026-10-08"), ["DL2026-00001"]),
        (("--mediator", "潘明杰"), ["DL2026-00001"]),
        (("--due", "overdue"), []),
    ],
)
def test_cases_filters(cli, imported, args, expected):
    code, out, err = cli("cases", *args)
    assert (code, err) == (0, "")
    assert [line.split("\t")[0] for line in lines(out)] == expected


def test_cases_count(cli, imported):
    assert cli("cases", "--count")[:2] == (0, "2\n")
    assert cli("cases", "--count", "--level", "grid")[:2] == (0, "1\n")


def test_cases_refuses_an_unknown_mediator_and_a_bad_date(cli, imported):
    assert cli("cases", "--mediator", "不存在") == (2, "", "错误：调解员名册中没有“不存在”\n")
    assert cli("cases", "--from", "2026-13-01") == (2, "", "错误：--from: 日期格式应为 2026-11-27\n")


def test_an_unknown_level_is_a_usage_error(cli):
    with pytest.raises(SystemExit) as info:
        cli("cases", "--level", "city")
    assert info.value.code == 2


# --- case show / export ---------------------------------------------------------------------------------------------------------


def test_case_show_prints_every_section_with_personal_data_masked(cli, imported, desk):
    code, out, err = cli("case", "show", "DL2026-00001")
    assert (code, err) == (0, "")
    for visible in ("受理编号  DL2026-00001", "张伟", "代理人：张强", "宁波华光物业服务有限公司", "91330212MA2AB1C3XH",
                    "JQ202610080012", "潘明杰", "（2026）东柳人调字第087号", "*******5678", "**************0013（1978年生）",
                    "华光城 / 华光城第3网格", "标的额    12000.00 元", "风险标记：重复报警、涉老年人",
                    "第1条 被申请人于2026年10月30日前一次性支付申请人维修费人民币捌仟元整（￥8000.00）。"):
        assert visible in out, visible
    for hidden in ("13812345678", "330212197803010013", "12幢2单元301室", "1978年3月1日", "1978年03月01日"):
        assert hidden not in out, hidden
    with desk.session() as session:
        assert session.execute(select(AuditEntry).where(AuditEntry.action == "case.reveal")).first() is None


def test_case_show_reveal_prints_full_data_and_is_audited(cli, imported, desk):
    code, out, _ = cli("case", "show", "dl2026-00001", "--reveal")
    assert code == 0
    assert "电话：13812345678" in out
    assert "证件：居民身份证 330212197803010013" in out
    assert "代理人：张强（兄弟，13900001111）" in out
    assert "个人信息已遮蔽" not in out
    with desk.session() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "case.reveal")).scalars().all()
        assert [entry.login for entry in entries] == ["admin"]


def test_case_show_of_an_unknown_number(cli):
    assert cli("case", "show", "DL2099-00001") == (2, "", "错误：找不到受理编号为 DL2099-00001 的案件\n")


def test_case_show_prints_times_in_the_committee_time_zone(cli, imported, desk):
    with desk.session() as session:
        committee = session.get(Committee, desk.committee_id)
        committee.settings = {**committee.settings, "time_zone": "UTC"}
    out = cli("case", "show", "DL2026-00002")[1]
    assert "受理时间  2026-11-02 06:00" in out  # received 14:00 in Beijing = 06:00 UTC


def test_case_export_to_a_file(cli, imported, tmp_path, desk):
    target = tmp_path / "out" / "交换.json"
    target.parent.mkdir()
    code, out, err = cli("case", "export", "DL2026-00001", "DL2026-00002", "--out", str(target))
    assert (code, out) == (0, "")
    assert err == f"已导出到 {target}\n"
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == "laopan.case/1"
    assert [c["parties"][0]["name"] for c in document["cases"]] == ["张伟", "宁波幸福物业管理有限公司"]
    assert document["cases"][0]["parties"][0]["phone"] == "13812345678", "the interchange file is the full record"
    with desk.session() as session:
        assert len(session.execute(select(AuditEntry).where(AuditEntry.action == "case.export")).all()) == 2


def test_case_export_to_stdout_imports_again(cli, imported, tmp_path):
    code, out, _ = cli("case", "export", "DL2026-00002")
    assert code == 0
    file = tmp_path / "again.json"
    file.write_text(out, encoding="utf-8")
    code, out, err = cli("case", "import", str(file))  # a valid file, recognised as the case it came from
    assert (code, out) == (2, "")
    assert "cases[0]: 与已有案件 DL2026-00002 是同一案件（受理时间和当事人相同）" in err


# --- users, dictionaries, mediators -----------------------------------------------------------------------------------------------


def test_user_add_and_list(cli, new_password):
    assert cli("user", "add", "pan", "--role", "mediator", "--name", "潘明杰", *new_password) == (0, "已添加用户 pan（调解员）\n", "")
    assert cli("user", "add", "li", "--role", "police_liaison", *new_password)[:2] == (0, "已添加用户 li（警调联络员）\n")
    assert cli("user", "add", "zhu", "--role", "supervisor", "--name", "朱主任") == (
        0, "已添加用户 zhu（主任）\n", "注意：zhu 尚未设置密码，暂不能登录（laopan user passwd zhu --new-password-file F）\n")
    assert lines(cli("user", "list")[1]) == ["admin\t管理员\t管理员", "li\tli\t警调联络员", "pan\t潘明杰\t调解员", "zhu\t朱主任\t主任\t\t未设密码"]


def test_user_add_refusals(cli, new_password):
    cli("user", "add", "pan", "--role", "mediator", *new_password)
    assert cli("user", "add", "pan", "--role", "admin") == (2, "", "错误：登录名“pan”已被使用\n")
    assert cli("user", "add", "x", "--role", "mediator", "--mediator", "不存在") == (2, "", "错误：调解员名册中没有“不存在”\n")
    assert cli("--as", "pan", "user", "add", "y", "--role", "admin") == (4, "", "错误：调解员无权管理用户（仅限：管理员）\n")
    with pytest.raises(SystemExit) as info:
        cli("user", "add", "z", "--role", "boss")
    assert info.value.code == 2


def test_user_linked_to_a_mediator(cli, new_password):
    cli("mediator", "add", "潘明杰")
    assert cli("user", "add", "pan", "--role", "mediator", "--mediator", "潘明杰", *new_password)[:2] == (0, "已添加用户 pan（调解员）\n")
    assert "pan\t潘明杰\t调解员\t潘明杰" in lines(cli("user", "list")[1])


def test_dict_add_and_list(cli):
    assert cli("dict", "add", "grid", "安居第5网格", "--community", "安居") == (0, "已添加网格：安居第5网格\n", "")
    assert "安居第5网格\t安居" in lines(cli("dict", "list", "grid")[1])
    assert cli("dict", "add", "community", "新城")[:2] == (0, "已添加社区：新城\n")
    assert lines(cli("dict", "list", "community")[1])[-1] == "新城"
    assert cli("dict", "add", "station", "西柳派出所")[0] == 0
    assert lines(cli("dict", "list", "station")[1]) == ["东柳派出所", "西柳派出所"]
    assert cli("dict", "add", "dispute_type", "校园安全", "--code", "school_safety")[0] == 0
    assert lines(cli("dict", "list", "dispute_type")[1])[-1] == "school_safety\t校园安全"


def test_dict_add_refusals(cli):
    assert cli("dict", "add", "grid", "安居9号", "--community", "安居") == (2, "", "错误：网格名称应为“安居第N网格”\n")
    assert cli("dict", "add", "grid", "东海花园第9网格", "--community", "安居") == (2, "", "错误：网格名称应为“安居第N网格”\n")
    assert cli("dict", "add", "grid", "安居第9网格") == (2, "", "错误：添加网格须指定所属社区（--community）\n")
    assert cli("dict", "add", "community", "安居") == (2, "", "错误：社区“安居”已存在\n")
    assert cli("dict", "add", "dispute_type", "校园", "--code", "School Safety")[0] == 2
    assert "安居9号" not in cli("dict", "list", "grid")[1]


def test_mediator_add_and_list(cli):
    code, out, _ = cli("mediator", "add", "王芳", "--rank", "junior", "--unit", "community", "--in-community", "安居",
                       "--phone", "139-0000-1234", "--specialty", "neighbour", "--specialty", "marriage_family")
    assert (code, out) == (0, "已添加调解员 王芳\n")
    assert cli("mediator", "add", "潘明杰")[0] == 0
    assert lines(cli("mediator", "list")[1]) == [
        "潘明杰\t老潘（主调）\t街道调解中心\t\t\t在办0",
        "王芳\t小潘（辅调）\t社区\t安居\t婚姻家庭、邻里\t在办0",
    ]


def test_imported_mediators_are_flagged_in_the_list(cli, imported):
    assert lines(cli("mediator", "list")[1]) == ["潘小\t未定\t街道调解中心\t\t\t在办0\t导入", "潘明杰\t未定\t街道调解中心\t\t\t在办0\t导入"]


def test_mediator_add_refusals(cli):
    assert cli("mediator", "add", "王芳", "--unit", "grid") == (2, "", "错误：社区: 网格、社区调解员须指定所属社区\n")
    assert cli("mediator", "add", "王芳", "--phone", "12345") == (2, "", "错误：电话: 不是有效的手机号或固定电话\n")
    assert cli("mediator", "add", "王芳", "--specialty", "noise")[0] == 2
    assert cli("mediator", "list")[1] == "", "a refused mediator is not half-saved"


# --- errors -----------------------------------------------------------------------------------------------------------------------------


def test_an_unknown_login_is_refused_in_chinese(cli):
    assert cli("--as", "nobody", "cases") == (2, "", "错误：用户名或密码错误\n"), "never says which of login/password was wrong"


def test_a_refused_import_lists_errors_on_stderr(cli, tmp_path):
    file = tmp_path / "bad.json"
    file.write_text(json.dumps({"format": "laopan.case/1", "cases": [{"source": "x"}]}), encoding="utf-8")
    code, out, err = cli("case", "import", str(file))
    assert (code, out) == (2, "")
    assert "cases[0].summary: 缺少必填项" in lines(err)
    assert lines(err)[-1].startswith("未保存任何内容（")


def test_a_missing_file_is_a_clean_chinese_error(cli, tmp_path):
    missing = tmp_path / "没有这个文件.json"
    code, out, err = cli("case", "import", str(missing))
    assert (code, out) == (2, "")
    assert err.startswith("错误：文件不存在：")
    assert str(missing) in err
    assert "Traceback" not in err and len(lines(err)) == 1


def test_invalid_json_names_line_and_column(cli, tmp_path):
    file = tmp_path / "broken.json"
    file.write_text('{\n  "format": "laopan.case/1",\n  "cases": [,]\n}\n', encoding="utf-8")
    code, out, err = cli("case", "import", str(file))
    assert (code, out) == (2, "")
    assert lines(err) == [f"错误：{file}: 不是有效的 JSON（第3行第13列：Expecting value）"]


# --- real processes -----------------------------------------------------------------------------------------------------------------------


def _launch(*args: str, data_dir: Path, input_bytes: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher", "--data-dir", str(data_dir), *args],
        stdin=subprocess.DEVNULL if input_bytes is None else None,
        input=input_bytes,
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )


@pytest.mark.slow
def test_the_console_script_runs_commands_without_waiting_for_input(tmp_path):
    data = tmp_path / "desk"
    init = _launch("init", data_dir=data)
    assert (init.returncode, init.stdout.decode().splitlines()[0]) == (0, "已初始化：东柳街道人民调解委员会，管理员 admin")
    imported = _launch("case", "import", str(FULL), data_dir=data)
    assert imported.returncode == 0
    assert imported.stdout.decode().split() == ["DL2026-00001", "DL2026-00002"]
    listing = _launch("cases", "--search", "张伟", data_dir=data)
    assert listing.returncode == 0
    assert [line.split("\t")[0] for line in listing.stdout.decode().splitlines()] == ["DL2026-00001"]
    refused = _launch("--as", "nobody", "cases", data_dir=data)
    assert refused.returncode == 2 and refused.stdout == b""
    assert "用户名或密码错误" in refused.stderr.decode()


@pytest.mark.slow
def test_import_from_standard_input_in_a_real_process(tmp_path):
    data = tmp_path / "desk"
    assert _launch("init", data_dir=data).returncode == 0
    empty = _launch("case", "import", "-", data_dir=data)
    assert empty.returncode == 2
    assert "不是有效的 JSON（第1行第1列" in empty.stderr.decode()
    piped = _launch("case", "import", "-", data_dir=data, input_bytes=FULL.read_bytes())
    assert (piped.returncode, piped.stdout.decode().split()) == (0, ["DL2026-00001", "DL2026-00002"])
