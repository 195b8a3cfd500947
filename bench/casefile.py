"""The case file in bulk (issue 14): the whole 卷宗 of a 12-clause case as one PDF, and a month's agreements
exported one PDF each, on the 100k-case demo. Run standalone: `python -m bench.casefile .bench/demo-100000-1.db`.

Everything runs in a unit of work that is rolled back at the end (the 12 clauses are put on a demo agreement and the
audit entries the prints write are discarded), so the cached database stays as the demo built it. The floor of the
month export is the bare `render_pdf` of the same agreements' content models (no database, no audit, no check).
"""

import collections
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from laopan.clock import FixedClock

CLOCK = FixedClock(dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC))
CLAUSE = ("被申请人于2026年12月{n}日前以银行转账方式向申请人支付第{n}期赔偿款人民币壹仟元整（￥1000.00），"
          "收款账户为中国农业银行宁波东柳支行6228480329876543210，逾期未付的，按日加付万分之五。")


def _packet(session: Session, desk) -> tuple[float, int, int]:
    """(seconds, pages, parts) for the packet of a settled case given 12 clauses (best of 3)."""
    from laopan.models import Agreement, Case
    from laopan.models.enums import AgreementKind, CaseStatus
    from laopan.services.packet import packet_parts, render_packet

    agreement = session.execute(
        select(Agreement).join(Case, Case.id == Agreement.case_id).where(
            Agreement.kind == AgreementKind.WRITTEN.value, Agreement.finalised_at.is_not(None),
            Agreement.superseded_at.is_(None), Case.status.in_((CaseStatus.SETTLED.value, CaseStatus.CLOSED.value)))
        .order_by(Agreement.id.desc()).limit(1)).scalar_one()
    agreement.clauses = [CLAUSE.format(n=n) for n in range(1, 13)]
    agreement.clause_specs = []
    session.flush()
    times, pages = [], 0
    for _ in range(3):
        started = time.perf_counter()
        data = render_packet(session, actor=desk.actor, case_id=agreement.case_id)
        times.append(time.perf_counter() - started)
        pages = _page_count(data)
    parts = len(packet_parts(session, actor=desk.actor, case_id=agreement.case_id))
    return min(times), pages, parts


def _page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(data))


def _month(session: Session, desk) -> tuple[str, int, float, float, list[float]]:
    """(month, agreements, seconds ours, seconds floor, per-item ms) for the busiest month's export."""
    from laopan.services.batch_printing import agreements_signed, render_item
    from laopan.services.packet import merge_pdfs

    everything = agreements_signed(session, actor=desk.actor, first=dt.date(2000, 1, 1), last=dt.date(2100, 1, 1))
    month = collections.Counter(i.signed_on.replace(day=1) for i in everything if i.kind == "written").most_common(1)[0][0]
    items = [i for i in everything if i.signed_on.replace(day=1) == month]
    per_item, pdfs = [], []
    started = time.perf_counter()
    for item in items:
        t = time.perf_counter()
        pdfs.append(render_item(session, actor=desk.actor, item=item, what="agreement"))
        per_item.append((time.perf_counter() - t) * 1000)
    merge_pdfs(pdfs)
    ours = time.perf_counter() - started
    return month.strftime("%Y-%m"), len(items), ours, _floor(session, desk, items), per_item


def _floor(session: Session, desk, items) -> float:
    """Bare render_pdf of the same agreements' content models, built beforehand (not timed)."""
    import dataclasses

    from laopan.documents import agreement_document, render_pdf
    from laopan.models import Agreement, Committee
    from laopan.services.agreements import agreement_view
    from laopan.services.cases import build_detail, load_case

    committee = session.get(Committee, desk.actor.committee_id).name
    documents = []
    for item in items:
        if item.kind != "written":
            continue
        agreement = session.execute(select(Agreement).where(Agreement.case_id == item.case_id,
                                                            Agreement.superseded_at.is_(None))).scalar_one()
        detail = build_detail(session, actor=desk.actor, case=load_case(session, actor=desk.actor, case_id=item.case_id), reveal=True)
        documents.append(agreement_document(dataclasses.replace(detail, agreement=agreement_view(session, agreement)), committee))
    started = time.perf_counter()
    for document in documents:
        render_pdf(document)
    return time.perf_counter() - started


def run_casefile(db_path: Path) -> list[str]:
    """The report lines."""
    from laopan.desk import open_desk
    from laopan.storage import make_engine
    from laopan.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    desk = open_desk(engine=engine, login="admin", clock=CLOCK)
    lines = []
    with Session(engine) as session:
        try:
            seconds, pages, parts = _packet(session, desk)
            lines.append(f"{'packet, 12-clause case':<34} {seconds * 1000:>9.0f} ms  ({parts} papers after the cover, "
                         f"{pages} pages; best of 3)")
            month, count, ours, floor, per_item = _month(session, desk)
            lines.append(f"{f'agreements of {month} ({count})':<34} {ours:>9.1f} s   floor {floor:.1f} s "
                         f"({ours / floor:.2f}×); per agreement p50 {statistics.median(per_item):.0f} ms, "
                         f"max {max(per_item):.0f} ms (render + check + audit; floor: bare render_pdf)")
        finally:
            session.rollback()
    engine.dispose()
    return lines


if __name__ == "__main__":
    for line in run_casefile(Path(sys.argv[1] if len(sys.argv) > 1 else ".bench/demo-100000-1.db")):
        print(line)
