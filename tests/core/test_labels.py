"""Every code a user can meet reads in Chinese, and deadlines read the same in the CLI and the window."""

import datetime as dt
from enum import StrEnum

import pytest

from laopan import labels
from laopan.models.enums import DISPUTE_TYPES, SOURCES, CaseStatus, Level, MediatorUnit, RiskFlag
from laopan.models.decisions import Destination, RecusalOutcome, TerminationReason

HAN = range(0x4E00, 0xA000)


def _is_chinese(text: str) -> bool:
    return any(ord(char) in HAN for char in text)


def test_every_code_list_is_labelled_including_the_workflow_ones():
    enums = set(labels.labelled_enums())
    assert {Level, CaseStatus, RiskFlag, TerminationReason, Destination, RecusalOutcome} <= enums
    assert len(enums) >= 19


@pytest.mark.parametrize("enum", labels.labelled_enums(), ids=lambda enum: enum.__name__)
def test_every_code_of_every_list_has_a_chinese_label(enum: type[StrEnum]):
    for member in enum:
        text = labels.label(member)
        assert text and text != member.value and _is_chinese(text), member
        assert labels.label(enum, member.value) == text
    assert [code for _, code in labels.choices(enum)] == [member.value for member in enum]


def test_sources_and_dispute_types_have_chinese_defaults():
    assert all(_is_chinese(labels.source_label(code)) for code in SOURCES)
    assert all(_is_chinese(labels.dispute_type_label(code)) for code in DISPUTE_TYPES)
    assert labels.source_label("police_referral") == "公安机关移交"


def test_the_same_code_reads_by_its_own_list():
    assert labels.label(Level, "street") == "街道"
    assert labels.label(MediatorUnit, "street") == "街道调解中心"
    assert labels.label(Level.STREET) == "街道"


def test_missing_codes_read_empty_and_unknown_codes_read_as_themselves():
    assert labels.label(Level, None) == ""
    assert labels.label(Level, "") == ""
    assert labels.label(Level, "province") == "province"
    assert labels.source_label(None) == ""


@pytest.mark.parametrize(("days", "text"), [(-2, "逾期2天"), (0, "今天到期"), (3, "剩3天"), (None, "")])
def test_days_left_text(days, text):
    assert labels.days_left_text(days) == text


def test_time_left_text_reads_in_minutes_hours_and_days():
    now = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    assert labels.time_left_text(now + dt.timedelta(seconds=20), now) == "剩1分钟"
    assert labels.time_left_text(now + dt.timedelta(hours=47, minutes=59), now) == "剩47小时"
    assert labels.time_left_text(now - dt.timedelta(days=48, hours=1), now) == "逾期48天"
    assert labels.time_left_text(None, now) == ""
