"""One date style on screen: "2026-12-04" and "2026-12-04 09:30" through laopan.labels, the style the date pickers
type; documents keep 2026年12月4日. No ui/ module formats a date or time for display by itself."""

import datetime as dt
import re
from pathlib import Path

from laopan.labels import date_text, instant_text

UI = Path(__file__).resolve().parents[2] / "ui"
FORMATTING = re.compile(r"strftime|isoformat\(\)|format_date_cn|toString\(|:%[YymdHM]")

# (module, a piece of the line): why it may format a date itself.
ALLOWED = {
    ("cases/intake_dialog.py", '"received_at": self._received_at().isoformat()'): "the interchange data saved, not shown",
    ("liaison/intake_dialog.py", '"referred_at": self.referred_at().isoformat()'): "the interchange data saved, not shown",
    ("liaison/intake_dialog.py", "data[key] = value.isoformat()"): "the interchange data saved, not shown",
    ("common/party_editor.py", "resident.birth_date.isoformat()"): "an editor's value, read back with fromisoformat",
    ("common/incident.py", ":%Y%m%d}"): "an error reference number (E20261204-1a2b), not a date to read",
    ("cases/ledger_export.py", "format_date_cn"): "the exported file's name (台账_2026年12月4日.xlsx), document style",
    ("cases/corrections.py", "value.isoformat() if isinstance(value, dt.date)"): "an editor's value, read back with fromisoformat",
    ("cases/model.py", "row.received_on.isoformat()"): "already the screen style; model.py is being reworked by the search branch",
    ("cases/model.py", "format_date_cn"): "the 期限 tooltip; model.py is being reworked by the search branch (switch to date_text on merge)",
}


def test_the_screen_formats_dates_one_way():
    assert date_text(dt.date(2026, 12, 4)) == "2026-12-04"
    assert date_text(None) == ""
    at = dt.datetime(2026, 12, 4, 1, 30, tzinfo=dt.UTC)
    assert instant_text(at, "Asia/Shanghai") == "2026-12-04 09:30"
    assert instant_text(None, "Asia/Shanghai") == ""


def test_no_ui_module_formats_a_date_for_display_by_itself():
    found = []
    for path in sorted(UI.rglob("*.py")):
        module = path.relative_to(UI).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith("#") or not FORMATTING.search(line):
                continue
            if not any(module == allowed and piece in line for allowed, piece in ALLOWED):
                found.append(f"ui/{module}:{number}: {line.strip()}")
    assert found == [], "format dates with laopan.labels.date_text / instant_text:\n" + "\n".join(found)
