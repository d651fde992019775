#!/usr/bin/env python3
"""Reads every row of a lead list with a Python library, for comparison with leadsheet.

    python3 Benchmarks/read_python.py csv|calamine|openpyxl FILE

prints the number of data rows.
"""
import sys

kind, path = sys.argv[1], sys.argv[2]
n = 0
if kind == "csv":
    import csv
    with open(path, newline="", encoding="utf-8") as fh:
        for _ in csv.reader(fh):
            n += 1
elif kind == "calamine":
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    sheet = wb.get_sheet_by_index(0)
    for _ in sheet.iter_rows():
        n += 1
elif kind == "openpyxl":
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    for _ in wb.worksheets[0].iter_rows(values_only=True):
        n += 1
print(n - 1)
