"""Excel ledgers the ledger import and export tests build: the header row, valid resident IDs, rows, files."""

import datetime as dt

from openpyxl import Workbook

HEADERS = ["序号", "受理日期", "申请人", "申请人身份证号", "申请人电话", "被申请人", "纠纷类型", "社区", "纠纷简要情况",
           "调解结果", "协议金额（元）", "调解员", "协议书编号"]
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W)) % 11]


GOOD_ID = make_id("33021219650102003")


def ledger_row(n: int) -> list:
    return [n, dt.datetime(2025, 3, 1) + dt.timedelta(days=n % 200), f"申请{n:03d}", GOOD_ID if n % 2 else None,
            f"138{n:08d}", f"被申{n:03d}", ("邻里纠纷", "婚姻家庭纠纷", "交通事故", "物业纠纷", "劳资纠纷")[n % 5],
            ("安居", "华光城", "锦苑")[n % 3], f"第{n}号台账纠纷：双方因琐事争执。", ("调解成功", "调解中", "不成功")[n % 3],
            "1.2万" if n % 4 == 0 else "12,000.00元", "潘明杰", None]


def write_xlsx(path, rows, headers=HEADERS, title=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


BAD_ROWS = (11, 51, 151)  # as Excel numbers them: the header is row 1


def ledger_200_with_3_bad_rows(path):
    """200 rows of which rows 11 (unknown dispute type), 51 (ID checksum) and 151 (no such month) are wrong."""
    rows = [ledger_row(n) for n in range(1, 201)]
    rows[9][6] = "打架斗殴"
    rows[49][3] = "330212196501020031"
    rows[149][1] = "2025年13月5日"
    return write_xlsx(path, rows)
