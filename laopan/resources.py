"""The one way to find a file shipped in `resources/` (fonts, icons, stylesheets).

In a checkout the files sit in `<repo>/resources`; in an installed wheel they are mapped into
`laopan/_resources`; in a frozen build they sit next to the executable under `resources`.
"""

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def root() -> Path:
    """The directory holding the resources, wherever the app was installed from."""
    candidates = [_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "resources")
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError("找不到程序资源目录 resources/（安装不完整？）")


def path(relative: str) -> Path:
    """Absolute path of `relative` (e.g. "fonts/wqy-microhei.ttc"); raises if it is missing."""
    result = root() / relative
    if not result.exists():
        raise FileNotFoundError(f"缺少程序资源文件：{relative}")
    return result


MAIN_FONT = "fonts/wqy-microhei.ttc"
# The Song face documents are set in: a subset of AR PL UMing CN (tools/subset_body_font.py).
BODY_FONT = "fonts/uming-gb.ttf"
# CJK Extension A and the Extension B name characters the main font lacks (tools/subset_fallback_font.py).
FALLBACK_FONT = "fonts/hanamin-ext.ttf"
