"""Paths, desk settings, committee settings and shipped resources (DESIGN §2 "Settings", "Paths and settings")."""

import json
import os
from pathlib import Path

import pydantic
import pytest

import laopan
from laopan import paths, resources
from laopan.settings import ENV_DATABASE_URL, CommitteeSettings, DeskSettings, database_url, load_desk, save_desk
from tests.helpers.accounts import TEST_PASSWORD

# --- paths ---------------------------------------------------------------------------------------------


def test_the_environment_names_the_data_dir(_isolated_paths):
    assert paths.data_dir() == _isolated_paths.resolve()
    assert paths.database_file() == _isolated_paths.resolve() / "laopan.db"
    assert paths.settings_file() == _isolated_paths.resolve() / "settings.json"


def test_configure_wins_over_the_environment_and_none_returns_to_it(_isolated_paths, tmp_path):
    chosen = tmp_path / "desk-data"
    paths.configure(chosen)
    assert paths.data_dir() == chosen.resolve()
    assert not chosen.exists(), "asking for a path creates nothing (a mistyped --data-dir leaves no folder)"
    assert paths.database_file().parent == chosen.resolve()
    paths.configure(None)
    assert paths.data_dir() == _isolated_paths.resolve()


def test_without_configure_or_environment_the_platform_dir_is_used(monkeypatch, tmp_path):
    platform_dir = tmp_path / "platform" / "laopan"
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    monkeypatch.setattr(paths.platformdirs, "user_data_dir", lambda name, appauthor=None: str(platform_dir))
    assert paths.data_dir() == platform_dir
    assert not platform_dir.exists(), "created by whoever first writes there, not by asking"


def test_backups_exports_and_logs_live_in_the_data_dir(_isolated_paths):
    base = _isolated_paths.resolve()
    for directory, name in ((paths.backups_dir(), "backups"), (paths.exports_dir(), "exports"), (paths.logs_dir(), "logs")):
        assert directory == base / name
        assert directory.is_dir()


# --- desk settings ---------------------------------------------------------------------------------------


def test_desk_settings_round_trip_and_keep_chinese_readable(_isolated_paths):
    settings = DeskSettings(committee="东柳街道人民调解委员会", current_user="潘明杰", database_url="sqlite:////srv/老潘/laopan.db")
    save_desk(settings)
    text = paths.settings_file().read_text(encoding="utf-8")
    assert "东柳街道人民调解委员会" in text and "潘明杰" in text, "saved as readable text, not \\u escapes"
    assert json.loads(text)["current_user"] == "潘明杰"
    assert load_desk() == settings


def test_saving_replaces_the_file_and_leaves_no_temporary_files(_isolated_paths):
    save_desk(DeskSettings(current_user="admin"))
    first_inode = paths.settings_file().stat().st_ino
    save_desk(DeskSettings(current_user="潘明杰"))
    assert paths.settings_file().stat().st_ino != first_inode, "a new file is moved into place, not rewritten"
    assert load_desk().current_user == "潘明杰"
    assert sorted(p.name for p in paths.data_dir().iterdir()) == ["settings.json"]


def test_a_failed_save_keeps_the_previous_settings_and_no_temporary_file(_isolated_paths, monkeypatch):
    save_desk(DeskSettings(current_user="admin"))

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(os, "fsync", disk_full)
        save_desk(DeskSettings(current_user="潘明杰"))
    assert load_desk().current_user == "admin"
    assert sorted(p.name for p in paths.data_dir().iterdir()) == ["settings.json"]


def test_save_to_an_explicit_path_creates_its_directory(tmp_path):
    target = tmp_path / "elsewhere" / "desk.json"
    save_desk(DeskSettings(committee="东柳街道人民调解委员会"), target)
    assert load_desk(target).committee == "东柳街道人民调解委员会"


def test_missing_settings_file_gives_defaults(_isolated_paths):
    assert not paths.settings_file().exists()
    assert load_desk() == DeskSettings()


def test_a_settings_file_from_a_newer_desk_still_loads(_isolated_paths):
    paths.settings_file().write_text(
        json.dumps({"current_user": "潘明杰", "ribbon_colour": "red"}, ensure_ascii=False), encoding="utf-8"
    )
    assert load_desk().current_user == "潘明杰"


# --- database URL precedence -----------------------------------------------------------------------------


def test_database_url_defaults_to_the_sqlite_file_in_the_data_dir(_isolated_paths):
    assert database_url() == f"sqlite:///{_isolated_paths.resolve() / 'laopan.db'}"


