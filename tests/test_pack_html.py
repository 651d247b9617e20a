"""``index.html``: every figure has a Vietnamese alternative text (the heading it sits under), outputs are
reachable by keyboard, and nothing of nbconvert's English fallback text reaches the page."""

from __future__ import annotations

import base64
import re

import nbformat

from cchc_analysis.pack import html
from cchc_analysis.periods import Period

PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a5d70000000049454e44ae426082")).decode()


def _image_output() -> dict:
    return nbformat.v4.new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Image>"})


def _notebook(path, cells) -> None:
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, str(path))


def test_figures_get_the_heading_they_sit_under_as_alternative_text(tmp_path):
    first = nbformat.v4.new_code_cell("show()")
    first.outputs = [_image_output()]
    generated = nbformat.v4.new_code_cell("areas()")
    generated.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "## Lĩnh vực **B**"}),
                         _image_output()]
    _notebook(tmp_path / "a.ipynb", [nbformat.v4.new_markdown_cell("# Phần A\n\n### Tỷ lệ `hồ sơ` A"), first,
                                     generated])
    bare = nbformat.v4.new_code_cell("x()")
    bare.outputs = [_image_output()]
    _notebook(tmp_path / "b.ipynb", [bare])  # no heading in its notebook: just a chart

    page = html.notebooks_html([tmp_path / "a.ipynb", tmp_path / "b.ipynb"], Period.parse("2025"))

    alts = re.findall(r'<img alt="([^"]*)"', page)
    assert alts == ["Biểu đồ: Tỷ lệ hồ sơ A", "Biểu đồ: Lĩnh vực B", "Biểu đồ"]
    assert len(re.findall(r"<img\b", page)) == 3  # each image has exactly one alternative text
    assert "No description" not in page
    outside_scripts = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    assert "Phần A" in page and "Mục lục" in page  # letters as themselves, not numeric references
    assert not re.search(r"&#(?:[0-9]{3,}|x[0-9a-fA-F]{3,});", outside_scripts.replace("&#182;", ""))
    outputs = re.findall(r'<div ([^>]*)class="[^"]*\bjp-OutputArea-output\b', page)
    assert outputs and all('tabindex="0"' in attrs for attrs in outputs)


def test_a_figure_before_any_heading_is_called_a_chart(tmp_path):
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [_image_output()]
    _notebook(tmp_path / "a.ipynb", [cell])
    page = html.notebooks_html([tmp_path / "a.ipynb"], Period.parse("2025"))
    assert re.findall(r'<img alt="([^"]*)"', page) == ["Biểu đồ"]
