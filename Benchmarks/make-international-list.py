#!/usr/bin/env python3
"""Writes a large fictional international lead list as CSV for the benchmarks.

    python3 Benchmarks/make-international-list.py ROWS OUT.csv

A HubSpot / Sales Navigator-like export (first and last name, title, company,
website, work email, LinkedIn URL, location, phone, notes, created) whose
contacts come from everywhere: Chinese, Japanese, Korean, Russian, Ukrainian,
Arabic, Greek, French, German, Polish, Turkish, Vietnamese and English names
and companies in their own scripts. Deterministic (seeded), so every run of
the benchmark reads the same bytes. About 290 bytes a row on average.

What makes it harder than `make-large-list.py`:
- non-ASCII names and companies in most rows, a few in decomposed form (NFD,
  as macOS writes them), some with a right-to-left mark or a no-break space;
- LinkedIn URLs with percent-encoded UTF-8 slugs, in several spellings
  (scheme, subdomain, trailing slash, tracking query);
- quoted fields with doubled quotes (`Head of ""Growth""`, `ООО ""Ромашка""`)
  and quoted locations with commas;
- a free-text notes column: one to several sentences with commas and quotes,
  one row in twelve over several lines, one in four hundred a few KB long
  (at most 20,000 characters);
- about 3% duplicates: an earlier contact written differently (extra spaces,
  URL in another spelling, upper-case email).
"""
import csv
import random
import sys
import unicodedata
from urllib.parse import quote

rows = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(14)

