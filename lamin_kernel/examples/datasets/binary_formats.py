"""Small writers for the binary example files: FCS 3.1 (flow cytometry), PNG and TIFF images.

Nothing is downloaded: the example files are written from numbers made in code, in formats
any reader of the standard opens (FCS 3.1 list mode with float32 values, 8-bit grayscale
PNG, baseline uncompressed 8-bit grayscale TIFF).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

FCS_HEADER_LENGTH = 58
FCS_TEXT_START = 256  # the TEXT segment starts after a gap, as most writers do


def _fcs_text(keywords: dict[str, str], delimiter: str = "/") -> bytes:
    """The TEXT segment: /key/value/ pairs; a delimiter inside a value is doubled."""
    parts = []
    for key, value in keywords.items():
        escaped = str(value).replace(delimiter, delimiter * 2)
        parts.append(f"{key}{delimiter}{escaped}")
    return (delimiter + delimiter.join(parts) + delimiter).encode("ascii")


def write_fcs(path: Path, events: np.ndarray, channels: list[tuple[str, str]]) -> Path:
    """Write events (n_events x n_channels, float32) as an FCS 3.1 list-mode file.

    channels: (short name $PnN, long name $PnS) per column.
    """
    import numpy as np

    data = np.ascontiguousarray(events, dtype="<f4").tobytes()
    n_events, n_channels = events.shape
    keywords = {
        "$BEGINANALYSIS": "0", "$ENDANALYSIS": "0", "$BEGINSTEXT": "0", "$ENDSTEXT": "0",
        "$BYTEORD": "1,2,3,4", "$DATATYPE": "F", "$MODE": "L", "$NEXTDATA": "0",
        "$PAR": str(n_channels), "$TOT": str(n_events), "$CYT": "lamin_kernel example",
    }  # fmt: skip
    for i, (short, long) in enumerate(channels, start=1):
        maximum = float(np.max(events[:, i - 1])) if n_events else 0.0
        keywords |= {
            f"$P{i}B": "32", f"$P{i}E": "0,0", f"$P{i}N": short,
            f"$P{i}R": str(int(maximum) + 1), f"$P{i}S": long,
        }  # fmt: skip
    # data offsets are part of TEXT; their width is fixed so the TEXT length is known first
    keywords |= {"$BEGINDATA": "0" * 12, "$ENDDATA": "0" * 12}
    text_length = len(_fcs_text(keywords))
    data_start = FCS_TEXT_START + text_length
    data_end = data_start + len(data) - 1
    keywords |= {"$BEGINDATA": f"{data_start:012d}", "$ENDDATA": f"{data_end:012d}"}
    text = _fcs_text(keywords)
    header = "FCS3.1    " + "".join(
        f"{n:>8d}"
        for n in (FCS_TEXT_START, FCS_TEXT_START + len(text) - 1, data_start, data_end, 0, 0)
    )
    padding = b" " * (FCS_TEXT_START - FCS_HEADER_LENGTH)
    path.write_bytes(header.encode("ascii") + padding + text + data + b"00000000")
    return path


def write_png(path: Path, pixels: np.ndarray) -> Path:
    """Write an 8-bit grayscale image (height x width, uint8) as PNG."""
    height, width = pixels.shape
    rows = b"".join(b"\x00" + bytes(row) for row in pixels.astype("uint8"))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def write_tiff(path: Path, pixels: np.ndarray) -> Path:
    """Write an 8-bit grayscale image (height x width, uint8) as a baseline TIFF."""
    height, width = pixels.shape
    data = pixels.astype("uint8").tobytes()
    entries = [  # (tag, type SHORT=3/LONG=4, value), sorted by tag as TIFF requires
        (256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
        (273, 4, 8), (277, 3, 1), (278, 4, height), (279, 4, len(data)),
    ]  # fmt: skip
    ifd_offset = 8 + len(data)
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, 1) + packed
    ifd += struct.pack("<I", 0)
    path.write_bytes(b"II*\x00" + struct.pack("<I", ifd_offset) + data + ifd)
    return path
