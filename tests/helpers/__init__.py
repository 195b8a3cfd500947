"""What the tests share: databases on either engine, scenario builders, window helpers, the log check.

Test modules import from here (`from tests.helpers.scenarios import register`), never from each other."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
