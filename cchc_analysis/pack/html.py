"""``index.html``: the executed notebooks as one page without code, in Vietnamese.

A title and a table of contents (headings of levels 1 and 2, each given an anchor) come first; code,
standard-error output, execution metadata and the injected parameters are left out, so the page
depends only on what the notebooks show, and every figure is embedded (the page stands alone).

>>> title(Period.parse("2025"))
'Báo cáo sơ kết Chương trình cải cách hành chính 2021–2030, năm 2025'
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cchc_analysis.pack.kernels import KERNEL_NAME
from cchc_analysis.periods import Period

HEADING_RE = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
REMOTE_SCRIPT_RE = re.compile(r'<script src="https?://[^"]*">\s*</script>\s*')
#: The programme's mid-term review (sơ kết) covers 2021–2025: its pack is that of 2025 or of 2021-2025.
MIDTERM = ("2025", "2021-2025")


def title(period: Period) -> str:
    """The report's title for ``period``."""
    kind = "Báo cáo sơ kết" if period.label in MIDTERM else "Báo cáo"
    return f"{kind} Chương trình cải cách hành chính 2021–2030, {period.label_vi}"


def combine_notebooks(executed: Sequence[Path], period: Period) -> Any:
    """One notebook of the executed ones, ready for the HTML export.

    A title cell and a table of contents (headings of levels 1 and 2, each given an anchor; level-2
    headings that open a Markdown output of a code cell too, such as one per area) come first; standard-error output, execution metadata and the injected parameters are dropped, so that
    the HTML depends only on what the notebooks show.
    """
    import nbformat

    heading = title(period)
    body, toc = [], []
    alts: list[str] = []  # the alternative text of each figure, in the page's order
    for i, path in enumerate(executed, start=1):
        nb = nbformat.read(str(path), as_version=4)
        body.append(nbformat.v4.new_markdown_cell(f'<a id="phan-{i}"></a>'))
        first = True
        last_heading = ""  # the heading a figure sits under (its alternative text), in this notebook
        for j, cell in enumerate(nb.cells):
            cell = copy.deepcopy(cell)
            tags = cell.get("metadata", {}).get("tags", [])
            if "injected-parameters" in tags or "parameters" in tags or "remove-cell" in tags:
                continue
            cell["metadata"] = {}
            if cell.get("cell_type") == "markdown":
                lines = []
                for k, line in enumerate(cell.source.splitlines()):
                    match = HEADING_RE.match(line)
                    if match:
                        last_heading = match.group(2)
                    if match and len(match.group(1)) <= 2:
                        anchor = f"phan-{i}" if first and len(match.group(1)) == 1 else f"phan-{i}-{j}-{k}"
                        if anchor != f"phan-{i}":
                            lines.append(f'<a id="{anchor}"></a>\n')
                        toc.append((len(match.group(1)) if not first else 1, match.group(2), anchor))
                        first = False
                    lines.append(line)
                cell.source = "\n".join(lines)
            elif cell.get("cell_type") == "code":
                cell["execution_count"] = None
                cell["outputs"] = [_clean_output(o) for o in cell.get("outputs", [])
                                   if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
                for k, output in enumerate(cell["outputs"]):  # headings a notebook generates (one per area)
                    data = output.get("data") or {}
                    if "image/png" in data:
                        alts.append(f"Biểu đồ: {_plain(last_heading)}" if last_heading else "Biểu đồ")
                    text = data.get("text/markdown")
                    if isinstance(text, list):
                        text = "".join(text)
                    if text:
                        for line in text.splitlines():
                            if found := HEADING_RE.match(line):
                                last_heading = found.group(2)
                    match = HEADING_RE.match(text.splitlines()[0]) if text else None
                    if match and len(match.group(1)) == 2 and not first:
                        anchor = f"phan-{i}-{j}-o{k}"
                        output["data"]["text/markdown"] = f'<a id="{anchor}"></a>\n\n{text}'
                        toc.append((2, match.group(2), anchor))
            body.append(cell)
        if first:  # no heading: use the file name
            toc.append((1, path.stem, f"phan-{i}"))
    contents = ["## Mục lục", ""]
    for level, text, anchor in toc:
        contents.append(f"{'    ' * (level - 1)}- [{text}](#{anchor})")
    generated = ("Bộ báo cáo được lập tự động bằng lệnh `cchc report` từ dữ liệu đã làm sạch; "
                 "biểu đồ ở thư mục `figures/`, bảng điểm ở `scoreboard.xlsx`, bảng chỉ tiêu ở "
                 "`indicators.csv`.")
    head = [nbformat.v4.new_markdown_cell(f"# {heading}\n\n{generated}"),
            nbformat.v4.new_markdown_cell("\n".join(contents))]
    combined = nbformat.v4.new_notebook(cells=head + body)
    for n, cell in enumerate(combined.cells):
        cell["id"] = f"o-{n:03d}"  # stable ids: the HTML does not change between runs
    combined.metadata = {"kernelspec": {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python"}, "title": heading, "image_alts": alts}
    return combined


def _plain(markdown: str) -> str:
    """A heading's text without Markdown emphasis, code marks or links' targets.

    >>> _plain("3. Tỷ lệ **hồ sơ** `trực tuyến` [xem](#a)")
    '3. Tỷ lệ hồ sơ trực tuyến xem'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(re.sub(r"[*_`]", "", text).split())


def _clean_output(output: Any) -> Any:
    output = copy.deepcopy(output)
    if "execution_count" in output:
        output["execution_count"] = None
    if "metadata" in output:
        output["metadata"] = {k: v for k, v in output["metadata"].items() if k != "execution"}
    return output


@functools.cache
def exporter() -> Any:
    """The HTML exporter of the report page (one per process: its templates are compiled once, which
    :func:`cchc_analysis.pack.build.warm_html_export` does while the notebooks run).

    It is nbconvert's ``HTMLExporter`` (template ``lab``) without its last step, which parses the whole
    page again (several megabytes of embedded figures) only to give images without one an English
    alternative text and outputs a ``tabindex``: :func:`notebooks_html` writes both itself, the text in
    Vietnamese. Markdown images are not embedded (the pack's notebooks have none; one added by an analyst
    links to its file beside ``index.html``); the figures, being outputs, always are.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            # HTMLExporter.from_notebook_node up to the template, then the template's result as it is
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                           parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, embed_images=False, language_code="vi")


#: An image tag, whole (its attributes hold the embedded figure: a lookahead for ``alt=`` from the tag's
#: start would be tried again at every character of the data).
_IMG_RE = re.compile(r"<img\b[^>]*>")
_ALT_RE = re.compile(r"\balt=")
_OUTPUT_DIV_RE = re.compile(r'<div (?![^>]*\btabindex=)(class="[^"]*\b(?:jp-OutputArea-output|jp-Cell-inputWrapper)\b[^"]*")')


def _finish_page(html: str, alts: Sequence[str]) -> str:
    """Give each image its alternative text (``alts`` in order, then ``Biểu đồ``) and each output a
    ``tabindex``, as nbconvert's own last step would (in English) for screen readers and keyboards, and
    write the characters nbconvert gives as numeric references (headings) as themselves, as that step did.

    >>> _finish_page('<img src="a"><img src="b" alt="x"><img src="c">', ["Biểu đồ: A"])
    '<img alt="Biểu đồ: A" src="a"><img src="b" alt="x"><img alt="Biểu đồ" src="c">'
    >>> _finish_page('<div class="jp-RenderedImage jp-OutputArea-output"><div class="jp-Cell">', [])
    '<div tabindex="0" class="jp-RenderedImage jp-OutputArea-output"><div class="jp-Cell">'
    >>> _finish_page('<h2 id="M&#7909;c">M&#7909;c l&#x1EE5;c &#60;1&#62; &#182;</h2><script>"&#182;"</script>', [])
    '<h2 id="Mục">Mục lục &#60;1&#62; ¶</h2><script>"&#182;"</script>'
    """
    from html import escape

    texts = iter(alts)

    def with_alt(match: re.Match) -> str:
        tag = match.group(0)
        if "alt=" in tag and _ALT_RE.search(tag):
            return tag
        return f'<img alt="{escape(next(texts, "Biểu đồ"), quote=True)}"{tag[4:]}'

    html = _IMG_RE.sub(with_alt, html)
    parts = _CODE_RE.split(html)  # scripts and styles (odd parts) are left as they are
    html = "".join(part if k % 2 else _CHAR_REF_RE.sub(_character, part) for k, part in enumerate(parts))
    return _OUTPUT_DIV_RE.sub(r'<div tabindex="0" \1', html)


#: A numeric character reference (nbconvert writes the headings' letters outside ASCII so).
#: Scripts and styles of the page (one group: ``re.split`` keeps them as the odd parts).
_CODE_RE = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>)", re.DOTALL | re.IGNORECASE)
_CHAR_REF_RE = re.compile(r"&#(?:([0-9]{3,7})|[xX]([0-9a-fA-F]{2,6}));")


def _character(match: re.Match) -> str:
    """The character of a numeric reference when it is outside ASCII (safe as it is in UTF-8 text and
    attributes, and readable in the page's source); ASCII references (``&#60;``…) stay references."""
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if code < 0xA0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group(0)
    return chr(code)


def notebooks_html(executed: Sequence[Path], period: Period) -> str:
    """The executed notebooks as one HTML page without code (Vietnamese, with a table of contents;
    every figure embedded as a data URI, so the page stands alone)."""
    combined = combine_notebooks(executed, period)
    html, _ = exporter().from_notebook_node(combined, resources={"metadata": {"name": combined.metadata["title"]}})
    html = _finish_page(html, combined.metadata["image_alts"])
    # the page stands alone: no script fetched from the Internet (the report has no formula or widget)
    return REMOTE_SCRIPT_RE.sub("", html)