# (weight, first names, last names, companies, city/country, domain suffix, note sentences)
CULTURES = [
    (10, ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋", "艳", "杰", "涛", "明"],
     ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马"],
     ["华为技术有限公司", "阿里巴巴集团", "腾讯科技（深圳）有限公司", "北京字节跳动科技有限公司",
      "上海浦东发展银行", "小米科技有限责任公司"],
     ["北京, 中国", "上海市, 中国", "深圳, 广东, 中国"], "cn",
     ["在展会上认识，对我们的数据服务很感兴趣。", "下周二跟进，他说预算在第三季度确定。",
      "客户提到“数据质量”是首要问题，需要演示。", "已发送报价，等待采购部门回复。"]),
    (8, ["翔太", "さくら", "陽菜", "大輝", "美咲", "健太", "ゆい", "拓海", "ひなた", "蓮"],
     ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"],
     ["株式会社日立製作所", "トヨタ自動車株式会社", "ソニーグループ株式会社", "楽天グループ株式会社",
      "株式会社メルカリ"],
     ["東京都, 日本", "大阪府, 日本", "横浜市, 神奈川県, 日本"], "jp",
     ["展示会でお会いしました。データ連携に関心があります。", "来週、再度ご連絡する予定です。",
      "「導入時期は未定」とのこと。", "見積もりを送付済み、返信待ち。"]),
    (6, ["민준", "서연", "지훈", "하은", "도윤", "수빈", "예준", "지우"],
     ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"],
     ["삼성전자", "현대자동차", "엘지전자", "네이버 주식회사", "카카오"],
     ["서울, 대한민국", "부산, 대한민국", "성남시, 경기도, 대한민국"], "kr",
     ["박람회에서 만났습니다. 데이터 품질에 관심이 많습니다.", "다음 주에 다시 연락하기로 했습니다.",
      "견적서를 보냈고 답변을 기다리는 중입니다."]),
    (9, ["Иван", "Ольга", "Дмитрий", "Анна", "Сергей", "Наталья", "Алексей", "Ёлена", "Олена", "Тарас"],
     ["Петров", "Смирнова", "Кузнецов", "Попова", "Васильев", "Шевченко", "Ковальчук", "Фёдоров"],
     ["ООО \"Ромашка\"", "Яндекс", "Сбербанк", "ПАО «Лукойл»", "ПриватБанк", "Лаборатория Касперского"],
     ["Москва, Россия", "Санкт-Петербург, Россия", "Київ, Україна"], "ru",
     ["Познакомились на конференции, интересуется обогащением данных.",
      "Перезвонить во вторник, бюджет утверждают в третьем квартале.",
      "Сказал, что \"качество данных\" — главная проблема.", "Отправили КП, ждём ответа."]),
    (7, ["محمد", "فاطمة", "علي", "نور", "يوسف", "مريم", "عمر", "ليلى"],
     ["أحمد", "الزهراني", "حسن", "العتيبي", "الخطيب", "منصور", "الحسيني"],
     ["شركة أرامكو السعودية", "مجموعة الفطيم", "بنك الإمارات دبي الوطني", "طيران الإمارات"],
     ["دبي، الإمارات العربية المتحدة", "الرياض، المملكة العربية السعودية", "القاهرة، مصر"], "ae",
     ["التقينا في المعرض، مهتم بخدمات البيانات.", "سنتواصل معه الأسبوع القادم.",
      "أرسلنا العرض، بانتظار الرد."]),
    (5, ["Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Δημήτρης", "Κατερίνα", "Σοφία"],
     ["Παπαδόπουλος", "Κωνσταντίνου", "Γεωργίου", "Δημητρίου", "Νικολάου", "Οικονόμου"],
     ["Όμιλος ΟΤΕ", "Εθνική Τράπεζα της Ελλάδος", "Σκλαβενίτης", "ΔΕΗ Α.Ε."],
     ["Αθήνα, Ελλάδα", "Θεσσαλονίκη, Ελλάδα"], "gr",
     ["Γνωριστήκαμε στην έκθεση, ενδιαφέρεται για δεδομένα.", "Θα επικοινωνήσουμε ξανά την Τρίτη."]),
    (10, ["Hélène", "François", "Élodie", "Gaël", "Anaïs", "Jérôme", "Zoé", "Thérèse", "Noël"],
     ["Lefèvre", "Bélanger", "Gauthier", "Dubois", "Lemaître", "Desrosiers", "Brun-Picard", "Ménard"],
     ["Société Générale", "L'Oréal", "Lumière Conseil", "Crédit Agricole", "Orange Business"],
     ["Paris, Île-de-France, France", "Lyon, Auvergne-Rhône-Alpes, France", "Montréal, Québec, Canada"],
     "fr",
     ["Rencontré au salon, intéressé par l'enrichissement.", "Rappeler mardi, le budget est validé au T3.",
      "Il a dit : \"la qualité des données, c'est le problème n°1\".", "Devis envoyé, en attente."]),
    (8, ["Jürgen", "Björn", "Günther", "Jörg", "Sabine", "Käthe", "Uwe", "Dörte"],
     ["Müller", "Schröder", "Weiß", "Groß", "Köhler", "Schäfer", "Böhm", "Faßbender"],
     ["Nordwind Logistik GmbH", "Müller & Söhne KG", "Bäckerei Groß", "Siemens AG"],
     ["München, Bayern, Deutschland", "Berlin, Deutschland", "Wien, Österreich"], "de",
     ["Auf der Messe kennengelernt, Interesse an Datenanreicherung.", "Nächste Woche nachfassen."]),
    (6, ["Łukasz", "Małgorzata", "Wojciech", "Zbigniew", "Agnieszka", "Paweł", "Józef"],
     ["Wiśniewski", "Wójcik", "Kowalczyk", "Dąbrowski", "Żółkowski", "Szczęsny", "Kozłowska"],
     ["Żabka Polska", "Grupa Żywiec", "Bank Pekao", "Łódzka Spółdzielnia"],
     ["Warszawa, Polska", "Łódź, Polska", "Kraków, Polska"], "pl",
     ["Poznaliśmy się na targach, zainteresowany danymi.", "Oddzwonić we wtorek."]),
    (6, ["İbrahim", "Şule", "Çağla", "Gökhan", "Ömer", "Ayşe", "Işıl", "İlkay"],
     ["Yılmaz", "Şahin", "Öztürk", "Çelik", "Doğan", "Kılıç", "Aydın"],
     ["Türk Telekom", "Koç Holding", "Şişecam", "Türkiye İş Bankası"],
     ["İstanbul, Türkiye", "Ankara, Türkiye", "İzmir, Türkiye"], "tr",
     ["Fuarda tanıştık, veri zenginleştirme ile ilgileniyor.", "Salı günü tekrar aranacak."]),
    (6, ["Văn Hùng", "Thị Lan", "Minh Tuấn", "Đức Anh", "Thu Hà", "Quốc Bảo", "Ngọc Ánh"],
     ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng"],
     ["Tập đoàn Vingroup", "Công ty Cổ phần FPT", "Ngân hàng Vietcombank", "Viettel"],
     ["Hà Nội, Việt Nam", "Thành phố Hồ Chí Minh, Việt Nam", "Đà Nẵng, Việt Nam"], "vn",
     ["Gặp tại hội chợ, quan tâm đến dữ liệu.", "Gọi lại vào thứ Ba tuần sau."]),
    (19, ["Camille", "Lucas", "Sarah", "Jonas", "Emily", "Michael", "Olivia", "James", "Priya"],
     ["Martin", "Smith", "O'Connor", "Johnson", "Nguyen", "Brown", "Patel", "Williams"],
     ["Acme Analytics", "Brightpath, Inc.", "Quantix Labs", "Globex \"Global\" Ltd", "Initech"],
     ["London, England, United Kingdom", "New York, New York, United States", "Dublin, Ireland"], "com",
     ["Met at the trade show, interested in enrichment.", "Follow up next Tuesday; budget is set in Q3.",
      "Said \"data quality\" is their number one problem, wants a demo.", "Quote sent, waiting for procurement."]),
]
WEIGHTS = [c[0] for c in CULTURES]
TITLES = ["Account Executive", "Head of \"Growth\"", "CEO", "Directeur commercial", "Vertriebsleiter",
          "営業部長", "销售总监", "Руководитель отдела продаж", "مدير المبيعات", "Διευθυντής Πωλήσεων",
          "VP Sales, EMEA", "Satış Müdürü", "Giám đốc kinh doanh"]
