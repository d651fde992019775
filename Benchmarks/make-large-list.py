#!/usr/bin/env python3
"""Writes a large fictional lead list as CSV and XLSX for the benchmarks.

    python3 Benchmarks/make-large-list.py ROWS OUT_PREFIX [csv]

writes OUT_PREFIX.csv and OUT_PREFIX.xlsx (XlsxWriter, constant_memory: inline
strings) with the columns of a Sales Navigator export plus a numeric id and a
date; with `csv`, only the CSV. Every row is a distinct contact (the LinkedIn
URL holds the row).
"""
import csv
import random
import sys


rows = int(sys.argv[1])
prefix = sys.argv[2]
rng = random.Random(7)
first = ["Camille", "Lucas", "Léa", "Hugo", "Chloé", "Nathan", "Sarah", "Jonas", "María", "Søren"]
last = ["Martin", "Dubois", "Müller", "García", "O'Connor", "Smith", "Nguyen", "Brun-Picard"]
companies = ["Acme Analytics", "Nordwind Logistik", "Brightpath, Inc.", "Lumière Conseil", "Quantix Labs"]
header = ["Id", "First Name", "Last Name", "Title", "Company", "Website", "LinkedIn URL", "Location", "Created"]


def row(i):
    f, l, c = rng.choice(first), rng.choice(last), rng.choice(companies)
    return [100000 + i, f, l, "Head of \"Growth\"" if i % 7 == 0 else "Account Executive", c,
            f"https://www.{c.split()[0].lower().strip(',')}.example/", f"https://www.linkedin.com/in/{f.lower()}-{i}",
            "Paris, Île-de-France, France", 45000 + (i % 1000) + 0.5]


with open(prefix + ".csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh)
    w.writerow(header)
    for i in range(rows):
        w.writerow(row(i))

if sys.argv[3:] == ["csv"]:
    sys.exit(0)

import xlsxwriter  # noqa: E402 (only needed for the XLSX)

rng = random.Random(7)
wb = xlsxwriter.Workbook(prefix + ".xlsx", {"constant_memory": True})
ws = wb.add_worksheet("Leads")
date = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
ws.write_row(0, 0, header)
for i in range(rows):
    r = row(i)
    ws.write_number(i + 1, 0, r[0])
    for c in range(1, 8):
        ws.write_string(i + 1, c, r[c])
    ws.write_number(i + 1, 8, r[8], date)
wb.close()
