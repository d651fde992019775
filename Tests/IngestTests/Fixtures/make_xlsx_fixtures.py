#!/usr/bin/env python3
"""Generates the XLSX fixtures of XLSXReaderTests.

Real writers: openpyxl, XlsxWriter and LibreOffice (`soffice --headless
--convert-to xlsx` from a flat ODS this script writes). Hostile and unusual
files are hand-crafted with zipfile. Run from anywhere:

    pip install openpyxl xlsxwriter msoffcrypto-tool
    python3 Tests/IngestTests/Fixtures/make_xlsx_fixtures.py
    python3 Tests/IngestTests/Fixtures/make_xlsx_fixtures.py --wild   # only issue 14's files

The `--wild` files are the kinds of workbook found in the wild (issue 14):
backslash entry names, dialog/macro sheets, numFmts in dxfs, a LibreOffice
.xls renamed .xlsx, an encrypted .xlsx (msoffcrypto-tool; without it a
hand-made compound file with an EncryptionInfo stream), damaged XML, sheets
beyond Excel's grid, and times hidden by date-only formats (XlsxWriter).

Every file stays small (the ZIP bomb included: it inflates to 30 MB).
"""

import datetime as dt
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name):
    return os.path.join(HERE, name)


# MARK: real writers


def openpyxl_fixtures():
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Leads"
    ws.append(["First", "Last", "Phone", "Id", "Score", "Active", "Signed up", "Call at", "Meet"])
    ws.append(["Ada", "Lovelace", 33612345678, 123456789012345, 0.1, True,
               dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30), dt.time(9, 30)])
    ws.append(["Alan", "Turing", 33700000000, 1, 2.5, False,
               dt.date(1900, 1, 1), dt.datetime(1999, 12, 31, 23, 59, 59), dt.time(0, 0, 1)])
    ws.append([CellRichText([TextBlock(InlineFont(b=True), "Grace"), " Hopper"]), None, None,
               "=1+2", -3.75, None, None, None, None])
    ws["A6"] = "after a gap"
    ws["E6"] = 1e-7
    wb.save(out("openpyxl_basic.xlsx"))

    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "Config"
    hidden["A1"] = "secret"
    hidden.sheet_state = "hidden"
    leads = wb.create_sheet("Leads")
    leads.append(["Email"])
    leads.append(["ada@example.com"])
    very = wb.create_sheet("Very")
    very["A1"] = "very hidden"
    very.sheet_state = "veryHidden"
    wb.save(out("openpyxl_hidden_first.xlsx"))


def xlsxwriter_fixtures():
    import xlsxwriter

    wb = xlsxwriter.Workbook(out("xlsxwriter_basic.xlsx"))
    ws = wb.add_worksheet("Contacts")
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    stamp = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    hours = wb.add_format({"num_format": "[h]:mm:ss"})
    money = wb.add_format({"num_format": "#,##0.00 \"EUR\""})
    sci = wb.add_format({"num_format": "0.00E+00"})
    ws.write_row(0, 0, ["Name", "Phone", "Total", "Ok", "Err", "Date", "Stamp", "Hours", "Money", "Sci"])
    ws.write_rich_string(1, 0, bold, "Ada", " Lovelace")
    ws.write_number(1, 1, 33612345678)
    ws.write_formula(1, 2, "=1+2", None, 3)
    ws.write_boolean(1, 3, True)
    ws.write_formula(1, 4, "=1/0", None, "#DIV/0!")
    ws.write_datetime(1, 5, dt.datetime(2024, 3, 1), date)
    ws.write_datetime(1, 6, dt.datetime(2024, 3, 1, 9, 30), stamp)
    ws.write_number(1, 7, 1.5208333333333333, hours)
    ws.write_number(1, 8, 1234.5, money)
    ws.write_number(1, 9, 12345.678, sci)
    ws.write_string(2, 0, "  spaced  ")
    ws.write_formula(2, 2, '="x"&"y"', None, "xy")
    ws.write_boolean(2, 3, False)
    ws.write_number(2, 1, 123456789012345)
    wb.close()

    wb = xlsxwriter.Workbook(out("xlsxwriter_1904.xlsx"), {"date_1904": True})
    ws = wb.add_worksheet()
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_string(0, 0, "When")
    ws.write_datetime(1, 0, dt.datetime(2024, 3, 1), date)
    ws.write_datetime(2, 0, dt.datetime(1904, 1, 1), date)
    wb.close()

    # constant_memory writes strings inline (t="inlineStr").
    wb = xlsxwriter.Workbook(out("xlsxwriter_inline.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Name", "Count"])
    ws.write_row(1, 0, ["inline text", 42])
    ws.write_row(2, 0, ["second", 7])
    wb.close()


FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text>
   <number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <number:boolean-style style:name="N2"><number:boolean/></number:boolean-style>
  <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
  <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:table table:name="Feuille1">
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Phone</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Joined</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Ratio</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Sum</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Flag</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>Zoë Ångström</text:p></table:table-cell>
    <table:table-cell office:value-type="float" office:value="33612345678"><text:p>33612345678</text:p></table:table-cell>
    <table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="2024-03-01"><text:p>2024-03-01</text:p></table:table-cell>
    <table:table-cell office:value-type="float" office:value="0.125"><text:p>0.125</text:p></table:table-cell>
    <table:table-cell table:formula="of:=[.B2]+1" office:value-type="float" office:value="33612345679"><text:p>33612345679</text:p></table:table-cell>
    <table:table-cell table:style-name="ce2" office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
   </table:table-row>
   <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="6"/></table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>after blanks</text:p></table:table-cell>
    <table:table-cell table:number-columns-repeated="2"/>
    <table:table-cell office:value-type="float" office:value="-0.5"><text:p>-0.5</text:p></table:table-cell>
   </table:table-row>
  </table:table>
  <table:table table:name="Second">
   <table:table-row><table:table-cell office:value-type="string"><text:p>two</text:p></table:table-cell></table:table-row>
  </table:table>
 </office:spreadsheet></office:body>
</office:document>
"""


def libreoffice_fixtures():
    if not shutil.which("soffice"):
        print("soffice not found: skipping libreoffice_basic.xlsx")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "libreoffice_basic.fods")
        with open(src, "w", encoding="utf-8") as f:
            f.write(FODS)
        profile = "file://" + os.path.join(tmp, "profile")
        subprocess.run(
            ["soffice", "-env:UserInstallation=" + profile, "--headless",
             "--convert-to", "xlsx", "--outdir", tmp, src],
            check=True, capture_output=True, timeout=180)
        shutil.copy(os.path.join(tmp, "libreoffice_basic.xlsx"), out("libreoffice_basic.xlsx"))


# MARK: hand-crafted packages

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="5">
<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/>
<numFmt numFmtId="165" formatCode="[h]:mm"/>
<numFmt numFmtId="166" formatCode="0.00E+00"/>
<numFmt numFmtId="167" formatCode="&quot;Day &quot;0"/>
<numFmt numFmtId="168" formatCode="[$-409]mmmm\\ d\\,\\ yyyy;@"/>
</numFmts>
<cellXfs count="9">
<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="20"/><xf numFmtId="165"/>
<xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="46"/>
</cellXfs>
</styleSheet>"""