ENGLISH = CULTURES[-1][6]
HEADER = ["First Name", "Last Name", "Job Title", "Company Name", "Website", "Email", "LinkedIn URL",
          "Location", "Phone", "Notes", "Created"]
ROMAN = "abcdefghijklmnopqrstuvwxyz"


def slug_for(first, last, i):
    text = f"{first}-{last}".lower().replace(" ", "-")
    return quote(text, safe="-") + f"-{i:x}"


def notes(culture, i):
    sentences = culture[6]
    r = rng.random()
    if r < 0.35:
        return ""
    k = 1 + rng.randrange(2)
    text = " ".join(rng.choice(sentences) for _ in range(k))
    if r > 0.9975:  # a long history pasted from a CRM, a few KB
        lines = [f"{2020 + j % 6}-{1 + j % 12:02d}-{1 + j % 28:02d}: " + rng.choice(sentences + ENGLISH)
                 for j in range(10 + rng.randrange(50))]
        text = "\n".join(lines)[:20000]
    elif r > 0.92:  # several lines, as typed in a CRM
        text = text + "\n\n" + rng.choice(ENGLISH) + "\n- " + rng.choice(sentences)
    return text


def contact(i):
    culture = rng.choices(CULTURES, WEIGHTS)[0]
    first, last = rng.choice(culture[1]), rng.choice(culture[2])
    company = rng.choice(culture[3])
    host = "".join(rng.choice(ROMAN) for _ in range(6)) + "." + culture[5]
    email = f"{ROMAN[i % 26]}{i}@{host}"
    r = rng.random()
    if r < 0.02:  # decomposed accents, as macOS writes them
        first, last = unicodedata.normalize("NFD", first), unicodedata.normalize("NFD", last)
    elif r < 0.03 and culture[5] == "ae":  # a right-to-left mark pasted with the name
        last = last + "\u200f"
    elif r < 0.04:
        company = company.replace(" ", "\u00a0", 1)  # a no-break space from a web page
    return [first, last, rng.choice(TITLES), company, f"https://www.{host}/", email,
            f"https://www.linkedin.com/in/{slug_for(first, last, i)}/",
            rng.choice(culture[4]), f"+{1 + i % 90} {i % 1000:03d} {i % 10000:04d}", notes(culture, i),
            f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}"]


def rewritten(row):
    """The same contact as another export or another person would type it."""
    row = list(row)
    r = rng.random()
    if r < 0.35:
        row[0] = " " + row[0] + "  "
    elif r < 0.6:
        row[6] = row[6].replace("https://www.", "http://fr.").rstrip("/") + "?trk=public_profile"
    else:
        row[6] = row[6].replace("https://www.", "")
    row[5] = row[5].upper()
    return row


recent = []
with open(out, "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh)
    w.writerow(HEADER)
    for i in range(rows):
        if recent and rng.random() < 0.03:
            w.writerow(rewritten(rng.choice(recent)))
            continue
        row = contact(i)
        w.writerow(row)
        if len(recent) < 1000:
            recent.append(row)
        else:
            recent[rng.randrange(1000)] = row
