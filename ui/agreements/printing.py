"""Printing the 人民调解协议书: the real PDF's pages, drawn by pypdfium2 at the printer's resolution.

Qt Essentials has no PDF renderer (QtPdf is in the 175 MB Addons wheel, PITFALLS.md), so each page is drawn to a
grayscale bitmap by pypdfium2 on the worker — one page at a time, so memory stays at one page — and painted onto
the QPrinter on the GUI thread. The resolution is the printer's, capped at 600 dpi (a 600 dpi A4 page is 35 MB of
gray) and at 300 dpi when "printing" to a PDF file. When the output is a PDF file, the page's text (positions
from PDFium) is also written under each image, so the file can be searched and copied from like the original.

Copies: the dialog opens with one copy per party plus one for the committee (DESIGN §4). When the printer
cannot make copies itself (`supportsMultipleCopies()` is false, e.g. PDF output), the job repeats the pages.
"""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, QRectF, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QHBoxLayout, QPushButton, QWidget

from laopan import paths
from laopan.errors import DomainError
from laopan.security.permissions import Action, refusal
from laopan.services.actor import Actor
from laopan.services.agreements import render_agreement
from laopan.validation import ValidationError
from ui.agreements.preview import PageImage, page_count, refusal_text, render_pages
from ui.common.worker import TaskRunner

MAX_PRINT_DPI = 600
PDF_FILE_DPI = 300
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class TextRun:
    """A run of text on one line, in PDF points (origin bottom-left)."""

    left: float
    bottom: float
    right: float
    top: float
    text: str


@dataclass(frozen=True)
class PrintPage:
    image: PageImage
    runs: tuple[TextRun, ...]


def prepare_printer(copies: int, *, document_name: str, printer: QPrinter | None = None) -> QPrinter:
    """A printer for the agreement: A4 portrait, the PDF's own margins (full page), `copies` copies, collated."""
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(document_name)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setCopyCount(max(1, copies))
    printer.setCollateCopies(True)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    return printer


def print_dialog(printer: QPrinter, parent: QWidget | None = None) -> QPrintDialog:
    """The system print dialog over `printer` (copies already preset); the caller opens it."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(dialog.tr("打印人民调解协议书"))
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(option.PrintToFile | option.PrintPageRange | option.PrintCollateCopies | option.PrintShowPageSize)
    return dialog


def raster_dpi(printer: QPrinter) -> int:
    cap = PDF_FILE_DPI if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat else MAX_PRINT_DPI
    return max(POINTS_PER_INCH, min(printer.resolution(), cap))


def page_sequence(pages: int, *, copies: int, collate: bool, first: int = 0, last: int = 0) -> list[int]:
    """0-based page indexes in print order. `first`/`last` are the dialog's 1-based range (0: all pages)."""
    start = max(first, 1) - 1 if first else 0
    stop = min(last, pages) if last else pages
    chosen = list(range(start, stop))
    if collate:
        return chosen * copies
    return [index for index in chosen for _ in range(copies)]


def render_print_page(pdf: bytes, index: int, *, dpi: int, with_text: bool) -> PrintPage:
    """One page as a grayscale bitmap at `dpi`, with its text runs when asked (worker thread)."""
    (image,) = render_pages(pdf, scale=dpi / POINTS_PER_INCH, pages=[index], gray=True)
    return PrintPage(image, text_runs(pdf, index) if with_text else ())


def text_runs(pdf: bytes, index: int) -> tuple[TextRun, ...]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        text_page = page.get_textpage()
        try:
            runs = []
            for number in range(text_page.count_rects()):
                left, bottom, right, top = text_page.get_rect(number)
                text = text_page.get_text_bounded(left, bottom, right, top).strip()
                if text:
                    runs.append(TextRun(left, bottom, right, top, text))
            return tuple(runs)
        finally:
            text_page.close()
            page.close()
    finally:
        document.close()


def paint_page(painter: QPainter, printer: QPrinter, page: PrintPage) -> None:
    """Fit the page image to the paper (keeping its proportions), its text layer underneath."""
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    image = page.image
    scale = min(paper.width() / image.width_pt, paper.height() / image.height_pt)
    width, height = image.width_pt * scale, image.height_pt * scale
    target = QRectF((paper.width() - width) / 2, (paper.height() - height) / 2, width, height)
    if page.runs:
        painter.save()
        painter.setClipRect(target)
        font = QFont(QApplication.font())
        for run in page.runs:
            font.setPixelSize(max(1, round((run.top - run.bottom) * scale * 0.9)))
            painter.setFont(font)
            baseline = target.top() + (image.height_pt - run.bottom) * scale - (run.top - run.bottom) * scale * 0.12
            painter.drawText(QPointF(target.left() + run.left * scale, baseline), run.text)
        painter.restore()
    painter.drawImage(target, image.to_qimage())  # opaque: the text layer stays invisible on paper


