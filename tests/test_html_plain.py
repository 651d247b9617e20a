"""HTML tables read token by token (plain markup) give the cells html.parser gives; other markup is left to
html.parser."""

from __future__ import annotations

import random

from cchc_analysis.ingest import read_text

PIECES = [
    "<table>", "</table>", "<TABLE border=1>", "<tr>", "</tr>", "<TR class='r'>", "<td>", "</td>", "<th>", "</th>",
    '<td colspan="2">', "<td colspan=3>", "<td rowspan='2'>", '<td ROWSPAN="2" colspan="2">', '<td colspan="&#50;">',
    "<td nowrap>", '<td style="x>y">', "<br>", "<br/>", "<br />", "<b>", "</b>", "<td/>", "<span title='a<b'>",
    "Hồ sơ", "a &amp; b", "&nbsp;", "x&#39;y", "&lt;", "& loose", "&amp", "\xa0", " ", "\n", "12/03/2024",
    "<!-- note -->", "<!-- <td>hidden</td> -- >", "<!DOCTYPE html>", "<?xml version='1.0'?>", "<style>td{}</style>",
    "<script>if (a < b) {}</script>", "<STYLE>x</Style >", "a < b", "<td\xa0colspan='2'>", "</td x>", "<![if x]>",
    "<td colspan==2>", "<td / >", "<p>", "</p>", "<thead>", "</thead>", "</ table>", "<style><td>in style</td></style>",
]  # fmt: skip
ODD = {"a < b", "<td\xa0colspan='2'>", "</td x>", "<![if x]>", "<td colspan==2>", "<td / >", "</ table>"}


def _html_parser_tables(text: str) -> list:
    parser = read_text._TableParser()
    parser.feed(text)
    parser.close()
    return parser.tables


def test_plain_markup_gives_the_tables_html_parser_gives():
    rng = random.Random(8)
    plain = 0
    for i in range(3000):
        pieces = PIECES if i % 2 else [p for p in PIECES if p not in ODD]
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        parser = read_text._TableParser()
        if read_text._feed_plain(parser, text):
            plain += 1
            assert parser.tables == _html_parser_tables(text), text
    assert plain > 1500  # most documents without odd markup take the token path


def test_odd_markup_is_left_to_html_parser():
    for text in ("<table><tr><td>a < b</td></tr></table>", "<table><tr><td\xa0colspan='2'>x</td></tr></table>",
                 "<table><![if x]><tr><td>x</td></tr></table>", "<table><tr><td>x</td x></tr></table>",
                 "<table><style>td{}"):
        assert not read_text._feed_plain(read_text._TableParser(), text)


def test_an_exported_table_reads_the_same_either_way():
    rows = "".join(f"<tr><td class=\"num\">{i}</td><td>HS-{i:04d}</td><td colspan=\"2\">Cấp phép &amp; gia hạn</td>"
                   f"<td rowspan=\"{1 + i % 2}\">01/0{1 + i % 9}/2025</td></tr>\n" for i in range(60))
    text = (f"<html><head><meta charset=\"utf-8\"><style>td{{mso-number-format:\"\\@\"}}</style></head><body>"
            f"<table border=\"1\"><tr><th>STT</th><th>Mã hồ sơ</th><th colspan=2>Tên</th><th>Ngày</th></tr>\n{rows}"
            "</table></body></html>")
    parser = read_text._TableParser()
    assert read_text._feed_plain(parser, text)
    assert parser.tables == _html_parser_tables(text)