def test_the_desk_setting_wins_over_the_default(_isolated_paths):
    save_desk(DeskSettings(database_url="sqlite:////srv/shared/laopan.db"))
    assert database_url() == "sqlite:////srv/shared/laopan.db"
    assert database_url(DeskSettings(database_url="sqlite:////other.db")) == "sqlite:////other.db"


def test_the_environment_wins_over_the_desk_setting(_isolated_paths, monkeypatch):
    save_desk(DeskSettings(database_url="sqlite:////srv/shared/laopan.db"))
    monkeypatch.setenv(ENV_DATABASE_URL, "postgresql+psycopg://laopan@192.0.2.10/laopan")
    assert database_url() == "postgresql+psycopg://laopan@192.0.2.10/laopan"
    assert database_url(DeskSettings(database_url="sqlite:////other.db")) == "postgresql+psycopg://laopan@192.0.2.10/laopan"


# --- committee settings ----------------------------------------------------------------------------------


def test_committee_defaults_follow_the_design():
    settings = CommitteeSettings()
    assert settings.time_zone == "Asia/Shanghai"
    assert settings.intake_no_format.format(year=2026, seq=1) == "DL2026-00001"
    assert settings.agreement_no_format.format(year=2026, seq=87) == "（2026）东柳人调字第087号"
    assert (settings.mediation_days, settings.referral_first_contact_hours, settings.referral_feedback_days) == (30, 24, 5)
    assert settings.judicial_confirmation_days == 30


def test_a_number_format_without_seq_is_refused():
    with pytest.raises(pydantic.ValidationError, match=r"编号格式必须包含 \{year\} 和 \{seq\}"):
        CommitteeSettings(intake_no_format="DL{year}")


def test_a_number_format_with_an_unknown_field_is_refused():
    with pytest.raises(pydantic.ValidationError, match=r"编号格式只能使用 \{year\} 和 \{seq\}"):
        CommitteeSettings(agreement_no_format="（{year}）{month}第{seq:03d}号")


def test_a_number_format_without_year_is_refused():
    """Sequences restart every year, so a yearless format would hand out DL-00001 again next January
    (and the unique constraint would then crash the registration)."""
    with pytest.raises(pydantic.ValidationError, match=r"\{year\}"):
        CommitteeSettings(intake_no_format="DL-{seq:05d}")
    with pytest.raises(pydantic.ValidationError, match=r"\{year\}"):
        CommitteeSettings(agreement_no_format="东柳人调字第{seq:03d}号")


def test_committee_settings_refuse_unknown_keys_and_out_of_range_deadlines():
    with pytest.raises(pydantic.ValidationError):
        CommitteeSettings.model_validate({"mediation_dayz": 30})
    with pytest.raises(pydantic.ValidationError):
        CommitteeSettings(mediation_days=0)


# --- resources -------------------------------------------------------------------------------------------


def test_the_bundled_font_and_its_licence_are_found():
    font = resources.path(resources.MAIN_FONT)
    assert font.is_absolute() and font.is_file()
    assert font.name == "wqy-microhei.ttc"
    assert font.stat().st_size > 1_000_000
    assert font.read_bytes()[:4] == b"ttcf", "a TrueType collection"
    assert resources.path("fonts/wqy-microhei.COPYING").is_file()


def test_a_missing_resource_raises_a_chinese_error():
    with pytest.raises(FileNotFoundError) as info:
        resources.path("fonts/no-such-font.ttf")
    assert str(info.value) == "缺少程序资源文件：fonts/no-such-font.ttf"


def test_resources_come_from_the_checkout_when_not_installed():
    checkout = Path(laopan.__file__).resolve().parents[1]
    assert resources.root() in (checkout / "resources", checkout / "laopan" / "_resources")


def test_setting_up_a_desk_creates_the_committee_and_remembers_its_administrator(tmp_path):
    from laopan.desk import open_desk, set_up_desk
    from laopan.settings import load_desk
    from laopan.storage import make_engine
    from laopan.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'first.db'}")
    upgrade(engine)
    info = set_up_desk(engine, committee="西湖街道人民调解委员会", admin_name="王主任", admin_password=TEST_PASSWORD)
    assert (load_desk().committee, load_desk().current_user) == ("西湖街道人民调解委员会", "admin")
    desk = open_desk(engine=engine, password=TEST_PASSWORD)
    assert (desk.committee_name, desk.actor.display_name, info.name) == ("西湖街道人民调解委员会", "王主任", "西湖街道人民调解委员会")
    engine.dispose()
