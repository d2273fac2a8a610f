from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithkin.lib.contacts import FileRejected
from kithkin.lib.textfiles import decode_text

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "csv"
TEXT = "First Name,Last Name\nJosé,Núñez\n"


def rejection(data: bytes) -> str:
    with pytest.raises(FileRejected) as caught:
        decode_text(data, what="CSV file")
    return caught.value.message


def test_utf8_is_read_as_it_is():
    assert decode_text(TEXT.encode()) == TEXT


def test_a_utf8_byte_order_mark_is_dropped():
    assert decode_text(b"\xef\xbb\xbf" + TEXT.encode()) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_is_read_with_or_without_a_byte_order_mark(encoding):
    assert decode_text(TEXT.encode(encoding)) == TEXT


def test_thunderbirds_utf16_export_is_read():
    text = decode_text((FIXTURES / "tbird__utf16_addressbook.csv").read_bytes())
    assert text.startswith("First Name,Last Name,Display Name")
    assert "johndoe@host.invalid" in text


def test_a_shift_jis_file_is_read_as_japanese():
    text = decode_text((FIXTURES / "tbird__shiftjis_addressbook.csv").read_bytes())
    assert "名無しの権兵衛@host.invalid" in text


@pytest.mark.parametrize(
    "text",
    [
        "Hélène Dupont,Renée Lefèvre\n",  # accented bytes that happen to pair up as Shift_JIS
        "MÜNCHEN,ÉCOLE,Ñandú\n",
        "José Núñez, Müller, Søren\n",
        "“Smart quotes” — and € prices\n",
    ],
)
def test_a_western_windows_file_is_read_as_cp1252(text):
    assert decode_text(text.encode("cp1252")) == text


@pytest.mark.parametrize("text", ["テスト,カタカナ\n", "名無しの権兵衛,ABC株式会社\n", "山田,さくら,京都市\n"])
def test_a_japanese_windows_file_is_read_as_cp932(text):
    assert decode_text(text.encode("cp932")) == text


def test_bytes_cp1252_leaves_undefined_are_kept_rather_than_refusing_the_file():
    assert decode_text(b"Ana\x81Ruiz, caf\xe9\n") == "Ana\x81Ruiz, café\n"


def test_line_endings_are_left_for_the_csv_reader():
    assert decode_text(b"a,b\rc,d\r\ne,f\n") == "a,b\rc,d\r\ne,f\n"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\n", "\ufeff".encode("utf-16")])
def test_an_empty_file_is_refused(data):
    assert rejection(data) == "the CSV file is empty"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml....xl/workbook.xml",
            "this looks like an Excel workbook (.xlsx); save it as CSV first",
        ),
        (
            b"PK\x03\x04\x14\x00\x00\x08mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
            "this looks like an OpenDocument spreadsheet (.ods); save it as CSV first",
        ),
        (b"PK\x03\x04\x14\x00Connections.csv", "this looks like a ZIP archive; extract it and choose the file inside"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "this looks like an Excel 97-2003 workbook (.xls)"),
        (b"%PDF-1.7\n%\xe2\xe3", "this looks like a PDF document, not a CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this looks like a PNG image, not a CSV file"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "this looks like a JPEG image, not a CSV file"),
        (b"\x1f\x8b\x08\x00", "this looks like a gzip-compressed file; decompress it first"),
        (b"SQLite format 3\x00\x10\x00", "this looks like an SQLite database, not a CSV file"),
        (b"Name,Email\n\x00\x01\x02\x03\xff\xfe\x00", "this looks like a binary file, not a CSV file"),
    ],
)
def test_a_binary_file_is_refused_saying_what_it_looks_like(data, message):
    assert rejection(data).startswith(message)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_become_text_or_a_clear_refusal(data):
    try:
        text = decode_text(data)
    except FileRejected as exc:
        assert exc.message
    else:
        assert text.strip()
        assert "\x00" not in text


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=200).filter(lambda text: text.lstrip("\ufeff").strip() and "\x00" not in text))
def test_any_text_written_as_utf8_or_utf16_with_a_bom_reads_back(text):
    assert decode_text(text.encode("utf-8")) == text.lstrip("\ufeff")
    assert decode_text(text.encode("utf-16")) == text.lstrip("\ufeff")
