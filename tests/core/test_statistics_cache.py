"""The monthly report reads the committee's dictionary labels once per desk, and still shows a change as soon as
it is committed (laopan.services.cached) — a rolled-back change never shows."""

import pytest

from laopan.services import reports as R
from laopan.services import statistics as S
from laopan.services.dictionaries import add_entry


def _type_labels(desk) -> list[str]:
    with desk.reading() as session:
        report = R.monthly_report(session, actor=desk.actor, when=S.month(2026, 11))
    return [row.label for row in report.rows]


def test_a_committed_dictionary_entry_shows_in_the_next_report_and_a_rolled_back_one_never(desk):
    before = _type_labels(desk)
    assert "校园安全纠纷" not in before

    with pytest.raises(RuntimeError), desk.session() as session:
        add_entry(session, actor=desk.actor, kind="dispute_type", name="校园安全纠纷", code="school_safety")
        raise RuntimeError("取消")
    assert _type_labels(desk) == before

    with desk.session() as session:
        add_entry(session, actor=desk.actor, kind="dispute_type", name="校园安全纠纷", code="school_safety")
    assert _type_labels(desk) == [*before, "校园安全纠纷"]
