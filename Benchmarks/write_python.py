#!/usr/bin/env python3
"""Export benchmark, Python side: writes the rows OutputBench writes (9 input columns + 7 results).

    python3 Benchmarks/write_python.py openpyxl|xlsxwriter|csv ROWS PATH

openpyxl uses its write-only mode, XlsxWriter its constant_memory mode; csv is the stdlib module.
Dates are real dates and the employee count a number, as leadsheet writes them.
"""
import csv
import datetime
import sys

HEADER = ["First Name", "Last Name", "Company", "Domain", "LinkedIn URL", "Title", "Employees",
          "Created", "Notes", "email", "email_status", "phones", "phone_status", "status",
          "message", "enrichment_id"]
FIRSTS = ["Alice", "Bruno", "Chloé", "Dmitri", "Eiko", "François", "Günther", "Hana"]
LASTS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka"]
TITLES = ["CEO", "CTO", "Head of Sales", "VP Marketing", "Engineer", "Buyer"]
STATUSES = ["found", "found", "found", "not_found", "invalid", "failed"]


def rows(n):
    for i in range(n):
        first = FIRSTS[i % 8]
        last = LASTS[(i // 8) % 8]
        company = COMPANIES[(i // 64) % 8]
        domain = company.lower() + ".com"
        cells = [first, last, company, domain,
                 f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i}",
                 TITLES[i % 6], 10 + i % 5000, datetime.datetime(2024, 3, 1 + i % 28),
                 'met at the "Paris" fair, follow up' if i % 10 == 0 else None]
        status = STATUSES[i % 6]
        if status == "found":
            result = [f"{first.lower()}.{last.lower()}@{domain}", "valid",
                      f"+336{10000000 + i % 89999999}", "valid", "found", None,
                      f"6f1c2d3e-{i:x}"]
        elif status == "not_found":
            result = [None, None, None, None, status, "No data found", None]
        else:
            result = [None, None, None, None, status, "missing linkedin_url", None]
        yield cells + result


def main():
    mode, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "openpyxl":
        import openpyxl
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("Sheet1")
        ws.append(HEADER)
        for r in rows(n):
            ws.append(r)
        wb.save(path)
    elif mode == "xlsxwriter":
        import xlsxwriter
        wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("Sheet1")
        date = wb.add_format({"num_format": "yyyy-mm-dd"})
        ws.write_row(0, 0, HEADER)
        for i, r in enumerate(rows(n), start=1):
            for j, v in enumerate(r):
                if v is None:
                    continue
                if j == 7:
                    ws.write_datetime(i, j, v, date)
                elif isinstance(v, int):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, v)
        wb.close()
    elif mode == "csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for r in rows(n):
                r[7] = r[7].date().isoformat()
                w.writerow(r)
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
