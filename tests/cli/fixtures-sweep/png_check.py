#!/usr/bin/env python3
"""png_check.py FILE WIDTH HEIGHT: FILE is a whole PNG of that size that
is not blank.  Checks the signature, every chunk's CRC, IHDR's size and
format, that the image data inflates to exactly its rows, and that the
rows carry detail (below).  Prints what is wrong and exits 1; prints a
summary and exits 0 otherwise.  Pure Python with zlib, so it runs wherever
the tests do."""
import struct
import sys
import zlib


def fail(msg):
    print(f"{sys.argv[1]}: {msg}")
    sys.exit(1)


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("no PNG signature")
    pos, idat, ihdr, seen_end = 8, b"", None, False
    while pos < len(data):
        if pos + 8 > len(data):
            fail("truncated chunk header")
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if len(body) != n or pos + 12 + n > len(data):
            fail(f"truncated {kind!r} chunk")
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            fail(f"bad CRC in {kind!r}")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            seen_end = True
            break
        pos += 12 + n
    if ihdr is None or not seen_end:
        fail("no IHDR or no IEND")
    w, h, depth, ctype, _, _, interlace = ihdr
    if (w, h) != (want_w, want_h):
        fail(f"size {w}x{h}, expected {want_w}x{want_h}")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        fail(f"unexpected format: depth {depth}, colour type {ctype}, interlace {interlace}")
    raw = zlib.decompress(idat)
    stride = w * channels
    if len(raw) != h * (stride + 1):
        fail(f"{len(raw)} bytes of pixels, expected {h * (stride + 1)}")
    filters = set(raw[y * (stride + 1)] for y in range(h))
    if not filters <= {0, 1, 2, 3, 4}:
        fail(f"bad row filters {sorted(filters)}")
    # Not blank: a plain canvas filters to runs of one byte (zeros after
    # the Sub or Up filter, 255 unfiltered), while text, lines and fills
    # leave many different byte values on a good share of the rows.
    ink_rows = 0
    values = set()
    for y in range(h):
        row = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        distinct = set(row)
        values |= distinct
        if len(distinct) > 2:
            ink_rows += 1
    if len(values) < 64 or ink_rows < h // 4:
        fail(f"blank: {len(values)} byte values, {ink_rows} of {h} rows with any detail")
    print(f"{path}: {w}x{h}, {len(values)} byte values, {ink_rows} of {h} rows with detail")

main()
