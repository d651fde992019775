#!/usr/bin/env python3
"""A straightforward asyncio/aiohttp enrichment script, as users write them, for comparison.

    python3 Benchmarks/naive_aiohttp.py LIST.csv BASE_URL KEY [CONCURRENCY] [RATE]

A semaphore bounds the requests in flight, a sleep between task starts paces them, 429s and
5xx are retried after a fixed sleep, three attempts at most. Prints one JSON line: rows,
seconds, requests sent, answers by kind.
"""
import asyncio
import csv
import json
import sys
import time

import aiohttp

path, base, key = sys.argv[1], sys.argv[2], sys.argv[3]
concurrency = int(sys.argv[4]) if len(sys.argv) > 4 else 50
rate = float(sys.argv[5]) if len(sys.argv) > 5 else 50.0
counts = {"sent": 0, "ok": 0, "429": 0, "5xx": 0, "errors": 0, "gave_up": 0}


def request_for(row):
    domain = row.get("Website", "").replace("https://", "").replace("http://", "").replace("www.", "").strip("/")
    return {"firstname": row["First Name"], "lastname": row["Last Name"], "company_name": row["Company"],
            "domain": domain, "linkedin_url": row["LinkedIn URL"], "enrichment_type": ["email"]}


async def enrich(session, sem, body):
    async with sem:
        for _ in range(3):
            counts["sent"] += 1
            try:
                async with session.post(base + "/contacts/single_enrich", json=body,
                                        headers={"X-API-KEY": key}) as r:
                    if r.status == 429:
                        counts["429"] += 1
                        await asyncio.sleep(1)
                        continue
                    if r.status >= 500:
                        counts["5xx"] += 1
                        await asyncio.sleep(1)
                        continue
                    await r.json(content_type=None)
                    counts["ok"] += 1
                    return
            except Exception:
                counts["errors"] += 1
                await asyncio.sleep(1)
        counts["gave_up"] += 1


async def main():
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sem = asyncio.Semaphore(concurrency)
    start = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=90)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        tasks = []
        for row in rows:
            tasks.append(asyncio.create_task(enrich(session, sem, request_for(row))))
            await asyncio.sleep(1 / rate)
        await asyncio.gather(*tasks)
    counts["rows"] = len(rows)
    counts["seconds"] = round(time.monotonic() - start, 2)
    print(json.dumps(counts))


asyncio.run(main())
