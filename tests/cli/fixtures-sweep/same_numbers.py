#!/usr/bin/env python3
"""same_numbers.py DATA CSV: every column of the chart data file DATA
(gnuplot format: a '# name name ...' header, then numbers, NaN for none)
equals the CSV column of the same name, row by row, to 10 significant
digits (both are printed with %.10g; an empty CSV cell is NaN)."""
import csv
import math
import sys

with open(sys.argv[1]) as f:
    lines = [l.split() for l in f if l.strip()]
head, rows = lines[0], lines[1:]
if head[0] != "#":
    sys.exit(f"{sys.argv[1]}: no header line")
names = head[1:]
with open(sys.argv[2], newline="") as f:
    table = list(csv.reader(f))
cols = {n: i for i, n in enumerate(table[0])}
body = table[1:]
bad = 0
if len(rows) != len(body):
    sys.exit(f"{len(rows)} data rows, {len(body)} CSV rows")
for j, name in enumerate(names):
    if name not in cols:
        sys.exit(f"column {name} of the data file is not in the CSV")
    for r, (drow, crow) in enumerate(zip(rows, body)):
        d = float(drow[j])
        c = float(crow[cols[name]]) if crow[cols[name]] != "" else math.nan
        same = (math.isnan(d) and math.isnan(c)) or d == c or \
            abs(d - c) <= 1e-9 * max(abs(d), abs(c))
        if not same:
            print(f"row {r + 1}, {name}: data {drow[j]}, csv {crow[cols[name]]}")
            bad += 1
if bad:
    sys.exit(1)
print(f"{len(names)} columns x {len(rows)} rows agree")
