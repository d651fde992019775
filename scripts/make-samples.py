#!/usr/bin/env python3
"""Writes the sample lead lists in Samples/ (fictional people, deterministic).

    python3 scripts/make-samples.py   # needs xlsxwriter (pip install xlsxwriter)

Each list mixes what real exports hold: rows with and without a LinkedIn URL,
ID-style Sales Navigator URLs, a duplicated contact, rows missing a name (invalid),
websites with schemes and paths, free-mail addresses.
"""
import csv
import os
import random

import xlsxwriter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Samples")
rng = random.Random(20261128)

FIRST = ["Camille", "Lucas", "Léa", "Hugo", "Chloé", "Nathan", "Manon", "Théo", "Inès", "Louis",
         "Sarah", "Jules", "Emma", "Arthur", "Zoé", "Gabriel", "Jade", "Raphaël", "Alice", "Paul",
         "Olivia", "Liam", "Noah", "Mia", "Ethan", "Ava", "Mason", "Sofia", "Lukas", "Mila",
         "Jonas", "Hannah", "Felix", "Lena", "María", "José", "Lucía", "Pablo", "Søren", "Zoë"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "López", "González", "Fernández",
        "O'Connor", "Nguyen", "Brun-Picard", "de la Fontaine", "Kowalski", "Rossi", "Bianchi"]
COMPANIES = [("Acme Analytics", "acme-analytics.example"), ("Nordwind Logistik", "nordwind.example"),
             ("Brightpath Software", "brightpath.example"), ("Lumière Conseil", "lumiere-conseil.example"),
             ("Helios Energy", "helios-energy.example"), ("Quantix Labs", "quantix.example"),
             ("Vega Retail", "vega-retail.example"), ("Atelier Nova", "ateliernova.example"),
             ("Cobalt Payments", "cobaltpay.example"), ("Sierra Health", "sierrahealth.example"),
             ("Papeterie Durand & Fils", "papeterie-durand.example"), ("Kiwi Mobility", "kiwimobility.example")]
TITLES = ["Head of Sales", "VP Marketing", "Directeur commercial", "CTO", "Growth Lead",
          "Account Executive", "Responsable achats", "CEO", "Office Manager", "Data Engineer"]


def slug(first, last, i):
    base = f"{first}-{last}".lower()
    for a, b in [("é", "e"), ("è", "e"), ("ï", "i"), ("ü", "u"), ("ø", "o"), ("ë", "e"),
                 ("í", "i"), ("á", "a"), ("ó", "o"), ("'", ""), (" ", "-")]:
        base = base.replace(a, b)
    return f"{base}-{1000 + i}"


def person(i):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company, domain = rng.choice(COMPANIES)
    return dict(first=first, last=last, company=company, domain=domain,
                title=rng.choice(TITLES), slug=slug(first, last, i))


def sales_navigator():
    rows = []
    for i in range(120):
        p = person(i)
        r = rng.random()
        if r < 0.55:
            url = f"https://www.linkedin.com/in/{p['slug']}/"
        elif r < 0.75:
            url = f"https://www.linkedin.com/in/ACwAA{rng.randrange(10**9, 10**10)}Bx{i:03d}"
        elif r < 0.82:
            url = f"https://fr.linkedin.com/in/{p['slug']}?trk=public_profile"
        else:
            url = ""
        website = rng.choice([f"https://www.{p['domain']}/", f"http://{p['domain']}", p["domain"], ""])
        rows.append([p["first"], p["last"], p["title"], p["company"], website, url,
                     rng.choice(["Paris, Île-de-France, France", "Berlin, Germany", "London, England, United Kingdom",
                                 "Madrid, Spain", "New York, United States"]),
                     f"{rng.randrange(1, 12)} years"])
    # Invalid rows: no last name, no name at all, a company page instead of a person.
    rows[7][1] = ""
    rows[31][0] = rows[31][1] = ""
    rows[44][5] = "https://www.linkedin.com/company/acme-analytics/"
    # Duplicates: the same contact exported twice (Sales Navigator lists overlap).
    rows.append(list(rows[3]))
    rows.append(list(rows[12]))
    header = ["First Name", "Last Name", "Title", "Company", "Company Website", "LinkedIn URL",
              "Location", "Time in Role"]
    with open(os.path.join(ROOT, "sales-navigator.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def hubspot():
    header = ["Record ID", "First Name", "Last Name", "Email", "Company Name", "Website URL",
              "Job Title", "LinkedIn URL", "Phone Number", "Create Date", "Lifecycle Stage", "Contact owner"]
    rows = []
    for i in range(150):
        p = person(200 + i)
        email_local = p["slug"].rsplit("-", 1)[0].replace("-", ".")
        rows.append([
            51234000 + i * 7,
            p["first"] if i != 17 else "",
            p["last"] if i not in (17, 64) else "",
            rng.choice([f"{email_local}@{p['domain']}", f"{email_local}@gmail.com", ""]),
            p["company"],
            rng.choice([f"https://{p['domain']}/about", "", f"www.{p['domain']}"]),
            p["title"],
            f"linkedin.com/in/{p['slug']}" if rng.random() < 0.6 else "",
            33600000000 + rng.randrange(10**8) if rng.random() < 0.3 else "",
            45200 + rng.random() * 400,
            rng.choice(["Lead", "Marketing Qualified Lead", "Subscriber", "Opportunity"]),
            rng.choice(["Alex Owner", "Sam Seller", "Kim Closer"]),
        ])
    # The same contact imported twice under two record ids.
    dup = list(rows[5])
    dup[0] = 51239999
    rows.append(dup)
    wb = xlsxwriter.Workbook(os.path.join(ROOT, "hubspot-contacts.xlsx"))
    ws = wb.add_worksheet("All contacts")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, header)
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if v == "":
                continue
            if c == 9:
                ws.write_number(r, c, v, date_fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    wb.close()


def french():
    rows = []
    for i in range(80):
        p = person(500 + i)
        url = f"https://www.linkedin.com/in/{p['slug']}" if rng.random() < 0.7 else ""
        rows.append([p["first"], p["last"], p["company"], rng.choice([f"www.{p['domain']}", p["domain"], ""]),
                     url, rng.choice(["Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux"]),
                     f"{rng.randrange(1, 500)},{rng.randrange(0, 99):02d}"])
    rows[9][0] = ""
    rows.append(list(rows[2]))
    header = ["Prénom", "Nom", "Société", "Site web", "Profil LinkedIn", "Ville", "CA (k€)"]
    # French Excel saves "CSV (séparateur: point-virgule)" in Windows-1252.
    with open(os.path.join(ROOT, "prospects-fr.csv"), "w", newline="", encoding="cp1252") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    os.makedirs(ROOT, exist_ok=True)
    sales_navigator()
    hubspot()
    french()
