#!/usr/bin/env python3
"""Makes the CSV encoding fixtures in encodings/ with Python's codecs.

Each lead list is written in one encoding, as Excel or an old system would save
it, with the cells it must read as in `expected.json` (file name -> rows of
cells). Run from anywhere: python3 Tests/IngestTests/Fixtures/make_encoding_fixtures.py
"""
import codecs
import json
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "encodings")
os.makedirs(HERE, exist_ok=True)

JAPANESE = [
    ["氏名", "会社名", "メール", "役職"],
    ["山田 太郎", "株式会社山田商事", "taro@yamada.co.jp", "営業部長"],
    ["佐藤 花子", "トヨタ自動車株式会社", "", "マーケティング担当"],
    ["鈴木 一郎", "ソニーグループ（株）", "ichiro@example.jp", "代表取締役"],
    ["高橋 美咲", "日本電気株式会社", "", "人事・総務"],
    ["渡辺 健", "株式会社ＮＴＴデータ", "ken@example.jp", "エンジニア"],
]
CHINESE = [
    ["姓名", "公司", "邮箱", "职位"],
    ["王伟", "北京华为技术有限公司", "wangwei@example.cn", "销售经理"],
    ["李娜", "阿里巴巴集团", "", "市场总监"],
    ["张敏", "腾讯科技（深圳）有限公司", "zhangmin@example.cn", "产品经理"],
    ["刘洋", "小米科技有限责任公司", "", "工程师"],
    ["陈静", "中国平安保险公司", "chenjing@example.cn", "人力资源"],
]
TAIWANESE = [
    ["姓名", "公司", "電子郵件", "職稱"],
    ["陳大文", "台灣積體電路製造股份有限公司", "david@example.tw", "業務經理"],
    ["林美玲", "鴻海精密工業", "", "行銷總監"],
    ["黃志明", "宏達國際電子", "chiming@example.tw", "工程師"],
    ["張家豪", "華碩電腦", "", "產品經理"],
]
GREEK = [
    ["Όνομα", "Επώνυμο", "Εταιρεία", "Email"],
    ["Γιώργος", "Παπαδόπουλος", "ΟΤΕ Α.Ε.", "g.papadopoulos@example.gr"],
    ["Μαρία", "Κωνσταντίνου", "Εθνική Τράπεζα", ""],
    ["Νίκος", "Αλεξίου", "Κωτσόβολος", "nikos@example.gr"],
    ["Ελένη", "Δημητρίου", "Πλαίσιο Computers", ""],
]
WESTERN = [
    ["First Name", "Last Name", "Company", "City"],
    ["Jürgen", "Müller", "Bäckerei Schäfer GmbH", "München"],
    ["José", "Gómez", "Telefónica", "Málaga"],
    ["François", "Lefèvre", "Société Générale", "Besançon"],
    ["Zoë", "Ångström", "Nordisk Café", "Göteborg"],
]
EMOJI = [
    ["Name", "Company", "Note"],
    ["田中 𠮷男", "𠮷野家ホールディングス", "😀 VIP"],
    ["一二三", "丁丂七", "🚀 launch"],
    ["Ada", "Acme", "plain"],
]


def csv_text(rows, newline="\r\n"):
    def quote(c):
        return '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c
    return "".join(",".join(quote(c) for c in r) + newline for r in rows)


FILES = {
    "cp932.csv": ("cp932", JAPANESE),
    "gbk.csv": ("gbk", CHINESE),
    "gb18030.csv": ("gb18030", CHINESE + [["𠮷", "€", "", ""]]),
    "big5.csv": ("big5", TAIWANESE),
    "cp1253.csv": ("cp1253", GREEK),
    "iso-8859-7.csv": ("iso-8859-7", GREEK),
    "mac_roman.csv": ("mac_roman", WESTERN),
    "utf-32le-bom.csv": ("utf-32", JAPANESE),  # Python's utf-32 writes a BOM (LE here)
    "utf-32be.csv": ("utf-32-be", CHINESE),
    "utf-32le.csv": ("utf-32-le", GREEK),
    "utf-16le-cjk.csv": ("utf-16-le", EMOJI),
    "utf-16be-cjk.csv": ("utf-16-be", EMOJI),
    "utf-16le-japanese.csv": ("utf-16-le", JAPANESE),
}

expected = {}
for name, (codec, rows) in FILES.items():
    data = csv_text(rows).encode(codec)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    expected[name] = rows

# A Shift_JIS file with bytes that are not Shift_JIS on line 4 (0x85 0x20).
bad = csv_text(JAPANESE[:3]).encode("cp932") + b"\x85\x20bad,x,y,z\r\n"
with open(os.path.join(HERE, "cp932-invalid-line4.csv"), "wb") as f:
    f.write(bad)
# A Shift_JIS file cut in the middle of its last character.
with open(os.path.join(HERE, "cp932-truncated.csv"), "wb") as f:
    f.write(csv_text(JAPANESE[:2]).encode("cp932") + "山".encode("cp932")[:1])

with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1, sort_keys=True)
print("wrote", len(FILES) + 2, "files to", HERE)
