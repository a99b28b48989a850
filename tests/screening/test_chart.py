import struct

from sqlalchemy.orm import Session

from procwatch.screening.chart import HEIGHT_PX, WIDTH_PX, timeline_png
from procwatch.screening.timeline import Timeline, vendor_timeline

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Return the width and height from a PNG's IHDR chunk, checking the signature."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_png_of_the_expected_size(session: Session) -> None:
    data = timeline_png(vendor_timeline(session, "Nuctech"))
    assert (WIDTH_PX, HEIGHT_PX) == (1200, 675)
    assert png_size(data) == (1200, 675)
    assert data.endswith(b"IEND\xaeB`\x82")


def test_empty_chart_is_still_a_png() -> None:
    assert png_size(timeline_png(Timeline(vendor="Acme", events=[]))) == (1200, 675)