class PrintJob(QObject):
    """Prints one PDF to a prepared QPrinter, page by page; drawing on the worker, painting here.

    Signals:
        progressed(int, int): pages printed so far, pages in the job.
        finished(bool, str): whether the job completed, and a message (the error, or where a PDF file went).
    """

    progressed = Signal(int, int)
    finished = Signal(bool, str)

    def __init__(self, runner: TaskRunner, pdf: bytes, printer: QPrinter, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._pdf = pdf
        self._printer = printer
        self._painter: QPainter | None = None
        self._sequence: list[int] = []
        self._done = 0
        self._cached: tuple[int, PrintPage] | None = None
        self._group = f"print-job-{id(self)}"
        self.running = False

    @property
    def to_file(self) -> bool:
        return self._printer.outputFormat() == QPrinter.OutputFormat.PdfFormat

    def start(self) -> None:
        self.running = True
        pdf = self._pdf
        self._runner.read(lambda _session: page_count(pdf), on_done=self._on_counted, on_error=self._on_failed,
                          group=self._group)

    def cancel(self) -> None:
        if self.running:
            self._runner.cancel(self._group)
            self._abort()
            self._finish(False, self.tr("已取消打印"))

    def _on_counted(self, pages: int) -> None:
        printer = self._printer
        copies = 1 if printer.supportsMultipleCopies() else printer.copyCount()
        self._sequence = page_sequence(pages, copies=copies, collate=printer.collateCopies(),
                                       first=printer.fromPage(), last=printer.toPage())
        if not self._sequence:
            self._finish(False, self.tr("所选页码范围内没有页面"))
            return
        self._painter = QPainter()
        if not self._painter.begin(printer):
            self._painter = None
            self._finish(False, self.tr("无法开始打印：请检查打印机或输出文件"))
            return
        self._next()

    def _next(self) -> None:
        index = self._sequence[self._done]
        if self._cached is not None and self._cached[0] == index:
            self._on_rendered(index, self._cached[1])
            return
        pdf, dpi, with_text = self._pdf, raster_dpi(self._printer), self.to_file
        self._runner.read(lambda _session: render_print_page(pdf, index, dpi=dpi, with_text=with_text),
                          on_done=lambda page: self._on_rendered(index, page), on_error=self._on_failed, group=self._group)

    def _on_rendered(self, index: int, page: PrintPage) -> None:
        if not self.running or self._painter is None:
            return
        if self._done:
            self._printer.newPage()
        paint_page(self._painter, self._printer, page)
        # Keep the page only when the same one comes next (uncollated copies): one page in memory otherwise.
        following = self._sequence[self._done + 1] if self._done + 1 < len(self._sequence) else None
        self._cached = (index, page) if following == index else None
        self._done += 1
        self.progressed.emit(self._done, len(self._sequence))
        if self._done < len(self._sequence):
            self._next()
            return
        self._painter.end()
        self._painter = None
        where = self._printer.outputFileName() if self.to_file else self._printer.printerName()
        self._finish(True, where)

    def _abort(self) -> None:
        if self._painter is not None and self._painter.isActive():
            self._printer.abort()
            self._painter.end()

    def _on_failed(self, error: BaseException) -> None:
        self._abort()
        if isinstance(error, (DomainError, OSError)):
            why = str(error) or self.tr("打印机没有回应，请检查打印机后重试")
        else:
            from ui.common.incident import report_unexpected

            why = report_unexpected(error, "打印失败")
        self._finish(False, self.tr("打印失败：%1").replace("%1", why))

    def _finish(self, ok: bool, message: str) -> None:
        self.running = False
        self._painter = None
        self._cached = None
        self.finished.emit(ok, message)


def export_agreement(session, *, actor: Actor, case_id: int, fmt: str, path: Path) -> Path:
    """Render (audited as an export) and write the file in one unit of work: no file written, no audit entry."""
    path.write_bytes(render_agreement(session, actor=actor, case_id=case_id, fmt=fmt, purpose="export"))
    return path


class AgreementOutput(QWidget):
    """打印 (Ctrl+P, the system dialog) and 导出 PDF / DOCX of the shown agreement, as three buttons. Each is
    rendered by the service on the worker and audited there as `agreement.print` / `agreement.export`.

    Signals:
        printed(bool, str): a print job ended (ok; the printer or file, or why it failed).
        exported(str): the path written.
        failed(str): a refusal or a file error, as a message for the user (unexpected errors go to the window).
    """

    printed = Signal(bool, str)
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._copies = 1
        self._name = ""
        self.job: PrintJob | None = None
        self.print_dialog: QPrintDialog | None = None
        self.print_button = QPushButton(tr("打印…"))
        self.print_button.setToolTip(tr("打印协议书（Ctrl+P），份数：当事人各一份、调委会一份"))
        self.export_pdf_button = QPushButton(tr("导出PDF…"))
        self.export_docx_button = QPushButton(tr("导出DOCX…"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.print_button, self.export_pdf_button, self.export_docx_button):
            row.addWidget(button)
        # Window-wide, but Qt ignores shortcuts of hidden widgets: active only while the buttons are shown.
        self._print_shortcut = QShortcut(QKeySequence.StandardKey.Print, self)
        self.print_button.clicked.connect(self._on_print_requested)
        self._print_shortcut.activated.connect(self._on_print_requested)
        self.export_pdf_button.clicked.connect(lambda: self._ask_and_export("pdf"))
        self.export_docx_button.clicked.connect(lambda: self._ask_and_export("docx"))
        self.set_agreement(None)

    def set_agreement(self, case_id: int | None, *, copies: int = 1, name: str = "") -> None:
        """The agreement the buttons act on (None: disabled); `name` is the document's (人民调解协议书 （2026）…号)."""
        self._case_id, self._copies, self._name = case_id, copies, name
        enabled = case_id is not None and self._actor.may(Action.PRINT)
        for button in (self.print_button, self.export_pdf_button, self.export_docx_button):
            button.setEnabled(enabled)
            if not self._actor.may(Action.PRINT):
                button.setToolTip(refusal(self._actor.role, Action.PRINT))

    @property
    def printing(self) -> bool:
        return self.job is not None and self.job.running

    def prepare_printer(self, printer: QPrinter | None = None) -> QPrinter:
        """A printer preset for the agreement: copies = parties + 1 (`AgreementState.copies`), A4, full page."""
        return prepare_printer(self._copies, document_name=self._name, printer=printer)

    @Slot()
    def _on_print_requested(self) -> None:
        if self._case_id is not None and self.print_button.isEnabled() and not self.printing:
            printer, case_id = self.prepare_printer(), self._case_id
            dialog = print_dialog(printer, self)
            dialog.accepted.connect(lambda: self.print_to(printer, case_id=case_id))
            dialog.finished.connect(dialog.deleteLater)
            self.print_dialog = dialog
            QDialog.open(dialog)  # QPrintDialog.open() is the (receiver, slot) overload in PySide

    def print_to(self, printer: QPrinter, *, case_id: int | None = None) -> None:
        """Render the agreement (audited as a print) and print it to `printer` (already set up; no dialog)."""
        case_id = case_id or self._case_id
        if case_id is None or self.printing:
            return
        actor = self._actor
        self._runner.write(lambda s: render_agreement(s, actor=actor, case_id=case_id, fmt="pdf", purpose="print"),
                           on_done=lambda pdf: self._on_print_rendered(pdf, printer),
                           on_error=lambda error: self._on_failed(self.tr("未能打印"), error))

    def _on_print_rendered(self, pdf: bytes, printer: QPrinter) -> None:
        self.job = PrintJob(self._runner, pdf, printer, self)
        self.job.finished.connect(self.printed.emit)
        self.job.start()

    def _ask_and_export(self, fmt: str) -> None:
        suggested = paths.exports_dir() / f"{self._name.replace(' ', '-').replace('/', '-')}.{fmt}"
        name_filter = self.tr("PDF 文件 (*.pdf)") if fmt == "pdf" else self.tr("Word 文档 (*.docx)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出协议书"), str(suggested), name_filter)
        if path:
            self.export_to(fmt, Path(path if path.lower().endswith(f".{fmt}") else f"{path}.{fmt}"))

    def export_to(self, fmt: str, path: Path) -> None:
        """Write the agreement as PDF or DOCX to `path` on the worker (no dialog)."""
        actor, case_id = self._actor, self._case_id
        if case_id is None:
            return
        self._runner.write(lambda s: export_agreement(s, actor=actor, case_id=case_id, fmt=fmt, path=path),
                           on_done=self._on_exported,
                           on_error=lambda error: self._on_failed(self.tr("未能导出"), error))

    def _on_exported(self, path: Path) -> None:
        self.exported.emit(str(path))

    def _on_failed(self, what: str, error: BaseException) -> None:
        if isinstance(error, OSError):
            self.failed.emit(f"{what}：{error.strerror or error}（{error.filename or ''}）")
        elif isinstance(error, (DomainError, ValidationError)):
            self.failed.emit(refusal_text(error, what))
        else:
            self._runner.task_error.emit(error)  # the window logs and shows unexpected errors once
