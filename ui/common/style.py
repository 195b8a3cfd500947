"""Colours the window uses to mark levels, deadlines and errors. Colour always comes with text (DESIGN §8)."""

from PySide6.QtGui import QColor

from laopan.models.enums import CaseStatus, Level

LEVEL_COLOURS: dict[str, QColor] = {
    Level.GRID.value: QColor("#2e7d32"),
    Level.COMMUNITY.value: QColor("#1565c0"),
    Level.STREET.value: QColor("#6a1b9a"),
}
OVERDUE = QColor("#c62828")
DUE_SOON = QColor("#d84315")
MUTED = QColor("#757575")
ERROR_CSS = "color: #c62828;"

def due_colour(days_left: int | None, due_soon: bool) -> QColor | None:
    """Red when overdue, orange when the service says the case is due soon (the committee's window)."""
    if days_left is not None and days_left < 0:
        return OVERDUE
    return DUE_SOON if due_soon else None


def badge_css(colour: QColor | None) -> str:
    """A small rounded label in the given colour (used in the detail header)."""
    if colour is None:
        return "padding: 1px 6px; border: 1px solid #9e9e9e; border-radius: 3px;"
    return f"padding: 1px 6px; border: 1px solid {colour.name()}; border-radius: 3px; color: {colour.name()};"


STATUS_COLOURS: dict[str, QColor] = {
    CaseStatus.REGISTERED.value: QColor("#546e7a"),
    CaseStatus.ACCEPTED.value: QColor("#00838f"),
    CaseStatus.MEDIATING.value: QColor("#283593"),
    CaseStatus.SETTLED.value: QColor("#2e7d32"),
    CaseStatus.TERMINATED.value: QColor("#8d6e63"),
    CaseStatus.REJECTED.value: QColor("#ad1457"),
    CaseStatus.CLOSED.value: QColor("#757575"),
}


def status_colour(code: str | None) -> QColor | None:
    """A case status's colour; always shown beside its Chinese label, never alone."""
    return STATUS_COLOURS.get(code or "")
