"""What the saved agreement looks like and what it still lacks: the preview of the real PDF's pages (in a scroll
area, with zoom) and the `CheckPanel` with what `check_agreement` says.

The PDF comes from `render_agreement` (the same bytes that are printed and exported), and pypdfium2 draws its
pages to bitmaps on the worker (`render_pages`), never on the GUI thread. The widget keeps the PDF so a zoom
change only draws the pages again (a read task, no new audit entry); until the sharper images arrive, the
current ones are scaled. pypdfium2 is imported when the first page is drawn, not at start-up.
"""

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontMetrics, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import DomainError
from laopan.services.actor import Actor
from laopan.validation import ValidationError
from ui.common import style
from ui.common.worker import TaskRunner

A4_WIDTH_PT = 595.28
FIT_WIDTH = 0.0  # the zoom combo's data for 适合宽度
ZOOMS = (FIT_WIDTH, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
PAGE_GAP = 12
RERENDER_MS = 200
AMBER = "#b26a00"
GREEN = "#2e7d32"
MISSING_GLYPH = "〓"  # the typesetter's mark for a character that cannot be set


@dataclass(frozen=True)
class PageImage:
    """One rendered page as plain bytes (built on the worker; turned into a QImage on the GUI thread)."""

    width: int
    height: int
    stride: int
    gray: bool
    data: bytes
    width_pt: float
    height_pt: float

    def to_qimage(self) -> QImage:
        fmt = QImage.Format.Format_Grayscale8 if self.gray else QImage.Format.Format_RGBX8888
        return QImage(self.data, self.width, self.height, self.stride, fmt).copy()  # copy: own the pixels


def render_pages(pdf: bytes, *, scale: float, pages: Sequence[int] | None = None, gray: bool = False) -> tuple[PageImage, ...]:
    """Draw pages of `pdf` at `scale` pixels per point (worker thread). All pages when `pages` is None."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    document = pdfium.PdfDocument(pdf)
    try:
        wanted = range(len(document)) if pages is None else pages
        images = []
        for index in wanted:
            page = document[index]
            try:
                width_pt, height_pt = page.get_size()
                if gray:
                    bitmap = page.render(scale=scale, force_bitmap_format=pdfium_raw.FPDFBitmap_Gray)
                else:
                    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
                images.append(PageImage(bitmap.width, bitmap.height, bitmap.stride, gray, bytes(bitmap.buffer),
                                        width_pt, height_pt))
                bitmap.close()
            finally:
                page.close()
        return tuple(images)
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def displayable(text: str, metrics: QFontMetrics) -> str:
    """`text` with characters the UI font cannot draw replaced by 〓 (the messages also name them as U+XXXX)."""
    return "".join(ch if ch in "\n\t" or metrics.inFontUcs4(ord(ch)) else MISSING_GLYPH for ch in text)


class AgreementPreview(QWidget):
    """The pages of one PDF, stacked in a scroll area; zoom 适合宽度 / 50–200 %.

    Signals:
        refresh_requested(): the user asked for a fresh preview (the owner saves if needed, then calls `render`).
        pages_shown(int): page images are on screen (their number).
        refused(str): the agreement could not be rendered; the message shown instead (naming the field).
    """

    refresh_requested = Signal()
    pages_shown = Signal(int)
    refused = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._group = f"agreement-preview-{id(self)}"
        self._case_id: int | None = None
        self._pdf: bytes | None = None
        self._images: list[QImage] = []
        self._sizes_pt: list[tuple[float, float]] = []
        self._rendered_scale = 0.0
        self._request = 0
        self.page_labels: list[QLabel] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RERENDER_MS)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        tr = self.tr
        self.zoom_combo = QComboBox()
        for zoom in ZOOMS:
            self.zoom_combo.addItem(tr("适合宽度") if zoom == FIT_WIDTH else f"{round(zoom * 100)}%", zoom)
        self.zoom_out_button = QPushButton("−")
        self.zoom_in_button = QPushButton("+")
        for button, tip in ((self.zoom_out_button, tr("缩小")), (self.zoom_in_button, tr("放大"))):
            button.setToolTip(tip)
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("+") + 24)
        self.refresh_button = QPushButton(tr("刷新预览"))
        self.refresh_button.setToolTip(tr("按已保存的内容重新生成协议书（记入操作日志）"))
        self.info_label = QLabel()
        self.info_label.setStyleSheet(f"color: {style.MUTED.name()};")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel(tr("预览")))
        bar.addWidget(self.info_label, 1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_combo)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.refresh_button)

        self._pages = QWidget()
        self._pages.setObjectName("previewPages")
        self._pages.setStyleSheet("#previewPages { background: #8a8f96; }")
        self._pages_layout = QVBoxLayout(self._pages)
        self._pages_layout.setSpacing(PAGE_GAP)
        self._pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self._pages)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMargin(16)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(self.scroll)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.show_message(tr("尚无协议书可预览"))

    def _connect_signals(self) -> None:
        self.zoom_combo.currentIndexChanged.connect(self._on_zoom_combo_changed)
        self.zoom_in_button.clicked.connect(self._on_zoom_in_button_clicked)
        self.zoom_out_button.clicked.connect(self._on_zoom_out_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self._timer.timeout.connect(self._on_timer_timeout)

    # ------------------------------------------------------------------ public

    @property
    def page_count(self) -> int:
        return len(self._images)

    @property
    def zoom(self) -> float:
        return float(self.zoom_combo.currentData())

    def set_zoom(self, zoom: float) -> None:
        index = self.zoom_combo.findData(zoom)
        if index >= 0:
            self.zoom_combo.setCurrentIndex(index)

    def target_scale(self) -> float:
        """Device pixels per PDF point for the chosen zoom (fit width uses the viewport's width)."""
        width_pt = max((w for w, _ in self._sizes_pt), default=A4_WIDTH_PT)
        if self.zoom == FIT_WIDTH:
            free = self.scroll.viewport().width() - 2 * PAGE_GAP - self.scroll.verticalScrollBar().sizeHint().width()
            points = max(free, 200) / width_pt
        else:
            points = self.zoom * self.logicalDpiX() / 72
        return points * self.devicePixelRatioF()

    def render(self, case_id: int) -> None:
        """Render the case's saved agreement (audited as a preview) and draw its pages, all on the worker."""
        actor, scale = self._actor, self.target_scale()
        self._case_id = case_id
        self.info_label.setText(self.tr("正在生成预览…"))
        self._runner.write(lambda s: render_preview(s, actor=actor, case_id=case_id, scale=scale),
                           on_done=lambda preview: self._on_previewed(case_id, preview),
                           on_error=lambda error: self._on_preview_failed(case_id, error))

    def _on_previewed(self, case_id: int, preview: "Preview") -> None:
        if case_id == self._case_id:
            self.set_pages(preview.pdf, preview.pages)

    def _on_preview_failed(self, case_id: int, error: BaseException) -> None:
        if case_id != self._case_id:
            return
        if isinstance(error, (DomainError, ValidationError)):
            self.show_message(refusal_text(error, self.tr("无法生成协议书")), error=True)
            self.refused.emit(self.message())
        else:
            self.show_message(self.tr("预览失败（程序错误），详见日志"), error=True)
            self._runner.task_error.emit(error)  # the window logs and shows unexpected errors once

    def set_pages(self, pdf: bytes, pages: Sequence[PageImage]) -> None:
        """Show the pages of `pdf` drawn on the worker (`render_pages` at about `target_scale()`)."""
        self._pdf = pdf
        self._runner.cancel(self._group)
        self._request += 1
        self._set_images(pages)
        self._schedule()  # sharper or smaller images if the zoom asks for another scale

    def show_message(self, text: str, *, error: bool = False, case_id: int | None = None) -> None:
        """Replace the pages by a message (no agreement yet, an oral agreement, a glyph problem, a failure)."""
        if case_id is not None:
            self._case_id = case_id  # a preview of another case still on its way is dropped
        self._runner.cancel(self._group)
        self._request += 1
        self._pdf = None
        self._set_images(())
        self.message_label.setText(displayable(text, self.message_label.fontMetrics()))
        self.message_label.setStyleSheet(style.ERROR_CSS if error else f"color: {style.MUTED.name()};")
        self.stack.setCurrentWidget(self.message_label)
        self.info_label.setText("")

    def set_stale(self, stale: bool) -> None:
        """Mark the pages as older than the editor's content."""
        if self._images:
            count = self.tr("共 %1 页").replace("%1", str(len(self._images)))
            self.info_label.setText(count + (self.tr("（内容已修改，请刷新预览）") if stale else ""))
            self.info_label.setStyleSheet(f"color: {AMBER if stale else style.MUTED.name()};")

    def message(self) -> str:
        return self.message_label.text() if self.stack.currentWidget() is self.message_label else ""

    # ------------------------------------------------------------------ showing

    def _set_images(self, pages: Sequence[PageImage]) -> None:
        self._images = [page.to_qimage() for page in pages]
        self._sizes_pt = [(page.width_pt, page.height_pt) for page in pages]
        self._rendered_scale = pages[0].width / pages[0].width_pt if pages else 0.0
        while len(self.page_labels) > len(self._images):
            label = self.page_labels.pop()
            self._pages_layout.removeWidget(label)
            label.deleteLater()
        while len(self.page_labels) < len(self._images):
            label = QLabel()
            label.setStyleSheet("background: white; border: 1px solid #5f646b;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._pages_layout.addWidget(label)
            self.page_labels.append(label)
        self._show_scaled()
        if self._images:
            self.stack.setCurrentWidget(self.scroll)
            self.set_stale(False)
            self.pages_shown.emit(len(self._images))

    def _show_scaled(self) -> None:
        """Show every page at the chosen zoom, scaling the drawn images if their scale differs."""
        scale, ratio = self.target_scale(), self.devicePixelRatioF()
        for label, image, (width_pt, height_pt) in zip(self.page_labels, self._images, self._sizes_pt, strict=True):
            width, height = round(width_pt * scale), round(height_pt * scale)
            pixmap = QPixmap.fromImage(image)
            if (pixmap.width(), pixmap.height()) != (width, height):
                pixmap = pixmap.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            label.setFixedSize(round(width / ratio) + 2, round(height / ratio) + 2)

    def _schedule(self) -> None:
        if self._pdf is not None:
            self._timer.start()

    def _render_again(self) -> None:
        scale = self.target_scale()
        if self._pdf is None or not self._images or abs(scale - self._rendered_scale) / scale < 0.05:
            return
        self._runner.cancel(self._group)
        self._request += 1
        request, pdf = self._request, self._pdf
        self._runner.read(lambda _session: render_pages(pdf, scale=scale), group=self._group,
                          on_done=lambda pages: self._on_rendered(request, pdf, pages))

    def _on_rendered(self, request: int, pdf: bytes, pages: tuple[PageImage, ...]) -> None:
        if request == self._request and pdf is self._pdf:
            stale = AMBER in self.info_label.styleSheet()
            self._set_images(pages)
            self.set_stale(stale)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._images and self.zoom == FIT_WIDTH:
            self._show_scaled()
            self._schedule()

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_zoom_combo_changed(self, _index: int) -> None:
        self.zoom_out_button.setEnabled(self.zoom_combo.currentIndex() > 1)
        self.zoom_in_button.setEnabled(self.zoom_combo.currentIndex() < self.zoom_combo.count() - 1)
        if self._images:
            self._show_scaled()
            self._schedule()

    @Slot()
    def _on_zoom_in_button_clicked(self) -> None:
        self._step_zoom(+1)

    @Slot()
    def _on_zoom_out_button_clicked(self) -> None:
        self._step_zoom(-1)

    def _step_zoom(self, step: int) -> None:
        """From 适合宽度, step to the nearest fixed zoom; then through the list."""
        current = self.zoom
        if current == FIT_WIDTH:
            points = self.target_scale() / self.devicePixelRatioF() / (self.logicalDpiX() / 72)
            fixed = [z for z in ZOOMS if z != FIT_WIDTH]
            current = min(fixed, key=lambda z: abs(z - points))
        index = self.zoom_combo.findData(current) + step
        self.zoom_combo.setCurrentIndex(min(max(index, 1), self.zoom_combo.count() - 1))

    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.refresh_requested.emit()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._render_again()


@dataclass(frozen=True)
class Preview:
    pdf: bytes
    pages: tuple[PageImage, ...]


def render_preview(session, *, actor, case_id: int, scale: float) -> Preview:
    """The saved agreement as PDF (audited as `agreement.preview`) and its pages drawn at `scale` (worker)."""
    from laopan.services.agreements import render_agreement

    pdf = render_agreement(session, actor=actor, case_id=case_id, fmt="pdf", purpose="preview")
    return Preview(pdf, render_pages(pdf, scale=scale))


def refusal_text(error: BaseException, what: str) -> str:
    """A refusal as lines naming each field; a missing glyph says what to do instead of printing a blank box."""
    errors = getattr(error, "errors", None)
    if not errors:
        return f"{what}：{error}"
    text = f"{what}：\n" + "\n".join(f"{e.field}：{e.message}" for e in errors)
    if any("字体缺字" in e.message for e in errors):
        text += "\n" + QCoreApplication.translate(
            "AgreementPreview", "以上字符没有任何内置字体能打印：请核对该项（如改用规范字并在备注中说明）后再预览、打印。")
    return text


# What a party error of the check asks for (its message) → the party editor's field that supplies it.
_PARTY_ERROR = re.compile(r"^当事人\[(\d+)\]")
_PARTY_FIX_FIELDS = (("身份证件号码", "id_number"), ("统一社会信用代码", "credit_code"), ("住址或联系电话", "phone"))


def party_fix_target(field: str, message: str) -> tuple[int, str] | None:
    """"当事人[2] 李四", "缺少身份证件号码" → (1, "id_number"): the party's 0-based index and the editor field to
    fill; None for an error that is not about a party's details."""
    match = _PARTY_ERROR.match(field)
    if match is None or int(match.group(1)) < 1:
        return None
    key = next((key for words, key in _PARTY_FIX_FIELDS if words in message), None)
    return (int(match.group(1)) - 1, key) if key is not None else None


class CheckPanel(QFrame):
    """What `check_agreement` says: missing elements in red, recommendations and doubtful words in amber.

    Signals:
        field_activated(str): the user clicked an error; the field it names (纠纷主要事实, 协议条款[2], …).
        party_fix_requested(int, str): the clicked error is a party's missing detail: the party's 0-based index
            and the party editor's field that supplies it ("id_number", "credit_code", "phone").
    """

    field_activated = Signal(str)
    party_fix_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title_label = QLabel()
        bold = self.title_label.font()
        bold.setBold(True)
        self.title_label.setFont(bold)
        self.body_label = QLabel()
        self.body_label.setWordWrap(True)
        self.body_label.setTextFormat(Qt.TextFormat.RichText)
        self.body_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.body_label, 1)
        self.errors: tuple[str, ...] = ()
        self._errors: tuple[ValidationError, ...] = ()
        self.warnings: tuple[str, ...] = ()
        self.body_label.linkActivated.connect(self._on_body_label_link_activated)
        self.set_note(self.tr("保存后显示协议要素检查"))

    def set_note(self, text: str) -> None:
        self.errors, self.warnings = (), ()
        self.title_label.setText(self.tr("协议要素检查"))
        self.title_label.setStyleSheet("")
        self.body_label.setText(f"<span style='color:{style.MUTED.name()}'>{html.escape(text)}</span>")

    def set_check(self, errors: Sequence[ValidationError], warnings: Sequence[str], *, finalised: bool = False,
                  may_number: bool = True) -> None:
        """`may_number`: whether this user may 定稿编号 (else a complete agreement waits for a supervisor)."""
        tr = self.tr
        self.errors = tuple(f"{error.field}：{error.message}" for error in errors)
        self._errors = tuple(errors)
        self.warnings = tuple(warnings)
        if errors:
            title = tr("须补全 %1 项才能定稿").replace("%1", str(len(errors)))
            colour = style.OVERDUE.name()
        else:
            ready = tr("要素齐全，可以定稿") if may_number else tr("要素齐全，待主任定稿编号")
            title, colour = (tr("已定稿") if finalised else ready), GREEN
        if warnings:
            title += tr("；%1 项提示").replace("%1", str(len(warnings)))
        self.title_label.setText(title)
        self.title_label.setStyleSheet(f"color: {colour};")
        lines = [
            # "#n" tells two errors of one party apart (its ID and its address, say)
            f"<a href='{html.escape(error.field, quote=True)}#{number}' style='color:{style.OVERDUE.name()}; text-decoration:none'>"
            f"✖ {html.escape(line)}</a>"
            for number, (error, line) in enumerate(zip(errors, self.errors, strict=True))
        ]
        lines += [f"<span style='color:{AMBER}'>⚠ {html.escape(line)}</span>" for line in warnings]
        self.body_label.setText("<br>".join(lines))

    @Slot(str)
    def _on_body_label_link_activated(self, link: str) -> None:
        field, _, number = link.rpartition("#") if "#" in link else (link, "", "")
        self.field_activated.emit(field)
        if number.isdigit() and int(number) < len(self._errors):
            target = party_fix_target(field, self._errors[int(number)].message)
            if target is not None:
                self.party_fix_requested.emit(*target)