def package(path, sheets, shared=None, styles=STYLES, date1904=False, main=MAIN, rel=REL,
            workbook_extra="", compress=zipfile.ZIP_DEFLATED, level=6, types=None):
    """Writes a minimal workbook. `sheets` is a list of (name, sheet XML body, state);
    `types` the relationship type of each sheet (default: worksheet)."""
    sheet_entries = ""
    for i, (n, _, st) in enumerate(sheets):
        state = "" if st is None else 'state="%s" ' % st
        sheet_entries += f'<sheet name="{n}" sheetId="{i + 1}" {state}r:id="rId{i + 1}"/>'
    pr = ' date1904="1"' if date1904 else ""
    wb = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{workbook_extra}'
          f'<workbook xmlns="{main}" xmlns:r="{rel}">'
          f'<workbookPr{pr}/>'
          f'<sheets>{sheet_entries}</sheets></workbook>')
    types = types or [f"{rel}/worksheet"] * len(sheets)
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{types[i]}" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheets)))
    n = len(sheets)
    rels += f'<Relationship Id="rId{n + 1}" Type="{rel}/styles" Target="styles.xml"/>'
    if shared is not None:
        rels += f'<Relationship Id="rId{n + 2}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": wb,
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}</Relationships>',
        "xl/styles.xml": styles.replace(MAIN, main),
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = (
            shared if shared.startswith("<?xml") or shared.startswith("<!")
            else f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}">{shared}</sst>')
    for i, (_, body, _) in enumerate(sheets):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = (
            body if body.startswith("<?xml") or body.startswith("<!")
            else f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}" xmlns:r="{rel}">{body}</worksheet>')
    with zipfile.ZipFile(path, "w", compress, compresslevel=level) as z:
        for name, text in parts.items():
            z.writestr(fixed(name, compress), text.encode("utf-8") if isinstance(text, str) else text)


