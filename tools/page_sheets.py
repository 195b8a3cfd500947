"""A document's first pages side by side on a grey sheet, as the README shows the documents (70 dpi)."""

from pathlib import Path


def save_page_sheet(document, path: Path, *, pages: int, scale: float = 70 / 72) -> Path:
    """Render `document` (a laopan.documents story) and save its first `pages` pages next to each other."""
    import pypdfium2
    from PIL import Image

    from laopan.documents import render_pdf

    pdf = pypdfium2.PdfDocument(render_pdf(document))
    try:
        images = [pdf[index].render(scale=scale).to_pil() for index in range(min(pages, len(pdf)))]
    finally:
        pdf.close()
    sheet = Image.new("RGB", (sum(i.width for i in images) + 20 * (len(images) - 1), max(i.height for i in images)), "#888")
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + 20
    sheet.save(path)
    return path
