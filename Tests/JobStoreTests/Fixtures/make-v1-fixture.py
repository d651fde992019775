#!/usr/bin/env python3
"""Makes v1.sqlite: a tiny job database in schema v1, as the first release wrote it.

The schema is the v1 migration's SQL, read from Sources/JobStore/Migrations.swift
(migrations are never edited once shipped, so it stays the v1 of the past).
Run from anywhere: python3 Tests/JobStoreTests/Fixtures/make-v1-fixture.py
"""
import json
import os
import re
import textwrap
import sqlite3

here = os.path.dirname(os.path.abspath(__file__))
source = open(os.path.join(here, "../../../Sources/JobStore/Migrations.swift")).read()
# The Swift literal's indentation is stripped, as Swift does, so that the stored SQL is identical.
v1 = re.search(r'static let v1 = Migration\(.*?sql: """\n(.*?)\n *"""\)', source, re.S).group(1)
v1 = textwrap.dedent(v1)


def cells(*texts):
    out = bytearray([1])
    for t in texts:
        data = t.encode("utf-8")
        out.append(0)
        n = len(data)
        while n >= 0x80:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
        out += data
    return bytes(out)


path = os.path.join(here, "v1.sqlite")
if os.path.exists(path):
    os.remove(path)
db = sqlite3.connect(path)
db.execute("PRAGMA page_size = 1024")
db.executescript(v1)
t = 1700000000.0
db.execute(
    "INSERT INTO jobs (id, input_path, input_sha256, input_size, format, sheet, header, mapping,"
    " enrichment_types, options, chunk_size, state, row_count, created_at, updated_at,"
    " ingested_at) VALUES ('k7m2qx', 'leads.csv', ?, 120, 'csv', NULL, ?, '{}', 'email', '{}',"
    " 2, 'running', 3, ?, ?, ?)",
    ("ab" * 32, json.dumps(["first", "last", "company"]), t, t, t),
)
ada = json.dumps({"firstname": "Ada", "lastname": "Lovelace", "company_name": "Analytical",
                  "enrichment_type": ["email"]}, sort_keys=True)
key = "\x1f".join(["Ada", "Lovelace", "Analytical", "", "", "email", ""])
db.execute(
    "INSERT INTO requests (id, job_id, contact_key, body, first_chunk, state, attempts, status,"
    " email, email_status, latency_ms, finished_at) VALUES (1, 'k7m2qx', ?, ?, 0, 'done', 1,"
    " 'found', 'ada@analytical.example', 'valid', 250, ?)",
    (key, ada, t),
)
rows = [
    (0, 2, cells("Ada", "Lovelace", "Analytical"), "request", 1, None, None),
    (1, 3, cells("Ada", "Lovelace", "Analytical"), "request", 1, None, None),
    (2, 4, cells("", "Nobody", "Zürich"), "invalid", None, "missing-name", "no first name"),
]
for r in rows:
    db.execute(
        "INSERT INTO rows (job_id, row_index, line, cells, plan, request_id, reason_code,"
        " reason_message) VALUES ('k7m2qx', ?, ?, ?, ?, ?, ?, ?)", r)
db.execute("INSERT INTO chunks VALUES ('k7m2qx', 0, 'done'), ('k7m2qx', 1, 'done')")
db.execute("PRAGMA user_version = 1")
db.commit()
db.execute("VACUUM")
db.close()
print(path, os.path.getsize(path), "bytes")