def fixed(name, compress=zipfile.ZIP_DEFLATED):
    """A ZipInfo with a fixed date, so that regenerated files do not change."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = compress
    return info


CELLS_SHEET = """<dimension ref="A1:B2"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> inline </t></is></c><c t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c><c t="e"><v>#N/A</v></c></row>
<row><c r="A3"><f>1+2</f><v>3</v></c><c r="D3"><v>33612345678</v></c><c r="F3"><v>1.23456789012345E+14</v></c></row>
<row r="5"><c r="A5" t="s"><v/></c><c r="B5" t="s"><v>4</v></c><c r="C5" t="s"><v>5</v></c><c r="D5"><v></v></c><c r="E5" s="1"/></row>
<row r="6"><c r="A6"><v>0.30000000000000004</v></c><c r="B6"><v>2.1000000000000001</v></c><c r="C6"><v>1E-3</v></c><c r="D6"><v>-0</v></c><c r="E6"><v>1E+21</v></c><c r="F6"><v>007</v></c></row>
<row r="7"><c r="A7" s="1"><v>45352</v></c><c r="B7" s="2"><v>45352.395833333336</v></c><c r="C7" s="3"><v>0.3958333333333333</v></c><c r="D7" s="4"><v>1.5208333333333333</v></c><c r="E7" s="5"><v>12345.678</v></c><c r="F7" s="6"><v>42</v></c><c r="G7" s="7"><v>45352</v></c><c r="H7" s="8"><v>2.5</v></c></row>
<row r="8"><c r="A8" s="1"><v>60</v></c><c r="B8" s="1"><v>59</v></c><c r="C8" s="1"><v>61</v></c><c r="D8" s="1"><v>1</v></c><c r="E8" s="1"><v>-1</v></c><c r="F8" s="3"><v>45352.5</v></c></row>
<row r="9"><c r="A9" t="d"><v>2024-03-01T09:30:00Z</v></c><c r="B9" t="d"><v>2024-03-01</v></c><c r="C9" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>inline</t></r></is></c><c r="D9" t="s"><v>6</v></c></row>
<row r="10"><c r="A10"><f>NOW()</f></c><c r="B10" t="s"><v>7</v></c></row>
<row r="11" spans="1:3"><c r="A11" s="1"/><c r="B11" s="1"/></row>
<row r="12"/>
<row r="20"><c r="B20" t="s"><v>1</v></c></row>
<row r="1048576"><c r="XFD1048576" s="3"/></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>"""

CELLS_SST = """<si><t>Name</t></si><si><t>Email</t></si>
<si><r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>
<si><t>Line_x000D_
two</t></si>
<si/><si><t xml:space="preserve">  padded  </t></si>
<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si><si><t/></si>"""


def handmade_fixtures():
    package(out("handmade_cells.xlsx"), [("Cells", CELLS_SHEET, None)], shared=CELLS_SST)
    package(out("handmade_1904.xlsx"),
            [("Mac", '<sheetData><row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43890</v></c>'
                     '<c r="C1" s="2"><v>43890.5</v></c></row></sheetData>', None)], date1904=True)
    # Strict OOXML: a real writer's file with its namespaces rewritten.
    strict_from(out("openpyxl_basic.xlsx"), out("strict_openpyxl.xlsx"))
    # Strict, with prefixed elements.
    prefixed = ('<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c>'
                '<x:c r="B1"><x:v>5</x:v></x:c></x:row></x:sheetData>')
    package(out("strict_prefixed.xlsx"),
            [("P", f'<?xml version="1.0"?><x:worksheet xmlns:x="{STRICT_MAIN}">{prefixed}</x:worksheet>', None)],
            main=STRICT_MAIN, rel=STRICT_REL)
    # One long shared string referenced by 2,000 cells (storage must be shared).
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="B{r}" t="s"><v>0</v></c></row>'
                   for r in range(1, 1001))
    package(out("shared_many.xlsx"), [("S", f"<sheetData>{rows}</sheetData>", None)],
            shared="<si><t>" + "long shared company name, " * 4 + "</t></si>")
    # Hidden and very hidden sheets before the visible one.
    one = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row></sheetData>'
    package(out("handmade_hidden.xlsx"),
            [("H", one.format("hidden"), "hidden"), ("VH", one.format("very"), "veryHidden"),
             ("Shown", one.format("shown"), None)])


def strict_from(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith(".xml") or info.filename.endswith(".rels"):
                text = data.decode("utf-8")
                text = text.replace(MAIN, STRICT_MAIN).replace(REL, STRICT_REL)
                data = text.encode("utf-8")
            zout.writestr(fixed(info.filename), data)


DOCTYPE_XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10))
          + ']>')


def hostile_fixtures():
    one = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    package(out("xxe_sheet.xlsx"),
            [("S", f'{DOCTYPE_XXE}<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
                   f'<is><t>&xxe;</t></is></c></row></sheetData></worksheet>', None)])
    package(out("laughs_sheet.xlsx"),
            [("S", f'{LAUGHS}<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
                   f'<is><t>&lol9;</t></is></c></row></sheetData></worksheet>', None)])
    package(out("laughs_sst.xlsx"),
            [("S", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>', None)],
            shared=f'{LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>')
    package(out("xxe_sst.xlsx"),
            [("S", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>', None)],
            shared=f'{DOCTYPE_XXE}<sst xmlns="{MAIN}"><si><t>&xxe;</t></si></sst>')
    package(out("doctype_workbook.xlsx"), [("S", one, None)],
            workbook_extra='<!DOCTYPE workbook [<!ENTITY e "x">]>')
    package(out("doctype_styles.xlsx"), [("S", one, None)],
            styles=f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY e "x">]><styleSheet xmlns="{MAIN}"/>')
    # ZIP bomb: a 30 MB part made of spaces (honest headers: ratio ~1000:1).
    bomb = f'<worksheet xmlns="{MAIN}"><sheetData>' + " " * 30_000_000 + "</sheetData></worksheet>"
    package(out("zip_bomb.xlsx"), [("S", bomb, None)], level=9)
    # The same idea with lying headers: 5 MB declared as 2,000 bytes.
    lie = f'<worksheet xmlns="{MAIN}"><sheetData>' + " " * 5_000_000 + "</sheetData></worksheet>"
    package(out("zip_bomb_lying.xlsx"), [("S", lie, None)], level=9)
    patch_declared_size(out("zip_bomb_lying.xlsx"), "xl/worksheets/sheet1.xml", 2000)
    long_fixtures()
    # Cell longer than Excel's 32,767 characters.
    package(out("long_cell.xlsx"),
            [("S", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + "a" * 40_000
                   + "</t></is></c></row></sheetData>", None)])
    # Truncated: the first half of a real file (no end of central directory).
    data = open(out("openpyxl_basic.xlsx"), "rb").read()
    open(out("truncated.xlsx"), "wb").write(data[: len(data) // 2])
    # A ZIP without xl/workbook.xml.
    with zipfile.ZipFile(out("no_workbook.xlsx"), "w") as z:
        z.writestr(fixed("readme.txt"), "not a workbook")
    # Text named .xlsx.
    open(out("text.xlsx"), "w").write("First,Last\nAda,Lovelace\n")
    # A corrupt deflate stream in the sheet part.
    package(out("corrupt_deflate.xlsx"), [("S", one * 20, None)])
    corrupt_part(out("corrupt_deflate.xlsx"), "xl/worksheets/sheet1.xml")
    # ZIP64 records and data descriptors, rewritten from a real writer's file.
    zip64_from(out("xlsxwriter_inline.xlsx"), out("zip64_descriptors.xlsx"))
    # Malformed XML in the sheet, a shared-string index out of range, an empty sheet.
    package(out("malformed_sheet.xlsx"),
            [("S", '<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v>'
                   '</row></sheetData>', None)])
    package(out("bad_shared_index.xlsx"),
            [("S", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>99</v></c>'
                   '</row></sheetData>', None)], shared="<si><t>only</t></si>")
    package(out("empty_sheet.xlsx"), [("Empty", "<sheetData/>", None), ("Next", one, None)])
    # Stored (uncompressed) entries.
    package(out("stored.xlsx"), [("S", one, None)], compress=zipfile.ZIP_STORED)


def long_fixtures():
    """A 100,000-character shared string (Excel writes up to 32,767; other tools more)."""
    note = ("Long note é😀 " * 8_334)[:100_000]
    sheet = ('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row></sheetData>')
    sst = "".join(f"<si><t>{t}</t></si>" for t in ["Name", "Notes", "Ada", note])
    package(out("long_shared.xlsx"), [("Leads", sheet, None)], shared=sst)


# MARK: files from the wild (issue 14)


def rewrite(src, dst, rename=lambda n: n, replace=(), extra=()):
    """Copies a ZIP with its entries renamed, text replaced in them, and extra (name, bytes)."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as o:
        for info in z.infolist():
            data = z.read(info)
            for a, b in replace:
                data = data.replace(a.encode(), b.encode())
            o.writestr(fixed(rename(info.filename)), data)
        for name, data in extra:
            o.writestr(fixed(name), data)


