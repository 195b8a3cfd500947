"""Every agreement signed on a day or in a month (`laopan doc agreements`): one PDF each into a folder or all in
one PDF, each audited like a single export; superseded and other months' agreements left out."""

import datetime as dt

import pdfplumber
from sqlalchemy import select

from laopan.errors import ValidationError
from laopan.models import Agreement, AuditEntry
from laopan.services.batch_printing import agreements_signed, month_range
from tests.helpers.casefile import effective_case


def signed(desk, day: dt.date) -> int:
    """A settled case whose agreement is recorded as signed on `day` (as an import of past agreements stores it)."""
    case_id = effective_case(desk)
    with desk.session() as session:
        for agreement in session.execute(select(Agreement).where(Agreement.case_id == case_id)).scalars():
            agreement.signed_on = day
    return case_id


def test_a_month_of_agreements_one_file_each_audited(desk, clock, cli, tmp_path):
    november = [signed(desk, dt.date(2026, 11, day)) for day in (3, 27)]
    signed(desk, dt.date(2026, 10, 31))
    code, out, err = cli("doc", "agreements", "--month", "2026-11", "--dir", str(tmp_path / "out"))
    assert code == 0 and "已生成2份协议书" in err
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 2 and all(f.name.startswith("协议书_") and f.suffix == ".pdf" for f in files)
    assert not list((tmp_path / "out").glob("*.part"))
    for f in files:
        with pdfplumber.open(f) as pdf:
            assert "人民调解协议书" in pdf.pages[0].extract_text().replace(" ", "")
    with desk.session() as session:
        audited = session.execute(select(AuditEntry.entity_id).where(AuditEntry.action == "agreement.export")).scalars().all()
    assert sorted(audited) == sorted(november)


def test_a_day_into_one_pdf_and_an_empty_day(desk, clock, cli, tmp_path):
    effective_case(desk, signed_on=dt.date(2026, 11, 27))
    effective_case(desk, signed_on=dt.date(2026, 11, 27))
    code, _, err = cli("doc", "agreements", "--day", "2026-11-27", "--one-pdf", str(tmp_path / "all.pdf"))
    assert code == 0 and "2份协议" in err
    with pdfplumber.open(tmp_path / "all.pdf") as pdf:
        firsts = [p for p in pdf.pages if p.extract_text().replace(" ", "").startswith("人民调解协议书")]
    assert len(firsts) == 2
    code, _, err = cli("doc", "agreements", "--day", "2026-11-26", "--dir", str(tmp_path / "none"))
    assert code == 0 and "没有签订的协议" in err


def test_the_period_is_read_as_typed(desk):
    assert month_range("2028-02") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    try:
        month_range("2028/02")
    except ValidationError as exc:
        assert exc.field == "--month"
    with desk.reading() as session:
        assert agreements_signed(session, actor=desk.actor, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31)) == []
