"""Ledger import: a generated 20,000-row 台账 (.xlsx) read, checked row by row through the intake rules, and
written in bulk — beside `demo`'s Core bulk insert of the same number of cases into a copy of the same template."""

import datetime as dt
import shutil
import time
from pathlib import Path

from laopan.clock import Clock
from bench import bench_desk
from laopan.storage import make_engine

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADERS = ["序号", "受理日期", "申请人", "申请人身份证号", "申请人电话", "被申请人", "纠纷类型", "社区", "纠纷简要情况",
           "调解结果", "协议金额（元）", "调解员", "协议书编号"]
TYPES = ("邻里纠纷", "婚姻家庭纠纷", "交通事故", "物业纠纷", "劳资纠纷", "合同纠纷", "损害赔偿")
COMMUNITIES = ("安居", "东海花园", "东柳坊", "华光城", "华侨城", "锦苑", "太古城", "幸福苑", "园丁", "月季", "中兴")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _id(n: int) -> str:
    first17 = f"330212{1950 + n % 50}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W)) % 11]


def _name(n: int) -> str:
    return SURNAMES[n % 20] + GIVEN[(n // 20) % 22] + GIVEN[(n // 440) % 22]


def write_ledger(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    # An ordinary save, as Excel writes a ledger (a size record, shared strings); openpyxl's streaming writer
    # leaves both out and makes reading the file ~50 % slower than any file a centre would bring.
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(HEADERS)
    start = dt.datetime(2016, 1, 1)
    for n in range(1, rows + 1):
        sheet.append([n, start + dt.timedelta(days=n * 3650 // rows), _name(n), _id(n) if n % 3 else None,
                      f"13{n % 10}{n:08d}"[:11], _name(n * 7 + 3), TYPES[n % len(TYPES)], COMMUNITIES[n % 11],
                      f"第{n}号：双方因{TYPES[n % len(TYPES)][:-2]}事项发生争执，经调解。", ("调解成功", "调解中", "不成功")[n % 3],
                      f"{(n % 50 + 1) * 1000}", "潘明杰" if n % 2 else "潘小", None])
    book.save(path)


def measure_ledger(template: Path, workdir: Path, *, rows: int, clock: Clock) -> dict[str, float]:
    """Seconds to read, check and write a `rows`-row ledger into a copy of `template` (one transaction)."""
    from laopan.ledger.importing import import_ledger, plan_import
    from laopan.ledger.mapping import guess_mapping
    from laopan.ledger.reading import read_table

    xlsx, db = workdir / f"ledger-{rows}.xlsx", workdir / "ledger-import.db"
    if not xlsx.exists():
        write_ledger(xlsx, rows)
    db.unlink(missing_ok=True)
    shutil.copyfile(template, db)
    engine = make_engine(f"sqlite:///{db}")
    desk = bench_desk(engine, clock=clock)
    started = time.perf_counter()
    table = read_table(xlsx)
    read = time.perf_counter()
    with desk.session() as session:
        plan = plan_import(session, actor=desk.actor, table=table, mapping=guess_mapping(table))
        checked = time.perf_counter()
        report = import_ledger(session, actor=desk.actor, plan=plan)
        written = time.perf_counter()
    committed = time.perf_counter()
    engine.dispose()
    db.unlink(missing_ok=True)
    assert len(report.imported) == rows, (len(report.imported), plan.errors[:3])
    return {"read": read - started, "check": checked - read, "write": committed - checked, "total": committed - started,
            "bulk_write_only": written - checked}