DXF_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs>
<dxfs count="2">
<dxf><numFmt numFmtId="14" formatCode="0.00"/></dxf>
<dxf><numFmt numFmtId="164" formatCode="#,##0"/></dxf>
</dxfs>
<extLst><ext uri="{{46F421CA-312F-682f-3DD2-61675219B42D}}"><x14:dxfs xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" count="1"><dxf><numFmt numFmtId="14" formatCode="@"/></dxf></x14:dxfs></ext></extLst>
</styleSheet>"""

DIALOG = (f'<?xml version="1.0" encoding="UTF-8"?><dialogsheet xmlns="{MAIN}" xmlns:r="{REL}">'
          '<sheetPr/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
          '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
          '</dialogsheet>')
MACRO = ('<?xml version="1.0" encoding="UTF-8"?><xm:macrosheet '
         f'xmlns="{MAIN}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
         '<sheetData><row r="1"><c r="A1" t="str"><f>RETURN()</f><v>macro</v></c></row></sheetData>'
         '</xm:macrosheet>')
MS_REL = "http://schemas.microsoft.com/office/2006/relationships"


def wild_fixtures():
    one = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row></sheetData>'
    leads = ('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>ada@example.com</t></is></c></row></sheetData>')
    # 1. Entry names with backslashes and in another case, as some Windows tools write them;
    # a relationship target with backslashes too.
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src.xlsx")
        package(src, [("Leads", leads, None), ("Second", one.format("second"), None)])
        upper = {"xl/workbook.xml": "XL\\Workbook.xml", "xl/worksheets/sheet1.xml": "xl\\Worksheets\\Sheet1.xml"}
        rewrite(src, out("backslash_names.xlsx"),
                rename=lambda n: upper.get(n, n.replace("/", "\\")),
                replace=[('Target="worksheets/sheet2.xml"', 'Target="worksheets\\sheet2.xml"')])
        # Two entries that name the same part once folded: ambiguous.
        rewrite(src, out("backslash_ambiguous.xlsx"),
                extra=[("xl\\worksheets\\SHEET1.xml", b"<worksheet/>")])
    # 2. A dialog sheet and a macro sheet before the worksheet.
    package(out("dialog_macro_first.xlsx"),
            [("Dialog1", DIALOG, None), ("Macro1", MACRO, None), ("Leads", leads, None)],
            types=[f"{REL}/dialogsheet", f"{MS_REL}/xlMacrosheet", f"{REL}/worksheet"])
    # 3. Number formats redefined in <dxfs> (and in an extLst's x14:dxfs), built-in 14 included.
    package(out("dxfs_numfmt.xlsx"),
            [("D", '<sheetData><row r="1"><c r="A1" s="1"><v>45352</v></c><c r="B1" s="2"><v>45353</v></c>'
                   '<c r="C1"><v>1.5</v></c></row></sheetData>', None)], styles=DXF_STYLES)
    # 7. Text before the root element of a sheet, and of the workbook part.
    package(out("text_before_root.xlsx"),
            [("S", 'Exported by ACME CRM\n<?xml version="1.0"?>'
                   f'<worksheet xmlns="{MAIN}">{one.format("x")}</worksheet>', None)])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src.xlsx")
        package(src, [("S", one.format("x"), None)])
        rewrite(src, out("text_before_workbook.xlsx"),
                replace=[('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook',
                          '\n\n  junk\n<workbook')])
    # 9. Beyond Excel's grid: a dimension, a row number, a cell reference, a count of rows.
    package(out("beyond_dimension.xlsx"),
            [("Big", '<dimension ref="A1:B2000000"/>' + one.format("x"), None)])
    package(out("beyond_dimension_columns.xlsx"),
            [("Big", '<dimension ref="A1:XFE3"/>' + one.format("x"), None)])
    package(out("beyond_row.xlsx"),
            [("Big", '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                     '<row r="1048576"><c r="A1048576"><v>2</v></c></row>'
                     '<row r="1048577"><c r="A1048577"><v>3</v></c></row></sheetData>', None)])
    package(out("beyond_cell_reference.xlsx"),
            [("Big", '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="XFE1" s="1"/></row></sheetData>',
              None)])
    # Rows without numbers, repeated past Excel's last row (the 2 GiB sheet, in small).
    rows = "<row><c><v>1</v></c></row>" * 1_048_577
    package(out("beyond_row_count.xlsx"), [("Big", f"<sheetData>{rows}</sheetData>", None)], level=9)
    # 10. A time of day under a date-only format (XlsxWriter, a real writer).
    import xlsxwriter
    wb = xlsxwriter.Workbook(out("hidden_time.xlsx"))
    ws = wb.add_worksheet("Dates")
    iso = wb.add_format({"num_format": "yyyy-mm-dd"})
    builtin = wb.add_format({"num_format": 14})
    dmy = wb.add_format({"num_format": "dd/mm/yyyy"})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, ["Plain", "Builtin", "DMY", "Midnight", "Late", "Stamp"])
    ws.write_datetime(1, 0, dt.datetime(2024, 3, 1, 9, 30), iso)
    ws.write_datetime(1, 1, dt.datetime(2024, 3, 1, 18, 45, 30, 250000), builtin)
    ws.write_datetime(1, 2, dt.datetime(1999, 12, 31, 0, 0, 1), dmy)
    ws.write_datetime(1, 3, dt.datetime(2024, 3, 1), iso)
    ws.write_datetime(1, 4, dt.datetime(2024, 3, 1, 23, 59, 59, 700000), iso)
    ws.write_datetime(1, 5, dt.datetime(2024, 3, 1, 9, 30), stamp)
    wb.close()
    # 6. A legacy .xls renamed .xlsx (LibreOffice writes BIFF8), an encrypted .xlsx
    # (msoffcrypto-tool), and an OLE2 file that is neither (by hand).
    legacy_fixtures()
    open(out("ole2_other.xlsx"), "wb").write(compound_file(["WordDocument", "\x01CompObj"]))


def legacy_fixtures():
    if shutil.which("soffice"):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "legacy.fods")
            with open(src, "w", encoding="utf-8") as f:
                f.write(FODS)
            profile = "file://" + os.path.join(tmp, "profile")
            subprocess.run(
                ["soffice", "-env:UserInstallation=" + profile, "--headless",
                 "--convert-to", "xls", "--outdir", tmp, src],
                check=True, capture_output=True, timeout=180)
            shutil.copy(os.path.join(tmp, "legacy.xls"), out("legacy_renamed.xlsx"))
    else:
        print("soffice not found: skipping legacy_renamed.xlsx")
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("msoffcrypto-tool not found (pip install msoffcrypto-tool): a hand-made encrypted.xlsx")
        open(out("encrypted.xlsx"), "wb").write(
            compound_file(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
        return
    with open(out("openpyxl_hidden_first.xlsx"), "rb") as plain, open(out("encrypted.xlsx"), "wb") as enc:
        OOXMLFile(plain).encrypt("secret", enc)


def compound_file(names):
    """A minimal OLE2 compound file (512-byte sectors): header, one FAT sector, one
    directory sector holding a root entry and an empty stream per name."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)          # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)          # directory starts at sector 1
    struct.pack_into("<I", header, 0x38, 4096)       # mini stream cutoff
    struct.pack_into("<IIII", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    difat = [0] + [0xFFFFFFFF] * 108                 # FAT at sector 0
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * (sector // 4 - 2)
    fat_sector = struct.pack(f"<{sector // 4}I", *fat)
    entries = bytearray()
    for i, (name, kind) in enumerate([("Root Entry", 5)] + [(n, 2) for n in names][:3]):
        e = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        e[0:len(encoded)] = encoded
        struct.pack_into("<HBB", e, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, 0xFFFFFFFF, 1 if i == 0 else 0xFFFFFFFF)
        if i == 0 and len(names) > 1:
            struct.pack_into("<I", e, 0x4C, 1)
        struct.pack_into("<I", e, 0x74, 0xFFFFFFFE)
        entries += e
    entries += bytes(sector - len(entries))
    return bytes(header) + fat_sector + bytes(entries)


def central_entries(data):
    eocd = data.rfind(b"PK\x05\x06")
    count, cd_size, cd_off = struct.unpack("<HII", data[eocd + 10: eocd + 20])
    p = cd_off
    for _ in range(count):
        yield p
        n, e, c = struct.unpack("<HHH", data[p + 28: p + 34])
        p += 46 + n + e + c


def patch_declared_size(path, name, size):
    data = bytearray(open(path, "rb").read())
    for p in central_entries(bytes(data)):
        n = struct.unpack("<H", data[p + 28: p + 30])[0]
        if data[p + 46: p + 46 + n].decode() == name:
            struct.pack_into("<I", data, p + 24, size)
            local = struct.unpack("<I", data[p + 42: p + 46])[0]
            struct.pack_into("<I", data, local + 22, size)
    open(path, "wb").write(bytes(data))


def corrupt_part(path, name):
    data = bytearray(open(path, "rb").read())
    for p in central_entries(bytes(data)):
        n = struct.unpack("<H", data[p + 28: p + 30])[0]
        if data[p + 46: p + 46 + n].decode() == name:
            local = struct.unpack("<I", data[p + 42: p + 46])[0]
            ln, le = struct.unpack("<HH", data[local + 26: local + 30])
            start = local + 30 + ln + le
            data[start: start + 8] = b"\xff" * 8  # invalid block type
    open(path, "wb").write(bytes(data))


def zip64_from(src, dst):
    """Rewrites every entry with a data descriptor and ZIP64 sizes, offsets and end records."""
    out_data = bytearray()
    central = bytearray()
    with zipfile.ZipFile(src) as z:
        infos = z.infolist()
        for info in infos:
            raw = z.read(info)
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            cdata = comp.compress(raw) + comp.flush()
            crc = zlib.crc32(raw)
            name = info.filename.encode()
            offset = len(out_data)
            zip64_local = struct.pack("<HHQQ", 1, 16, 0, 0)
            out_data += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 8, 8, 0, 0, 0,
                                    0xFFFFFFFF, 0xFFFFFFFF, len(name), len(zip64_local))
            out_data += name + zip64_local + cdata
            out_data += struct.pack("<IIQQ", 0x08074B50, crc, len(cdata), len(raw))
            extra = struct.pack("<HHQQQ", 1, 24, len(raw), len(cdata), offset)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 8, 8, 0, 0, crc,
                                   0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0,
                                   0xFFFFFFFF)
            central += name + extra
    cd_off = len(out_data)
    out_data += central
    eocd64_off = len(out_data)
    out_data += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(infos), len(infos),
                            len(central), cd_off)
    out_data += struct.pack("<IIQI", 0x07064B50, 0, eocd64_off, 1)
    out_data += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                            0xFFFFFFFF, 0)
    open(dst, "wb").write(bytes(out_data))
    with zipfile.ZipFile(dst) as z:  # Python must agree that it is a valid ZIP
        assert z.testzip() is None


def bench(rows, path, excel_like=False):
    """A lead list of `rows` rows (shared strings, numbers, dates), for speed measurements.

    `excel_like` puts every text in the shared strings, as Excel does (one unique
    name and email per row); otherwise names are inline and emails formula strings.
    """
    import random
    rnd = random.Random(1)
    firsts = ["Ada", "Alan", "Grace", "Linus", "Zoë", "Ken", "Barbara", "Edsger"]
    companies = [f"Company {i}" for i in range(500)]
    shared = firsts + companies + ["First", "Last", "Company", "Email", "Phone", "Joined"]
    index = {s: i for i, s in enumerate(shared)}
    body = ['<sheetData><row r="1">']
    for col, h in enumerate(["First", "Last", "Company", "Email", "Phone", "Joined"]):
        body.append(f'<c r="{"ABCDEF"[col]}1" t="s"><v>{index[h]}</v></c>')
    body.append("</row>")
    for r in range(2, rows + 2):
        f = rnd.choice(firsts)
        co = rnd.choice(companies)
        email = f"{f.lower()}.{r}@example.com"
        if excel_like:
            shared.append(f"Name{r}")
            shared.append(email)
            last = f'<c r="B{r}" t="s"><v>{len(shared) - 2}</v></c>'
            mail = f'<c r="D{r}" t="s"><v>{len(shared) - 1}</v></c>'
        else:
            last = f'<c r="B{r}" t="inlineStr"><is><t>Name{r}</t></is></c>'
            mail = f'<c r="D{r}" t="str"><v>{email}</v></c>'
        body.append(
            f'<row r="{r}"><c r="A{r}" t="s"><v>{index[f]}</v></c>{last}'
            f'<c r="C{r}" t="s"><v>{index[co]}</v></c>{mail}'
            f'<c r="E{r}"><v>{33600000000 + r}</v></c>'
            f'<c r="F{r}" s="1"><v>{45000 + r % 1000}</v></c></row>')
    body.append("</sheetData>")
    sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
    package(path, [("Leads", "".join(body), None)], shared=sst)


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--long"]:
        long_fixtures()
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] in ("--bench", "--bench-excel"):
        bench(int(sys.argv[2]), sys.argv[3], excel_like=sys.argv[1] == "--bench-excel")
        sys.exit(0)
    if sys.argv[1:] == ["--wild"]:  # only the files of issue 14 (the others stay as they are)
        wild_fixtures()
        sys.exit(0)
    openpyxl_fixtures()
    xlsxwriter_fixtures()
    libreoffice_fixtures()
    handmade_fixtures()
    hostile_fixtures()
    wild_fixtures()
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".xlsx"):
            print(f"{os.path.getsize(out(f)):>8}  {f}")
