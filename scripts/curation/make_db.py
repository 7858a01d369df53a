"""Write the curated history in db/ from the records below.

Run from the repository root: `python scripts/curation/make_db.py`. Quotes of the seed articles
are located in the seed texts with str.find (never by hand); a quote that is missing or occurs more
than once stops the script. External quotes were copied verbatim from the text the search tool
returned for each page (their offsets are null). Output is deterministic: JSON lists with a fixed
key order, UTF-8, ensure_ascii=False, indent 2; events sorted by start date then key.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB = ROOT / "db"
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT))

RETRIEVED = "2026-11-25"

SEED_SCMP = "000_269ee559bc6f6ec6.txt"
SEED_HK01 = "001_8c76dfd5d2765719.txt"
SEED_SHA = {
    SEED_SCMP: "0720625719cea97cf8d58e4252dfb17a2c929ef2b3d22fc3233d4c9d1802962b",
    SEED_HK01: "5e84d00a26782de9e133fd74435bc80a0d29d83c324a91447be2a6c5e843f60c",
}

# --------------------------------------------------------------------------------------------
# countries
COUNTRIES = [
    ("BR", "Brazil"),
    ("CN", "China"),
    ("DE", "Germany"),
    ("EU", "European Union"),
    ("FR", "France"),
    ("HK", "Hong Kong"),
    ("JP", "Japan"),
    ("RU", "Russia"),
    ("UA", "Ukraine"),
    ("US", "United States"),
    ("XX", "Several / unknown"),
]


# --------------------------------------------------------------------------------------------
# actors
def actor(key, name, kind, country=None, role="", parent=None, note="", aliases=()):
    return {
        "key": key,
        "name": name,
        "kind": kind,
        "country": country,
        "role": role,
        "parent": parent,
        "note": note,
        "aliases": [{"name": n, "lang": lang} for n, lang in aliases],
    }


ACTORS = [
    # China: state bodies
    actor(
        "cn-government",
        "Government of China",
        "government",
        "CN",
        note="Used where the sources write 'Beijing' or 'China' for the state as a whole.",
        aliases=[("Beijing", "en"), ("Chinese government", "en")],
    ),
    actor(
        "state-council",
        "State Council",
        "government",
        "CN",
        parent="cn-government",
        aliases=[("国务院", "zh"), ("國務院", "zh-Hant")],
    ),
    actor(
        "npcsc",
        "Standing Committee of the National People's Congress",
        "legislature",
        "CN",
        note="Xinhua calls it 'China's top legislature'.",
        aliases=[
            ("NPC Standing Committee", "en"),
            ("全国人民代表大会常务委员会", "zh"),
            ("全國人民代表大會常務委員會", "zh-Hant"),
        ],
    ),
    actor(
        "mofcom",
        "Ministry of Commerce",
        "ministry",
        "CN",
        parent="state-council",
        aliases=[
            ("MOFCOM", "en"),
            ("MOC", "en"),
            ("Commerce Ministry", "en"),
            ("商务部", "zh"),
            ("商務部", "zh-Hant"),
        ],
    ),
    actor(
        "gac",
        "General Administration of Customs",
        "agency",
        "CN",
        parent="state-council",
        aliases=[("GAC", "en"), ("海关总署", "zh"), ("海關總署", "zh-Hant")],
    ),
    actor(
        "cmc",
        "Central Military Commission",
        "military",
        "CN",
        aliases=[("CMC", "en"), ("中央军委", "zh"), ("中央軍委", "zh-Hant")],
    ),
    actor(
        "cmc-edd",
        "Equipment Development Department of the Central Military Commission",
        "military",
        "CN",
        parent="cmc",
        aliases=[
            ("Central Military Commission's Equipment Development Department", "en"),
            ("CMC Equipment Development Department", "en"),
            ("中央军委装备发展部", "zh"),
            ("中央軍委裝備發展部", "zh-Hant"),
        ],
    ),
    actor(
        "sastind",
        "State Administration of Science, Technology and Industry for National Defense",
        "agency",
        "CN",
        note="A co-issuer of the July 2023 drone export control announcements.",
        aliases=[
            ("SASTIND", "en"),
            ("国家国防科技工业局", "zh"),
            ("國家國防科技工業局", "zh-Hant"),
        ],
    ),
    # China: academies, journal, university
    actor(
        "cas",
        "Chinese Academy of Sciences",
        "academy",
        "CN",
        aliases=[("中国科学院", "zh"), ("中國科學院", "zh-Hant")],
    ),
    actor(
        "bulletin-cas",
        "Bulletin of the Chinese Academy of Sciences",
        "journal",
        "CN",
        parent="cas",
        note="The Chinese academic journal that published the March 2026 paper.",
        aliases=[("中国科学院院刊", "zh"), ("中國科學院院刊", "zh-Hant")],
    ),
    actor(
        "cae",
        "Chinese Academy of Engineering",
        "academy",
        "CN",
        aliases=[("中国工程院", "zh"), ("中國工程院", "zh-Hant")],
    ),
    actor(
        "cae-strategy-institute",
        "Chinese Academy of Engineering Innovation Strategy Research Institute",
        "institute",
        "CN",
        parent="cae",
    ),
    actor(
        "nanjing-university",
        "Nanjing University",
        "university",
        "CN",
        aliases=[("南京大学", "zh"), ("南京大學", "zh-Hant")],
    ),
    actor(
        "unbound",
        "Unbound",
        "institute",
        None,
        note="The English translation writes 'Unbound' ('the international research institute "
        "Unbound'); the SCMP original writes 'Anbound, an international think tank'. "
        "Probably the same institute, mis-rendered in translation.",
        aliases=[("Anbound", "en")],
    ),
    # people
    actor(
        "fan-guobing",
        "Fan Guobing",
        "person",
        "CN",
        role="corresponding author (responsible author) of the paper; an authority in the field "
        "of high-energy laser engineering and an academician (member of the academy) of "
        "the Chinese Academy of Engineering",
        parent="cae",
        aliases=[("ファン・グオビン", "ja")],
    ),
    actor(
        "peng-xianke",
        "Peng Xianke",
        "person",
        "CN",
        role="Deputy Secretary-General of the Chinese Academy of Engineering Innovation Strategy "
        "Research Institute and lead author",
        parent="cae-strategy-institute",
        aliases=[("ポン・シエンコー", "ja")],
    ),
    actor(
        "zhu-chao",
        "Zhu Chao",
        "person",
        None,
        role="researcher at the international research institute Unbound",
        parent="unbound",
        note="The SCMP original names him 'Zhou Chao, a research fellow for the geopolitical "
        "strategy programme at Anbound, an international think tank'; 'Zhu Chao' is the "
        "English translation's spelling.",
        aliases=[("Zhou Chao", "en")],
    ),
    actor(
        "tao-jingzhu",
        "Tao Jingzhu",
        "person",
        None,
        role="international arbitrator in Beijing and Paris",
        note="The SCMP article (text read from a republished copy) spells him 'Tao Jingzhou, "
        "an international arbitrator with Arbitration Chambers in Beijing and Paris'.",
        aliases=[("Tao Jingzhou", "en")],
    ),
    actor(
        "song-zhongping",
        "Song Zhongping",
        "person",
        "CN",
        role="Chinese military analyst and former trainer for the People's Liberation Army",
    ),
    actor(
        "zhu-feng",
        "Zhu Feng",
        "person",
        "CN",
        role="executive dean of international relations at Nanjing University",
        parent="nanjing-university",
    ),
    actor(
        "kawajiri",
        "Kawajiri",
        "person",
        "JP",
        role="editor and translator of the Japanese report ('Edited and Translated by Kawajiri')",
        note="The outlet that published the Japanese report is not named in the text we hold.",
    ),
    # United States, EU
    actor(
        "us-government",
        "United States government",
        "government",
        "US",
        aliases=[("US", "en"), ("Washington", "en")],
    ),
    actor(
        "biden-administration", "Biden administration", "government", "US", parent="us-government"
    ),
    actor(
        "us-commerce",
        "U.S. Department of Commerce",
        "ministry",
        "US",
        parent="us-government",
        aliases=[("Department of Commerce", "en")],
    ),
    actor(
        "bis",
        "Bureau of Industry and Security",
        "agency",
        "US",
        parent="us-commerce",
        aliases=[("BIS", "en")],
    ),
    actor("european-union", "European Union", "government", "EU", aliases=[("EU", "en")]),
    # outlets
    actor(
        "scmp",
        "South China Morning Post",
        "outlet",
        "HK",
        aliases=[("SCMP", "en"), ("南華早報", "zh-Hant"), ("南华早报", "zh")],
    ),
    actor(
        "hk01",
        "Hong Kong 01",
        "outlet",
        "HK",
        note="Its name 香港01 is written the same in Traditional and Simplified Chinese.",
        aliases=[("香港01", "zh")],
    ),
    actor(
        "xinhua",
        "Xinhua News Agency",
        "outlet",
        "CN",
        aliases=[("Xinhua", "en"), ("新华社", "zh"), ("新華社", "zh-Hant")],
    ),
    actor(
        "global-times",
        "Global Times",
        "outlet",
        "CN",
        aliases=[("环球时报", "zh"), ("環球時報", "zh-Hant")],
    ),
    actor(
        "china-daily",
        "China Daily",
        "outlet",
        "CN",
        aliases=[("中国日报", "zh"), ("中國日報", "zh-Hant")],
    ),
    actor("reuters", "Reuters", "outlet", None),
    actor("beijing-review", "Beijing Review", "outlet", "CN"),
    actor("shanghai-daily", "Shanghai Daily", "outlet", "CN", note="Publishes at shine.cn."),
    actor("china-justice-observer", "China Justice Observer", "outlet", None),
    actor("holland-knight", "Holland & Knight", "company", "US", note="Law firm; client alerts."),
    actor("mmlc-group", "MMLC Group", "company", None, note="Law firm; publishes client notes."),
    actor(
        "federal-register",
        "Federal Register",
        "journal",
        "US",
        note="The US government's daily journal of rules; read here through a Justia copy.",
    ),
]


# --------------------------------------------------------------------------------------------
# sources
def source(
    key,
    title,
    *,
    outlet=None,
    language="en",
    published="",
    url="",
    author="",
    translator="",
    text_file="",
    note="",
):
    return {
        "key": key,
        "title": title,
        "author": author,
        "outlet": outlet,
        "language": language,
        "published": published,
        "url": url,
        "translator": translator,
        "retrieved": RETRIEVED,
        "text_file": text_file,
        "text_sha256": SEED_SHA.get(text_file, ""),
        "note": note,
    }


S_SCMP_EN = "scmp-2024-06-military-export-curbs-en"
S_SCMP_ORIG = "scmp-2024-q2-military-export-curbs-backfire"
S_SCMP_VIA_COPY = "scmp-2024-q2-military-export-curbs-backfire-via-copy"
SCMP_TITLE = "Could China’s new export controls on military-related tech and materials backfire?"
SCMP_URL = (
    "https://mcdn.i-scmp.com/news/china/military/article/3264957/"
    "could-chinas-new-export-controls-military-related-tech-and-materials-backfire"
)
S_HK01_EN = "jp-2026-06-hk01-draft-export-list-en"
S_XINHUA_2024 = "xinhua-2024-05-30-aviation-space-export-controls"
S_CHINADAILY_2024 = "chinadaily-2024-05-31-aerospace-maritime-export-controls"
S_MMLC_2024 = "mmlc-2024-06-08-announcement-21-of-2024"
S_GT_2023 = "globaltimes-2023-07-31-uav-export-controls"
S_LPS_2023 = "lpssylw-drone-export-controls-2023"
S_BIS_2022 = "bis-2022-10-07-advanced-computing-controls"
S_BIS_2023 = "bis-2023-10-17-advanced-computing-controls-update"
S_FR_2024 = "fr-2024-12-05-fdp-rule-advanced-computing"
S_HK_LAW_2024 = "hklaw-2024-12-bis-advanced-computing-rules"
S_XINHUA_2020 = "xinhua-2020-10-17-export-control-law"
S_CJO_2023 = "cjo-2023-10-02-gallium-germanium-controls"
S_BJR_2023 = "bjreview-2023-07-07-gallium-germanium-not-a-ban"
S_XINHUA_GRAPHITE = "xinhua-2023-10-20-graphite-export-controls"
S_REUTERS_SB = "reuters-2024-08-15-antimony-export-controls"
S_SHINE_DUALUSE = "shine-2024-10-19-dual-use-regulations"
S_REUTERS_BAN = "reuters-2024-12-03-gallium-germanium-antimony-us-ban"
S_SHINE_RE_2025 = "shine-2025-04-04-medium-heavy-rare-earth-controls"
S_HKLAW_RE_2025 = "hklaw-2025-04-04-medium-heavy-rare-earth-controls"
S_CHEMRADAR_2025 = "chemradar-2025-10-rare-earth-announcements-61-62"
S_SMM_2025 = "smm-2025-10-mofcom-spokesperson-rare-earth-controls"
S_HK01_2025 = "hk01-2025-10-rare-earth-controls-zh"
S_LPS_GAGE = "lpssylw-gallium-germanium-export-controls-2023"
S_MB_GAGE = "metalbulletin-2023-09-21-gallium-germanium-first-licences"
S_LOC_UEL = "loc-2020-10-09-unreliable-entity-list-provisions"
S_SD_UEL = "shandong-commerce-mofcom-order-2020-4-unreliable-entity-list"
S_SPB_UEL = "squirepattonboggs-2020-09-unreliable-entity-list"
S_CHEMRADAR_2025_11 = "chemradar-2025-11-announcement-70-suspension"
S_RESILINC_2025 = "resilinc-2025-11-china-export-pause"

SOURCES = [
    source(
        S_SCMP_EN,
        "[English translation of the South China Morning Post report on China's new "
        "military-related export controls, found on a personal Blogger page (not an "
        "established outlet)]",
        published="2024-06",
        url="https://shawonahmed702694.blogspot.com/2024/06/china-responded-by-implementing.html",
        text_file=SEED_SCMP,
        note="Seed text (no title, no year, no translator named in it). The URL records only "
        "where this translation was found: a personal Blogger page "
        "(shawonahmed702694.blogspot.com), not an established outlet, whose path gives "
        "June 2024; the search tool returned the same wording there. The day is not "
        f"known. It translates the SCMP report {S_SCMP_ORIG!r}, which it names; facts "
        "from it are checked against that report where the report's text was available.",
    ),
    source(
        S_SCMP_ORIG,
        SCMP_TITLE,
        outlet="scmp",
        author="Sylvie Zhuang",
        published="2024-Q2",
        url=SCMP_URL,
        note="The SCMP article the seed translates, by Sylvie Zhuang ('Sylvie Zhuang in "
        "Beijing'); quotes under this key were read on SCMP's own page at this URL "
        "(SCMP's mcdn.i-scmp.com host; the www.scmp.com form of the address was not "
        "returned by the search tool, so it is not given). The page as returned shows no "
        "publication date: the article says Beijing announced the curbs 'on Thursday' "
        f"(30 May 2024, see {S_XINHUA_2024!r}), so it appeared between 31 May and early "
        "June 2024 — known here only to the quarter (2024-Q2).",
    ),
    source(
        S_SCMP_VIA_COPY,
        SCMP_TITLE,
        outlet="scmp",
        author="Sylvie Zhuang",
        published="2024-Q2",
        url=SCMP_URL,
        note="The same SCMP article; text read from a republished copy at "
        "https://postgazettenewstoday.com/"
        "could-chinas-export-controls-on-military-related-tech-and-materials-backfire "
        "(a website that republishes it under the title 'Could China’s export controls on "
        "military-related tech and materials backfire?'), because these passages were not "
        "in the part of SCMP's page the search tool returned. Where both texts were "
        "returned they match word for word. Date as for "
        f"{S_SCMP_ORIG!r}.",
    ),
    source(
        S_HK01_EN,
        "[English translation of a Japanese report on Hong Kong 01's article about a Chinese "
        "63-item draft export control list]",
        published="2026-06",
        translator="Kawajiri (edited and translated the Japanese report); the English "
        "translator is not named",
        text_file=SEED_HK01,
        note="Seed text. It states the Hong Kong 01 report was published on June 2, 2026 and "
        "calls it 'the 2nd', so the Japanese report appeared in June 2026, on or after "
        "the 2nd; its outlet, URL and day are not known.",
    ),
    source(
        S_XINHUA_2024,
        "China to impose export controls on certain aviation, space equipment",
        outlet="xinhua",
        published="2024-05-30",
        url="http://en.people.cn/n3/2024/0531/c90000-20176596.html",
        note="Xinhua report datelined 'BEIJING, May 30 (Xinhua)', carried by People's Daily "
        "Online on 31 May 2024 (URL path 2024/0531); it says the authorities announced "
        "the controls 'Thursday' — 30 May 2024 was a Thursday.",
    ),
    source(
        S_CHINADAILY_2024,
        "China announces export controls on some aerospace, maritime equipment",
        outlet="china-daily",
        published="2024-05-31",
        url="http://english.ccpitbj.org/web/static/articles/catalog_2c94bbf02fd8b281012fd8de94480004/article_ff8080818e8a79a5018fcc9df1220991/ff8080818e8a79a5018fcc9df1220991.html",
        note="China Daily report republished by CCPIT Beijing, time-stamped 2024-5-31 11:07:03; "
        "China Daily's own publication day is not shown.",
    ),
    source(
        S_MMLC_2024,
        "China Issues Announcement on Export Controls for Aerospace-Related Items",
        outlet="mmlc-group",
        author="Yu Du",
        published="2024-06-08",
        url="https://mmlcgroup.com/china-export-controls/",
        note="Law-firm note ('Published 8 June 2024') naming the announcement (No. 21 of 2024), "
        "its date and its commencement date.",
    ),
    source(
        S_GT_2023,
        "China imposes export controls on certain UAVs to safeguard national security, "
        "interests; curbs to take effect on September 1",
        outlet="global-times",
        published="2023-07-31",
        url="https://www.globaltimes.cn/page/202307/1295375.shtml",
        note="'Published: Jul 31, 2023'; reports that the notices were issued 'on Monday' "
        "(31 July 2023 was a Monday).",
    ),
    source(
        S_LPS_2023,
        "[Export control: drone-related items, July 2023]",
        url="http://lpssylw.com/en/commercial-regulations/export-control-3",
        note="Commercial-regulation summary page naming the four issuers of the July 2023 "
        "drone announcement; its title and publication date were not shown.",
    ),
    source(
        S_BIS_2022,
        "Commerce Implements New Export Controls on Advanced Computing and Semiconductor "
        "Manufacturing Items to the People’s Republic of China (PRC)",
        outlet="bis",
        published="2022-10-07",
        url="https://bis.gov/press-release/commerce-implements-new-export-controls-advanced-computing-and-semiconductor",
        note="BIS press release, 'FOR IMMEDIATE RELEASE | Friday, October 7, 2022'.",
    ),
    source(
        S_BIS_2023,
        "Commerce Strengthens Restrictions on Advanced Computing Semiconductors, Semiconductor "
        "Manufacturing Equipment, and Supercomputing Items to Countries of Concern",
        outlet="bis",
        published="2023-10-17",
        url="https://bis.gov/press-release/commerce-strengthens-restrictions-advanced-computing-semiconductors-semiconductor",
        note="BIS press release, 'FOR IMMEDIATE RELEASE | Tuesday, October 17, 2023'.",
    ),
    source(
        S_FR_2024,
        "Foreign-Produced Direct Product Rule Additions, and Refinements to Controls for "
        "Advanced Computing and Semiconductor Manufacturing Items (89 FR 96790)",
        outlet="federal-register",
        published="2024-12-05",
        url="https://regulations.justia.com/regulations/fedreg/2024/12/05/2024-28270.html",
        note="Federal Register Vol. 89, No. 234 (Thursday, December 5, 2024), FR Doc 2024-28270, "
        "read through Justia's copy; official text at "
        "https://www.govinfo.gov/content/pkg/FR-2024-12-05/html/2024-28270.htm",
    ),
    source(
        S_HK_LAW_2024,
        "U.S. Strengthens Export Controls on Advanced Computing Items, Semiconductor "
        "Manufacturing Items",
        outlet="holland-knight",
        published="2024-12",
        url="https://hklaw.com/en/insights/publications/2024/12/us-strengthens-export-controls-on-advanced-computing-items",
        note="Holland & Knight alert; month from its URL path (2024/12).",
    ),
    source(
        S_XINHUA_2020,
        "China's top legislature adopts law on export control",
        outlet="xinhua",
        published="2020-10-17",
        url="http://www.xinhuanet.com/english/2020-10/17/c_139447960.htm",
        note="Xinhua, 2020-10-17 22:55:30, datelined 'BEIJING, Oct. 17 (Xinhua)'.",
    ),
    source(
        S_CJO_2023,
        "China Imposes Export Controls on Gallium and Germanium",
        outlet="china-justice-observer",
        published="2023-10-02",
        url="https://chinajusticeobserver.com/a/china-imposes-export-controls-on-gallium-and-germanium",
        note="'Mon, 02 Oct 2023'; gives the announcement's date and number (No. 23 [2023]).",
    ),
    source(
        S_BJR_2023,
        "[Beijing Review report: gallium and germanium export control is not a ban]",
        outlet="beijing-review",
        published="2023-07-07",
        url="https://www.bjreview.com/Latest_Headlines/202307/t20230707_800336078.html",
        note="Title not shown by the search tool; date from the URL (t20230707).",
    ),
    source(
        S_XINHUA_GRAPHITE,
        "China announces export control on certain graphite materials, products",
        outlet="xinhua",
        published="2023-10-20",
        url="https://english.news.cn/20231020/b218269f9f9e4c708aae37c0ad3d4fe1/c.html",
        note="Datelined 'BEIJING, Oct. 20 (Xinhua)'; title as carried by SCIO's copy.",
    ),
    source(
        S_REUTERS_SB,
        "China to impose export controls on strategic metal antimony from Sept 15",
        outlet="reuters",
        published="2024-08-15",
        url="https://www.dailymail.co.uk/wires/reuters/article-13746025/China-impose-export-controls-strategic-metal-antimony-Sept-15.html",
        note="Reuters wire datelined 'BEIJING, Aug 15 (Reuters)', carried by the Daily Mail's "
        "wire pages; title from the URL.",
    ),
    source(
        S_SHINE_DUALUSE,
        "China issues regulations on export control of dual-use items",
        outlet="shanghai-daily",
        published="2024-10",
        url="https://www.shine.cn/news/nation/2410198234/",
        note="Shanghai Daily (shine.cn) report of the State Council decree; month known, the "
        "day not shown (a Reuters copy says Xinhua reported it 'on Saturday').",
    ),
    source(
        S_REUTERS_BAN,
        "China bans exports of gallium, germanium, antimony to US",
        outlet="reuters",
        published="2024-12-03",
        url="https://www.brecorder.com/news/40335663/china-bans-exports-of-gallium-germanium-antimony-to-us",
        note="Reuters wire as carried by Business Recorder, 'Published 03 Dec, 2024'.",
    ),
    source(
        S_SHINE_RE_2025,
        "[China announces export controls on seven medium and heavy rare earths]",
        outlet="shanghai-daily",
        published="2025-04-04",
        url="https://www.shine.cn/news/nation/2504042497/",
        note="Title not shown by the search tool; dated 2025-04-04.",
    ),
    source(
        S_HKLAW_RE_2025,
        "China Imposes Export Controls on Medium and Heavy Rare Earth Materials",
        outlet="holland-knight",
        author="Joseph Sopcisak",
        published="2025-04-04",
        url="https://hklaw.com/en/insights/publications/2025/04/china-imposes-export-controls-on-medium-and-heavy-rare-earth-materials",
        note="Holland & Knight alert dated April 4, 2025; names MOFCOM/GAC Announcement 18.",
    ),
    source(
        S_CHEMRADAR_2025,
        "[MOFCOM announcements No. 61 and No. 62 of 2025 on rare-earth items]",
        published="2025-10",
        url="https://www.chemradar.com/en/news/detail/f1la2toi5p1c",
        note="ChemRadar regulatory news summary; title and day not shown; it dates the two "
        "announcements October 9, 2025.",
    ),
    source(
        S_SMM_2025,
        "Ministry of Commerce: The Scope of Rare Earth Items Subject to This Round of Controls "
        "Is Limited and Multiple Licensing Facilitation Measures Will Be Implemented",
        published="2025-10",
        url="https://news.metal.com/newscontent/103560637/Ministry-of-Commerce:-The-Scope-of-Rare-Earth-Items-Subject-to-This-Round-of-Controls-Is-Limited-and-Multiple-Licensing-Facilitation-Measures-Will-Be-Implemented",
        note="SMM (news.metal.com) English rendering of the MOFCOM spokesperson's remarks; "
        "title from the URL; month inferred from the remarks, day not shown.",
    ),
    source(
        S_HK01_2025,
        "[Hong Kong 01 explainer on China's October 2025 rare-earth export controls]",
        outlet="hk01",
        language="zh",
        published="2025-10",
        url="https://www.hk01.com/%E5%8D%B3%E6%99%82%E5%9C%8B%E9%9A%9B/60284476/%E4%B8%AD%E5%9C%8B%E5%8A%A0%E5%BC%B7%E7%A8%80%E5%9C%9F%E5%87%BA%E5%8F%A3%E7%AE%A1%E5%88%B6-%E5%93%AA%E4%BA%9B%E9%97%9C%E9%8D%B5%E7%89%A9%E9%A0%85-%E5%BE%9E-%E7%AE%A1%E7%89%A9%E9%A0%85-%E5%88%B0-%E7%AE%A1%E6%8A%80%E8%A1%93",
        note="Hong Kong 01 explainer written 'these two days' after the 9 October 2025 "
        "announcements; its URL slug reads 中國加強稀土出口管制-哪些關鍵物項-從-管物項-到-管技術; "
        "exact title and day not shown.",
    ),
    source(
        S_LPS_GAGE,
        "[Export control: gallium and germanium-related items, 2023]",
        url="http://lpssylw.com/en/commercial-regulations/export-control-2",
        note="Commercial-regulation summary page of the MOFCOM/GAC gallium and germanium "
        "announcement; its title and publication date were not shown. As the search tool "
        "returned it, the text runs words together around the date ('onAugust 1, "
        "2023the effective date'); the quote keeps that exactly.",
    ),
    source(
        S_MB_GAGE,
        "China approves first licenses for gallium, germanium shipments since export controls "
        "were introduced",
        author="Solomon Cefai, Nico Zhang",
        published="2023-09-21",
        url="https://xml.metalbulletin.com/Article/5153193/Cadmium/China-approves-first-licenses-for-gallium-germanium-shipments-since-export-controls-were-introduced.html",
        note="Metal Bulletin (Fastmarkets) news item dated 'September 21, 2023'.",
    ),
    source(
        S_LOC_UEL,
        "China: Government Releases Provisions on Unreliable Entity List Regime",
        published="2020-10-09",
        url="https://www.loc.gov/item/global-legal-monitor/2020-10-08/china-government-releases-provisions-on-unreliable-entity-list-regime/",
        note="Library of Congress, Global Legal Monitor; the text is headed '(Oct. 9, 2020)' "
        "(the URL path has 2020-10-08). Author not shown.",
    ),
    source(
        S_SD_UEL,
        "[Order of the Ministry of Commerce 2020 No. 4: Provisions on the Unreliable Entity "
        "List (English text)]",
        url="http://en.commerce.shandong.gov.cn/art/2021/1/5/art_25363_10271579.html",
        note="English text of the MOFCOM order carried by the Shandong provincial commerce "
        "department's English site; the order is signed 'Minister of Commerce Zhong Shan "
        "September 19, 2020'. The page's own date was not shown (its URL path has "
        "2021/1/5).",
    ),
    source(
        S_SPB_UEL,
        "China Publishes Regulations on Unreliable Entity List",
        published="2020-09",
        url="https://www.squirepattonboggs.com/en/insights/publications/2020/09/china-publishes-regulations-on-unreliable-entity-list",
        note="Squire Patton Boggs (law firm) client note dated 'September 2020'.",
    ),
    source(
        S_CHEMRADAR_2025_11,
        "[MOFCOM and GAC Announcement No. 70 of 2025 suspending six October 2025 announcements]",
        url="https://www.chemradar.com/en/news/detail/f3s7t2oy9qf4",
        note="ChemRadar regulatory news summary; title and publication date not shown. It "
        "dates Announcement No. 70 of 2025 November 7, 2025 and lists the suspended "
        "announcements (Nos. 55-58 and 61-62 of 2025, all issued on October 9, 2025).",
    ),
    source(
        S_RESILINC_2025,
        "[Resilinc blog: China's export pause and supply chain risk]",
        url="https://resilinc.ai/blog/chinas-export-pause-reveals-trade-policy-supply-chain-risk",
        note="Supply-chain risk firm's blog post; title from the URL, publication date not shown.",
    ),
]

# --------------------------------------------------------------------------------------------
# items
L_2024 = (
    "China export controls announced 30 May 2024 (MOFCOM/GAC/CMC EDD Announcement No. 21 of 2024)"
)
L_DRONE = "China drone export controls announced 31 July 2023"
L_63 = "Draft 63-item export control list (Bulletin of the Chinese Academy of Sciences paper, 2026)"
L_BIS = "US BIS advanced computing and semiconductor controls"
L_CN_MIN = "China critical-mineral export controls"


def item(key, name, lst, tier=None, note=""):
    return {"key": key, "name": name, "list": lst, "tier": tier, "note": note}


TIER_NOTE = "second or third tier (the article does not say which)"
ITEMS = [
    item(
        "spacecraft-parts-manufacturing-products",
        "products used to manufacture spacecraft parts",
        L_2024,
        note="As the seed translation names them; Xinhua describes equipment, software and "
        "technologies related to aviation and aerospace structural parts.",
    ),
    item(
        "engines",
        "engines",
        L_2024,
        note="As the seed names them; Xinhua: engine manufacturing and gas turbine engines/gas "
        "turbines equipment, software and technologies.",
    ),
    item(
        "bulletproof-vests",
        "bulletproof vests",
        L_2024,
        note="The seed says products used to manufacture bulletproof vests; SCMP: 'key materials "
        "used to produce bulletproof vests'; Xinhua lists ultra high molecular weight "
        "polyethylene fiber.",
    ),
    item("drones-and-drone-equipment", "certain drones and drone-related equipment", L_DRONE),
    item(
        "satellite-quantum-secure-communication", "satellite quantum secure communication", L_63, 1
    ),
    item("electromagnetic-catapults", "electromagnetic catapults", L_63, 1),
    item("solar-cell-technologies", "solar cell-related technologies", L_63, 1),
    item(
        "small-ai-edge-computers",
        "general-purpose small artificial intelligence (AI) edge computers",
        L_63,
        1,
    ),
    item("rare-earth-recovery-technology", "rare earth recovery technology", L_63, 1),
    item(
        "advanced-high-strength-automotive-steel",
        "manufacturing technology for advanced high-strength steel for automobiles",
        L_63,
        1,
    ),
    item("graphdiyne-materials", "graphdiyne materials", L_63, None, TIER_NOTE),
    item("space-robots", "space robots", L_63, None, TIER_NOTE),
    item(
        "beidou-3-inter-satellite-link-orbit-determination",
        "Beidou-3 satellite inter-satellite link autonomous orbit determination technology",
        L_63,
        None,
        TIER_NOTE,
    ),
    item(
        "free-space-optical-communication",
        "free-space optical communication",
        L_63,
        None,
        TIER_NOTE,
    ),
    item(
        "rare-earths",
        "rare earths",
        L_63,
        None,
        "The article names rare earths, with quantum communication, as examples of the list's "
        "63 technologies, without a tier. (Its first tier includes rare earth recovery "
        "technology.)",
    ),
    item(
        "quantum-communication",
        "quantum communication",
        L_63,
        None,
        "The article names quantum communication, with rare earths, as examples of the list's "
        "63 technologies, without a tier. (Its first tier includes satellite quantum secure "
        "communication.)",
    ),
    item("advanced-computing-chips", "advanced computing chips", L_BIS),
    item("semiconductor-manufacturing-equipment", "semiconductor manufacturing equipment", L_BIS),
    item("high-bandwidth-memory", "high-bandwidth memory", L_BIS),
    item("gallium", "gallium and gallium-related items", L_CN_MIN),
    item("germanium", "germanium and germanium-related items", L_CN_MIN),
    item("graphite", "certain graphite materials and products", L_CN_MIN),
    item("antimony", "antimony and antimony-related items", L_CN_MIN),
    item("superhard-materials", "superhard materials", L_CN_MIN),
    item(
        "medium-heavy-rare-earths",
        "seven medium and heavy rare earths (samarium, gadolinium, terbium, dysprosium, "
        "lutetium, scandium, yttrium)",
        L_CN_MIN,
    ),
    item("rare-earth-technologies", "rare-earth related technologies and items", L_CN_MIN),
]

# --------------------------------------------------------------------------------------------
# quotes
_TEXTS: dict[str, str] = {}


def seed_text(name: str) -> str:
    if name not in _TEXTS:
        path = SEEDS / name
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != SEED_SHA[name]:
            raise SystemExit(f"{path}: sha256 differs from the expected seed")
        _TEXTS[name] = path.read_text(encoding="utf-8")
    return _TEXTS[name]


SEED_OF = {S_SCMP_EN: SEED_SCMP, S_HK01_EN: SEED_HK01}


def q(src: str, text: str, speaker: str | None = None) -> dict:
    """A quote; for a seed source, located by str.find and checked to occur once."""
    start = end = None
    if src in SEED_OF:
        full = seed_text(SEED_OF[src])
        start = full.find(text)
        if start < 0:
            raise SystemExit(f"quote not in {src}: {text!r}")
        if full.find(text, start + 1) >= 0:
            raise SystemExit(f"quote occurs more than once in {src}: {text!r}")
        end = start + len(text)
        assert full[start:end] == text
    return {"source": src, "speaker": speaker, "text": text, "start": start, "end": end}


# --------------------------------------------------------------------------------------------
# events
def ev(
    key,
    title,
    summary,
    kind,
    status,
    start,
    end,
    basis,
    date_note,
    date_source,
    lane_country,
    lane_agency,
    topic,
    importance,
    countries,
    actors,
    items,
    quotes,
):
    return {
        "key": key,
        "title": title,
        "summary": summary,
        "kind": kind,
        "status": status,
        "start": start,
        "end": end,
        "basis": basis,
        "date_note": date_note,
        "date_source": date_source,
        "lane_country": lane_country,
        "lane_agency": lane_agency,
        "topic": topic,
        "importance": importance,
        "countries": [{"code": c, "role": r} for c, r in countries],
        "actors": [{"actor": a, "role": r} for a, r in actors],
        "items": list(items),
        "quotes": quotes,
    }


E_ANN = "cn-2024-05-30-aerospace-controls-announced"
E_INFORCE = "cn-2024-07-01-aerospace-controls-in-force"
E_STAT = "cn-2024-01-04-controlled-products-exports-statistic"
E_NONPROLIF = "cn-2024-05-30-nonproliferation-statement"
E_US_SANCTIONS = "us-2023-biden-sanctions-on-chinese-companies"
E_DRONE_ANN = "cn-2023-07-31-drone-controls-announced"
E_DRONE_INFORCE = "cn-2023-09-01-drone-controls-in-force"
E_PRESSURE = "us-eu-2024-pressure-on-dual-use-exports-to-russia"
E_DENIAL = "cn-2024-denies-dual-use-supply-to-russia"
E_ZHU_CHAO = "hk-2024-zhu-chao-statement"
E_TAO = "hk-2024-tao-jingzhu-statement"
E_SONG = "hk-2024-song-zhongping-statement"
E_ZHU_FENG = "hk-2024-zhu-feng-statement"
E_SCMP = "hk-2024-scmp-reports-military-export-curbs"
E_PAPER = "cn-2026-03-cas-bulletin-63-item-draft-list"
E_HK01 = "hk-2026-06-02-hk01-reports-draft-list"
E_PENG = "cn-2026-06-02-peng-xianke-not-policy-statement"
E_JP = "jp-2026-06-japanese-report-on-hk01-article"
E_BIS_2022 = "us-2022-10-07-bis-advanced-computing-rules"
E_BIS_2023 = "us-2023-10-17-bis-advanced-computing-rules-update"
E_BIS_2024 = "us-2024-12-02-bis-semiconductor-rules-entity-list"
E_ECL = "cn-2020-12-01-export-control-law-in-force"
E_GAGE = "cn-2023-07-03-gallium-germanium-controls-announced"
E_GRAPHITE = "cn-2023-10-20-graphite-controls-announced"
E_SB = "cn-2024-08-15-antimony-controls-announced"
E_DUALUSE = "cn-2024-12-01-dual-use-regulations-in-force"
E_US_BAN = "cn-2024-12-03-gallium-germanium-antimony-us-ban"
E_RE_2025_04 = "cn-2025-04-04-medium-heavy-rare-earth-controls"
E_RE_2025_10 = "cn-2025-10-09-rare-earth-controls-expanded"
E_GAGE_INFORCE = "cn-2023-08-01-gallium-germanium-controls-in-force"
E_GRAPHITE_INFORCE = "cn-2023-12-01-graphite-controls-in-force"
E_UEL = "cn-2020-09-19-unreliable-entity-list-provisions"
E_RE_SUSPEND = "cn-2025-11-07-october-2025-controls-suspended"

REPORT_DAY = (
    "The SCMP report says Beijing announced the curbs 'on Thursday' — 30 May 2024, the "
    "announcement's date (Xinhua, MMLC) — so it appeared between 31 May and early June 2024; the "
    "English translation of it is dated June 2024. The report's own page, as returned, shows no "
    "date, so the date is given to the quarter."
)
SCMP_DATED = (
    "Dated by the SCMP report that carries it, not by any record of its own: when it was said "
    "(or began) is not stated. " + REPORT_DAY
)

EVENTS = [
    # ---------------- seed 1: SCMP report (translation) ----------------
    ev(
        E_ANN,
        "China announces export controls on aerospace, engine and body-armour items",
        "The Ministry of Commerce, the General Administration of Customs and the CMC Equipment "
        "Development Department jointly announced that certain products, including those used to "
        "manufacture spacecraft parts, engines and bulletproof vests, may not be exported without "
        "permission. The SCMP report says exports to several countries, including the US, France, "
        "Germany and Brazil, are affected. A commerce ministry spokesperson's statement, as "
        "reported by Xinhua, says the policies are not targeted at any specific country or "
        "region.",
        "announcement",
        "announced",
        "2024-05-30",
        None,
        "external",
        "From Xinhua's report, datelined 'BEIJING, May 30 (Xinhua)', which says the authorities "
        "announced the controls 'Thursday' (30 May 2024 was a Thursday); MMLC's note also gives "
        "'On 30 May 2024'. The seed translation says only 'last Thursday', without a year.",
        S_XINHUA_2024,
        "CN",
        "mofcom",
        "aerospace",
        3,
        [
            ("CN", "issuer"),
            ("US", "affected"),
            ("FR", "affected"),
            ("DE", "affected"),
            ("BR", "affected"),
        ],
        [("mofcom", "issuer"), ("gac", "issuer"), ("cmc-edd", "issuer")],
        ["spacecraft-parts-manufacturing-products", "engines", "bulletproof-vests"],
        [
            q(
                S_SCMP_EN,
                "China announced last Thursday it would restrict the export of certain "
                "products, including those used to manufacture spacecraft parts, engines, "
                "and bulletproof vests.",
            ),
            q(
                S_SCMP_EN,
                "This was announced jointly by the Ministry of Commerce, the General "
                "Administration of Customs, and the Equipment Development Department of the "
                "Central Military Commission.",
            ),
            q(
                S_SCMP_EN,
                "These restrictions will impact China's exports to several countries, "
                "including the USA, France, Germany, and Brazil.",
            ),
            q(
                S_SCMP_ORIG,
                "The restrictions affect several countries, including major export "
                "destinations the United States, France, Germany and Brazil.",
            ),
            q(
                S_XINHUA_2024,
                "Chinese authorities said Thursday that China has decided to restrict "
                "the exports of certain components and technologies in the sectors of "
                "aviation and aerospace, starting from July 1.",
            ),
            q(
                S_XINHUA_2024,
                "The export control policies are not targeted at any specific country "
                "or region, the statement noted, adding that exports complying with "
                "relevant regulations will be approved.",
                "mofcom",
            ),
            q(
                S_MMLC_2024,
                "On 30 May 2024, the Ministry of Commerce (MOFCOM), General Administration "
                "of Customs, and Equipment Development Department of the Central Military "
                "Commission issued Announcement No. 21 of 2024 (Announcement), commencing "
                "operation on 1 July 2024.",
            ),
        ],
    ),
    ev(
        E_INFORCE,
        "China's aerospace, engine and body-armour export controls take effect",
        "The export controls announced on 30 May 2024 take effect: the listed products cannot be "
        "exported without permission.",
        "rule_in_force",
        "in_force",
        "2024-07-01",
        None,
        "external",
        "From MMLC's note on Announcement No. 21 of 2024: 'commencing operation on 1 July "
        "2024'. The seed translation says 'from July 1' without a year; Xinhua's report "
        "(datelined May 30, 2024) and China Daily also give July 1.",
        S_MMLC_2024,
        "CN",
        "mofcom",
        "aerospace",
        2,
        [
            ("CN", "issuer"),
            ("US", "affected"),
            ("FR", "affected"),
            ("DE", "affected"),
            ("BR", "affected"),
        ],
        [("mofcom", "issuer"), ("gac", "issuer"), ("cmc-edd", "issuer")],
        ["spacecraft-parts-manufacturing-products", "engines", "bulletproof-vests"],
        [
            q(S_SCMP_EN, "These restrictions are set to take effect from July 1."),
            q(
                S_SCMP_EN,
                "China's new regulations mean that certain products cannot be exported "
                "without permission.",
            ),
            q(
                S_CHINADAILY_2024,
                "This policy will officially take effect on July 1, according to an "
                "online statement released by the ministry.",
            ),
            q(
                S_MMLC_2024,
                "On 30 May 2024, the Ministry of Commerce (MOFCOM), General Administration "
                "of Customs, and Equipment Development Department of the Central Military "
                "Commission issued Announcement No. 21 of 2024 (Announcement), commencing "
                "operation on 1 July 2024.",
            ),
        ],
    ),
    ev(
        E_STAT,
        "China earned $8 billion exporting the newly controlled products in Jan–Apr",
        "According to customs statistics cited by the SCMP, China earned $8 billion from exporting "
        "the products now under control in the first four months of the year.",
        "statistic",
        "reported",
        "2024-01",
        "2024-04",
        "inferred",
        "Worked out from the words 'in the first four months of this year' (translation) and 'in "
        "the first four months' (SCMP) in the SCMP report on the announcement of 30 May 2024, so "
        "January–April 2024: the year is the report's, anchored by the announcement's date "
        "(Xinhua, MMLC). No record we hold gives the period itself.",
        S_SCMP_ORIG,
        "CN",
        "gac",
        "aerospace",
        1,
        [("CN", "issuer")],
        [("gac", "publisher")],
        ["spacecraft-parts-manufacturing-products", "engines", "bulletproof-vests"],
        [
            q(
                S_SCMP_EN,
                "According to customs statistics, China earned $8 billion from exporting "
                "these products in the first four months of this year.",
            ),
            q(
                S_SCMP_ORIG,
                "accounting for about US$8 billion worth of exports in the first four "
                "months, according to customs data",
            ),
        ],
    ),
    ev(
        E_NONPROLIF,
        "Beijing says the new restrictions reflect its commitment to curbing proliferation",
        "On the day of the announcement, Beijing stated that the latest restrictions reflect its "
        "commitment to curbing proliferation; a commerce ministry spokesperson said the controls "
        "safeguard national security and fulfil non-proliferation obligations.",
        "statement",
        "announced",
        "2024-05-30",
        None,
        "inferred",
        "Worked out from 'Beijing stated on Thursday' in the translation: the day of the "
        "announcement, 30 May 2024 (Xinhua's report datelined May 30 carries the commerce "
        "ministry spokesperson's statement; China Daily, 31 May 2024, quotes it undated).",
        S_XINHUA_2024,
        "CN",
        "mofcom",
        "aerospace",
        1,
        [("CN", "issuer")],
        [("cn-government", "issuer"), ("mofcom", "issuer")],
        [],
        [
            q(
                S_SCMP_EN,
                "Beijing stated on Thursday that the latest restrictions reflect its "
                "commitment to curbing proliferation.",
                "cn-government",
            ),
            q(
                S_CHINADAILY_2024,
                "China, drawing on international practices and considering its own "
                "needs, is enacting these controls to better safeguard national "
                "security and fulfill international non-proliferation obligations, "
                "said a spokesperson from the ministry.",
                "mofcom",
            ),
        ],
    ),
    ev(
        E_US_SANCTIONS,
        "Biden administration imposes nearly 1,000 trade sanctions and restrictions on Chinese "
        "companies",
        "Since 2023 the Biden administration has imposed nearly 1,000 trade sanctions and "
        "restrictions on Chinese companies. The translation gives the reasons as national security "
        "and 'Russia's actions in Xinjiang and Ukraine'; the SCMP original lists national security, "
        "Xinjiang and Russia's invasion of Ukraine.",
        "sanction_listing",
        "in_force",
        "2023",
        "2024-Q2",
        "inferred",
        "Worked out from 'since last year' in the SCMP report (and its translation): from 2023 up "
        "to the report, which is the end. " + REPORT_DAY,
        S_SCMP_ORIG,
        "US",
        "biden-administration",
        "sanctions",
        2,
        [("US", "issuer"), ("CN", "target")],
        [("biden-administration", "issuer")],
        [],
        [
            q(
                S_SCMP_EN,
                "Since last year, the Biden administration has imposed nearly 1,000 trade "
                "sanctions and restrictions on various Chinese companies, citing national "
                "security and Russia's actions in Xinjiang and Ukraine.",
            ),
            q(
                S_SCMP_VIA_COPY,
                "Since last year, the Biden administration has announced nearly 1,000 "
                "sanctions and trade restrictions against Chinese companies, citing "
                "concerns over national security, Xinjiang, and Russia’s invasion of "
                "Ukraine.",
            ),
        ],
    ),
    ev(
        E_DRONE_ANN,
        "China announces export controls on certain drones and drone equipment",
        "Four Chinese authorities issued notices placing export controls on certain unmanned aerial "
        "vehicles and related items, effective 1 September 2023.",
        "announcement",
        "announced",
        "2023-07-31",
        None,
        "external",
        "'Last July' in a report of mid-2024, so July 2023. Global Times (published 31 July 2023) "
        "reports the notices were issued 'on Monday' — 31 July 2023 was a Monday.",
        S_GT_2023,
        "CN",
        "mofcom",
        "drones",
        2,
        [("CN", "issuer")],
        [("mofcom", "issuer"), ("gac", "issuer"), ("sastind", "issuer"), ("cmc-edd", "issuer")],
        ["drones-and-drone-equipment"],
        [
            q(
                S_SCMP_EN,
                "Last July, Beijing imposed restrictions on the export of certain drones and "
                "drone-related equipment.",
            ),
            q(
                S_GT_2023,
                "Chinese authorities on Monday issued two notices to implement export "
                "controls on certain unmanned aerial vehicles (UAVs) and related items to "
                "safeguard national security and interests, which will take effect on "
                "September 1.",
            ),
            q(
                S_LPS_2023,
                "On July 31, 2023, the Ministry of Commerce of the Peoples Republic of "
                "China, the General Administration of Customs, the State Administration of "
                "Science, Technology and Industry for National Defense, and the Equipment "
                "Development Department of the Central Military Commission",
            ),
        ],
    ),
    ev(
        E_DRONE_INFORCE,
        "China's drone export controls take effect",
        "The export controls on certain drones and drone-related items announced on 31 July 2023 "
        "take effect.",
        "rule_in_force",
        "in_force",
        "2023-09-01",
        None,
        "external",
        "Global Times (31 July 2023): the controls 'will take effect on September 1' (2023).",
        S_GT_2023,
        "CN",
        "mofcom",
        "drones",
        1,
        [("CN", "issuer")],
        [("mofcom", "issuer"), ("gac", "issuer"), ("sastind", "issuer"), ("cmc-edd", "issuer")],
        ["drones-and-drone-equipment"],
        [q(S_GT_2023, "which will take effect on September 1")],
    ),
    ev(
        E_PRESSURE,
        "US and EU press China to halt dual-use exports to Russia",
        "The US and the European Union are pressing China to stop exporting dual-use products to "
        "Russia, alleging they are used in the war in Ukraine.",
        "statement",
        "reported",
        "2024-Q2",
        None,
        "inferred",
        "Described in the present tense in the SCMP report. " + SCMP_DATED,
        S_SCMP_ORIG,
        "US",
        "us-government",
        "dual-use",
        1,
        [
            ("US", "issuer"),
            ("EU", "issuer"),
            ("CN", "target"),
            ("RU", "affected"),
            ("UA", "affected"),
        ],
        [("us-government", "issuer"), ("european-union", "issuer"), ("cn-government", "target")],
        [],
        [
            q(
                S_SCMP_EN,
                "The US and the European Union are pressuring China to halt exports of "
                "dual-use products to Russia, alleging their use in the Ukraine war.",
            ),
            q(
                S_SCMP_VIA_COPY,
                "China has been under intense pressure from the US and the European "
                "Union to stop supplying dual-use products that supply the Russian "
                "forces in Ukraine.",
            ),
        ],
    ),
    ev(
        E_DENIAL,
        "China denies supplying Russia with dual-use products",
        "China denies the US and EU allegations and says it maintains normal trade relations with "
        "Moscow.",
        "statement",
        "reported",
        "2024-Q2",
        None,
        "inferred",
        "Reported in the SCMP report as China's standing position. " + SCMP_DATED,
        S_SCMP_ORIG,
        "CN",
        "cn-government",
        "dual-use",
        1,
        [("CN", "issuer"), ("RU", "affected")],
        [("cn-government", "issuer")],
        [],
        [
            q(
                S_SCMP_EN,
                "China has denied these allegations, maintaining normal trade relations with "
                "Moscow.",
                "cn-government",
            ),
            q(
                S_SCMP_VIA_COPY,
                "Beijing has denied the accusations and has insisted it has maintained "
                "normal trade relations with Moscow.",
                "cn-government",
            ),
        ],
    ),
    ev(
        E_ZHU_CHAO,
        "Zhu Chao: the controls target the US and its allies, with limited impact",
        "Zhu Chao of the institute Unbound (Anbound in the SCMP original) says the move mainly "
        "targets the United States and its allies and responds to US efforts to isolate China's "
        "defence industry, but its impact will be limited because they have already reduced their "
        "dependence on China's supply chain.",
        "statement",
        "reported",
        "2024-Q2",
        None,
        "inferred",
        "Said to the SCMP for its report on the 30 May 2024 announcement. " + SCMP_DATED,
        S_SCMP_ORIG,
        "HK",
        "scmp",
        "aerospace",
        1,
        [("CN", "affected"), ("US", "affected")],
        [("zhu-chao", "commentator"), ("scmp", "reporter")],
        [],
        [
            q(
                S_SCMP_EN,
                "Zhu Chao, a researcher at the international research institute Unbound, "
                "stated that this action mainly targets the United States and its allies.",
                "zhu-chao",
            ),
            q(
                S_SCMP_EN,
                "However, Zhu Chao believes the impact will be limited, as the US and its "
                "allies have already reduced their dependence on China's supply chain, "
                "despite the resultant inflation.",
                "zhu-chao",
            ),
            q(
                S_SCMP_ORIG,
                "according to Zhou Chao, a research fellow for the geopolitical strategy "
                "programme at Anbound, an international think tank.",
                "zhu-chao",
            ),
            q(
                S_SCMP_VIA_COPY,
                "“It is evident that this move targets the United States and other "
                "Western countries. Many products under export controls involve Europe "
                "and the United States,” Zhou said.",
                "zhu-chao",
            ),
        ],
    ),
    ev(
        E_TAO,
        "Tao Jingzhu: US–China trade restrictions are a 'two-way street'",
        "Tao Jingzhu, an international arbitrator in Beijing and Paris, says trade restrictions "
        "between the US and China are a two-way street; few products are directly affected, but "
        "the move shows China's resolve to control exports of sensitive goods.",
        "statement",
        "reported",
        "2024-Q2",
        None,
        "inferred",
        "Said to the SCMP for its report on the 30 May 2024 announcement. " + SCMP_DATED,
        S_SCMP_ORIG,
        "HK",
        "scmp",
        "aerospace",
        1,
        [("CN", "affected"), ("US", "affected")],
        [("tao-jingzhu", "commentator"), ("scmp", "reporter")],
        [],
        [
            q(
                S_SCMP_EN,
                "Tao Jingzhu, an international arbitrator in Beijing and Paris, noted that "
                'trade restrictions between the US and China are a "two-way street."',
                "tao-jingzhu",
            ),
            q(
                S_SCMP_EN,
                "Tao Jingzhu added that while not many products are directly affected by "
                "these new restrictions, it demonstrates China's resolve to control the "
                "export of sensitive goods.",
                "tao-jingzhu",
            ),
            q(
                S_SCMP_VIA_COPY,
                "Tao Jingzhou, an international arbitrator with Arbitration Chambers in "
                "Beijing and Paris, said decoupling between the US and China is a "
                "“two-way street.”",
                "tao-jingzhu",
            ),
        ],
    ),
    ev(
        E_SONG,
        "Song Zhongping: China controls sensitive space and shipbuilding technology",
        "Military analyst Song Zhongping says China is controlling exports of sensitive technology, "
        "particularly space- and shipbuilding-related, for its military significance or dual-use "
        "potential, and that China's primary objective is peace and avoiding conflict.",
        "statement",
        "reported",
        "2024-Q2",
        None,
        "inferred",
        "Said to the SCMP for its report on the 30 May 2024 announcement. " + SCMP_DATED,
        S_SCMP_ORIG,
        "HK",
        "scmp",
        "aerospace",
        1,
        [("CN", "affected")],
        [("song-zhongping", "commentator"), ("scmp", "reporter")],
        [],
        [
            q(
                S_SCMP_EN,
                "Song Zhongping, a Chinese military analyst and former trainer for the "
                "People's Liberation Army, said China is controlling the export of sensitive "
                "technology, particularly related to space and shipbuilding, due to their "
                "military significance or dual-use potential.",
                "song-zhongping",
            ),
            q(
                S_SCMP_EN,
                "He emphasized that China's primary objective is peace and avoiding conflict.",
                "song-zhongping",
            ),
        ],
    ),
    ev(
        E_ZHU_FENG,
        "Zhu Feng: China is protecting its own technology in response to the US",
        "Zhu Feng of Nanjing University says the move highlights the technology competition with "
        "Washington and was expected: as the US gets tough on Chinese high-tech products, China is "
        "protecting its own technology.",
        "statement",
        "reported",
        "2024-Q2",
        None,
        "inferred",
        "Said to the SCMP for its report on the 30 May 2024 announcement. " + SCMP_DATED,
        S_SCMP_ORIG,
        "HK",
        "scmp",
        "aerospace",
        1,
        [("CN", "affected"), ("US", "affected")],
        [("zhu-feng", "commentator"), ("scmp", "reporter")],
        [],
        [
            q(
                S_SCMP_EN,
                "Zhu Feng, executive dean of international relations at Nanjing University, "
                "commented that China's move highlights the ongoing technology competition "
                "with Washington.",
                "zhu-feng",
            ),
            q(
                S_SCMP_EN,
                '"This was expected. We see the US getting tough on Chinese high-tech '
                'products, and in response, China is protecting its own technology."',
                "zhu-feng",
            ),
        ],
    ),
    ev(
        E_SCMP,
        "SCMP reports China's new military-related export curbs and analysts' views",
        "The South China Morning Post reports that China tightened export restrictions on "
        "military-related equipment in response to growing US technology export restrictions, and "
        "analysts say the move may speed up the decoupling of the two countries' defence "
        "industries.",
        "report",
        "reported",
        "2024-Q2",
        None,
        "inferred",
        "Worked out from the report's words. " + REPORT_DAY,
        S_SCMP_ORIG,
        "HK",
        "scmp",
        "aerospace",
        2,
        [("HK", "issuer"), ("CN", "affected"), ("US", "affected")],
        [("scmp", "publisher")],
        [],
        [
            q(
                S_SCMP_EN,
                "China has taken steps to tighten restrictions on the export of military "
                "equipment in response to the increasing US-imposed technology export "
                "restrictions.",
            ),
            q(
                S_SCMP_EN,
                "Analysts believe this move will further sever the ties between the defense "
                "industries of the two countries.",
            ),
            q(
                S_SCMP_ORIG,
                "China’s move to tighten export controls on military-related equipment was "
                "intended to counter growing US tech curbs, but may also speed up the "
                "decoupling of the defence industries of the two countries, analysts "
                "said.",
            ),
        ],
    ),
    # ---------------- seed 2: Hong Kong 01 / Japanese report ----------------
    ev(
        E_PAPER,
        "Paper in the Bulletin of the Chinese Academy of Sciences proposes a 63-item draft export "
        "control list",
        "A paper published in the Bulletin of the Chinese Academy of Sciences (a journal) proposes "
        "a draft export control list of 63 technologies, targeting the United States and its allies "
        "and partly modelled on US controls, classified into three tiers by score. Its authors are "
        "of the Chinese Academy of Engineering: corresponding author Fan Guobing, an academician "
        "of that academy, and lead author Peng Xianke of its Innovation Strategy Research "
        "Institute. It is an academic proposal, not a rule.",
        "proposal",
        "proposed",
        "2026-03",
        None,
        "inferred",
        "'In March this year' in an article that dates the Hong Kong 01 report June 2, 2026, so "
        "March 2026.",
        S_HK01_EN,
        "CN",
        "bulletin-cas",
        "technology-list",
        3,
        [("CN", "issuer"), ("US", "target")],
        [("fan-guobing", "author"), ("peng-xianke", "author"), ("bulletin-cas", "publisher")],
        [
            "satellite-quantum-secure-communication",
            "electromagnetic-catapults",
            "solar-cell-technologies",
            "small-ai-edge-computers",
            "rare-earth-recovery-technology",
            "advanced-high-strength-automotive-steel",
            "graphdiyne-materials",
            "space-robots",
            "beidou-3-inter-satellite-link-orbit-determination",
            "free-space-optical-communication",
            "rare-earths",
            "quantum-communication",
        ],
        [
            q(
                S_HK01_EN,
                "in March this year, a paper was published in the Chinese academic journal "
                '"Bulletin of the Chinese Academy of Sciences" that included a comprehensive '
                "draft export control list spanning 63 scientific and technological fields, "
                "targeting the United States and its allies",
            ),
            q(
                S_HK01_EN,
                "the framework for selecting export-restricted technologies partly "
                "referenced the control mechanism that the U.S. has implemented for many "
                "years",
            ),
            q(
                S_HK01_EN,
                "63 technologies with strategic sensitivity and global competitiveness were "
                "selected and classified into three tiers based on scores",
            ),
            q(
                S_HK01_EN,
                "the highest-scoring, first-tier export-restricted technologies include "
                "satellite quantum secure communication, electromagnetic catapults, solar "
                "cell-related technologies, general-purpose small artificial intelligence "
                "(AI) edge computers",
            ),
            q(
                S_HK01_EN,
                "rare earth recovery technology, and manufacturing technology for advanced "
                "high-strength steel for automobiles",
            ),
            q(
                S_HK01_EN,
                "graphdiyne materials, space robots, Beidou-3 satellite inter-satellite link "
                "autonomous orbit determination technology, and free-space optical "
                "communication, among others, were selected as second and third-tier "
                "technologies",
            ),
            q(
                S_HK01_EN,
                "the corresponding author (responsible author) of the paper is Fan Guobing "
                "(ファン・グオビン), an authority in the field of high-energy laser "
                "engineering and an academician (member of the academy) of the Chinese "
                "Academy of Engineering",
            ),
        ],
    ),
    ev(
        E_HK01,
        "Hong Kong 01 reports a Chinese team's 63-item draft export restriction list",
        "Hong Kong 01 reports that a Chinese research team, referencing the US export control "
        "system, proposed its own draft export restriction list of 63 technologies, such as rare "
        "earths and quantum communication.",
        "report",
        "reported",
        "2026-06-02",
        None,
        "stated",
        "The article states 'On June 2, 2026'.",
        None,
        "HK",
        "hk01",
        "technology-list",
        2,
        [("HK", "issuer"), ("CN", "affected"), ("US", "target")],
        [("hk01", "publisher")],
        ["rare-earths", "quantum-communication"],
        [
            q(
                S_HK01_EN,
                "On June 2, 2026, Hong Kong media outlet Hong Kong 01 reported that a Chinese "
                "research team, referencing the U.S. export control system, proposed its own "
                "draft export restriction list targeting 63 items of technology, such as rare "
                "earths and quantum communication.",
            )
        ],
    ),
    ev(
        E_PENG,
        "Peng Xianke: the list is exploratory research, not policy (as reported by Hong Kong 01 on "
        "2 June 2026)",
        "As reported by Hong Kong 01 on 2 June 2026, the paper's lead author, Peng Xianke, stated "
        "that the research is an exploratory academic achievement and not an export control policy "
        "decided by the authorities. When he said it is not known; the date shown is the day the "
        "statement was made public in that report.",
        "statement",
        "reported",
        "2026-06-02",
        None,
        "inferred",
        "Not the day Peng spoke: 2 June 2026 is the day the statement was made public, in the Hong "
        "Kong 01 report of June 2, 2026 that carries it (the seed dates that report). He may have "
        "said it earlier; the sources do not say when. The day is "
        "kept because the format has no 'on or before' date, and a month or quarter would still "
        "not bound the earlier end.",
        S_HK01_EN,
        "CN",
        "cae-strategy-institute",
        "technology-list",
        2,
        [("CN", "issuer")],
        [("peng-xianke", "issuer"), ("hk01", "reporter")],
        [],
        [
            q(
                S_HK01_EN,
                "stated that this research is currently an exploratory academic achievement "
                "and not an export control policy decided by the authorities",
                "peng-xianke",
            ),
            q(
                S_HK01_EN,
                "Peng Xianke (ポン・シエンコー), Deputy Secretary-General of the Chinese "
                "Academy of Engineering Innovation Strategy Research Institute and lead "
                "author",
                "peng-xianke",
            ),
        ],
    ),
    ev(
        E_JP,
        "Japanese report relays Hong Kong 01's article on the 63-item list",
        "A Japanese report, edited and translated by Kawajiri, relays Hong Kong 01's article on the "
        "draft list; the text we hold is an English translation of it.",
        "report",
        "reported",
        "2026-06",
        None,
        "inferred",
        "It calls the Hong Kong 01 report of June 2, 2026 'the 2nd', a form used for a day of the "
        "current month, so it appeared in June 2026 on or after the 2nd; the day is not given.",
        S_HK01_EN,
        "JP",
        "kawajiri",
        "technology-list",
        1,
        [("JP", "issuer")],
        [("kawajiri", "reporter")],
        [],
        [
            q(
                S_HK01_EN,
                "On the 2nd, Hong Kong media outlet Hong Kong 01 reported that a Chinese "
                "research team, referencing the U.S. export control system, proposed its own "
                "draft export restriction list",
            ),
            q(S_HK01_EN, "(Edited and Translated by Kawajiri)"),
        ],
    ),
    # ---------------- context milestones (external) ----------------
    ev(
        E_BIS_2022,
        "US BIS restricts China's access to advanced chips and chipmaking tools",
        "The Commerce Department's Bureau of Industry and Security issues two rules restricting the "
        "PRC's ability to obtain advanced computing chips, develop and maintain supercomputers, and "
        "manufacture advanced semiconductors.",
        "announcement",
        "in_force",
        "2022-10-07",
        None,
        "external",
        "BIS press release dated Friday, October 7, 2022.",
        S_BIS_2022,
        "US",
        "bis",
        "semiconductors",
        3,
        [("US", "issuer"), ("CN", "target")],
        [("bis", "issuer")],
        ["advanced-computing-chips", "semiconductor-manufacturing-equipment"],
        [
            q(
                S_BIS_2022,
                "The export controls announced in the two rules today restrict the PRC’s "
                "ability to obtain advanced computing chips, develop and maintain "
                "supercomputers, and manufacture advanced semiconductors.",
            )
        ],
    ),
    ev(
        E_BIS_2023,
        "US BIS updates and tightens its advanced computing and chipmaking controls",
        "BIS releases a package of rules updating the October 2022 controls on advanced computing "
        "semiconductors, semiconductor manufacturing equipment and supercomputing items, and adds "
        "PRC entities to the Entity List.",
        "announcement",
        "in_force",
        "2023-10-17",
        None,
        "external",
        "BIS press release dated Tuesday, October 17, 2023.",
        S_BIS_2023,
        "US",
        "bis",
        "semiconductors",
        2,
        [("US", "issuer"), ("CN", "target")],
        [("bis", "issuer")],
        ["advanced-computing-chips", "semiconductor-manufacturing-equipment"],
        [
            q(
                S_BIS_2023,
                "Today, the U.S. Department of Commerce’s Bureau of Industry and Security "
                "(BIS) released a package of rules designed to update export controls on "
                "advanced computing semiconductors and semiconductor manufacturing "
                "equipment",
            ),
            q(
                S_BIS_2023,
                "Updates to Modify and Reinforce Restrictions Initially Released on October "
                "7, 2022, to Address National Security Concerns Posed by PRC Military "
                "Modernization",
            ),
        ],
    ),
    ev(
        E_BIS_2024,
        "US BIS adds chipmaking-tool and memory controls and 140 Entity List entries",
        "BIS issues an interim final rule with new controls on semiconductor manufacturing "
        "equipment and high-bandwidth memory and new foreign direct product rules, and a final rule "
        "adding 140 entities to the Entity List.",
        "announcement",
        "in_force",
        "2024-12-02",
        None,
        "external",
        "The Federal Register text: 'This rule is effective December 2, 2024'; Holland & Knight "
        "dates both rules Dec. 2, 2024.",
        S_FR_2024,
        "US",
        "bis",
        "semiconductors",
        2,
        [("US", "issuer"), ("CN", "target")],
        [("bis", "issuer")],
        ["semiconductor-manufacturing-equipment", "high-bandwidth-memory"],
        [
            q(S_FR_2024, "Effective date: This rule is effective December 2, 2024."),
            q(
                S_HK_LAW_2024,
                "The U.S. Bureau of Industry and Security (BIS) issued a Final Rule on "
                "Dec. 2, 2024, that adds 140 entities to the Entity List",
            ),
        ],
    ),
    ev(
        E_ECL,
        "China's Export Control Law takes effect",
        "The Export Control Law, passed by the NPC Standing Committee on 17 October 2020, takes "
        "effect; it allows countermeasures against countries that abuse export-control measures.",
        "rule_in_force",
        "in_force",
        "2020-12-01",
        None,
        "external",
        "Xinhua, 17 October 2020: the law 'will go into effect on December 1' (2020).",
        S_XINHUA_2020,
        "CN",
        "npcsc",
        "legal-framework",
        3,
        [("CN", "issuer")],
        [("npcsc", "issuer")],
        [],
        [
            q(
                S_XINHUA_2020,
                "China's top legislature on Saturday passed a law on export control, "
                "which will go into effect on December 1.",
            ),
            q(
                S_XINHUA_2020,
                "China may take countermeasures against any country or region that "
                "abuses export-control measures and poses a threat to China's national "
                "security and interests, according to the law.",
            ),
        ],
    ),
    ev(
        E_GAGE,
        "China announces export controls on gallium and germanium",
        "MOFCOM and the General Administration of Customs announce export controls on gallium- and "
        "germanium-related items, effective 1 August 2023; exports need a licence.",
        "announcement",
        "announced",
        "2023-07-03",
        None,
        "external",
        "China Justice Observer: issued 'On 3 July 2023'; Beijing Review: effective August 1.",
        S_CJO_2023,
        "CN",
        "mofcom",
        "critical-minerals",
        2,
        [("CN", "issuer")],
        [("mofcom", "issuer"), ("gac", "issuer")],
        ["gallium", "germanium"],
        [
            q(
                S_CJO_2023,
                "On 3 July 2023, China’s Ministry of Commerce (MOFCOM) and General "
                "Administration of Customs (GAC) issued the “Announcement on Export Control "
                "of Gallium and Germanium-Related Items”",
            ),
            q(S_BJR_2023, "The restrictions will take effect from August 1."),
        ],
    ),
    ev(
        E_GRAPHITE,
        "China announces export controls on certain graphite products",
        "MOFCOM and the General Administration of Customs announce that certain high-purity "
        "artificial graphite and natural flake graphite products need an export permit, from "
        "1 December 2023.",
        "announcement",
        "announced",
        "2023-10-20",
        None,
        "external",
        "Xinhua report datelined Oct. 20 (2023): announced 'on Friday'; 20 October 2023 was a "
        "Friday.",
        S_XINHUA_GRAPHITE,
        "CN",
        "mofcom",
        "critical-minerals",
        2,
        [("CN", "issuer")],
        [("mofcom", "issuer"), ("gac", "issuer")],
        ["graphite"],
        [
            q(
                S_XINHUA_GRAPHITE,
                "The Chinese government announced on Friday that it will impose "
                "export controls on certain graphite materials and related "
                "products.",
            ),
            q(
                S_XINHUA_GRAPHITE,
                "The control measures take effect on Dec. 1, 2023, according to the announcement.",
            ),
        ],
    ),
    ev(
        E_SB,
        "China announces export controls on antimony",
        "The commerce ministry announces export controls on antimony and other items, effective "
        "15 September 2024.",
        "announcement",
        "announced",
        "2024-08-15",
        None,
        "external",
        "Reuters, datelined Aug 15 (2024): the ministry said so 'on Thursday' (15 August 2024).",
        S_REUTERS_SB,
        "CN",
        "mofcom",
        "critical-minerals",
        2,
        [("CN", "issuer")],
        [("mofcom", "issuer")],
        ["antimony", "superhard-materials"],
        [
            q(
                S_REUTERS_SB,
                "China's commerce ministry said on Thursday that it would impose export "
                "controls on antimony and other elements, in the name of protecting "
                "national interests and security, effective from Sept. 15.",
            )
        ],
    ),
    ev(
        E_DUALUSE,
        "China's Regulations on Export Control of Dual-use Items take effect",
        "State Council regulations on the export control of dual-use items, signed by Premier Li "
        "Qiang, take effect.",
        "rule_in_force",
        "in_force",
        "2024-12-01",
        None,
        "external",
        "Shanghai Daily (Oct 2024): the regulations 'will take effect on December 1, 2024'.",
        S_SHINE_DUALUSE,
        "CN",
        "state-council",
        "legal-framework",
        3,
        [("CN", "issuer")],
        [("state-council", "issuer")],
        [],
        [
            q(
                S_SHINE_DUALUSE,
                "Chinese Premier Li Qiang has signed a decree of the State Council to "
                "unveil regulations on export control of dual-use items, which will "
                "take effect on December 1, 2024.",
            )
        ],
    ),
    ev(
        E_US_BAN,
        "China bans gallium, germanium and antimony exports to the US",
        "The commerce ministry bans exports of dual-use items related to gallium, germanium, "
        "antimony and superhard materials to the United States with immediate effect, a day after "
        "the US BIS's new chip rules.",
        "announcement",
        "in_force",
        "2024-12-03",
        None,
        "external",
        "Reuters, published 3 December 2024: the ministry said so 'on Tuesday' (3 December 2024), "
        "with immediate effect.",
        S_REUTERS_BAN,
        "CN",
        "mofcom",
        "critical-minerals",
        3,
        [("CN", "issuer"), ("US", "target")],
        [("mofcom", "issuer")],
        ["gallium", "germanium", "antimony", "superhard-materials", "graphite"],
        [
            q(
                S_REUTERS_BAN,
                "China will ban exports of “dual-use items” related to gallium, "
                "germanium, antimony and superhard materials to the US with immediate "
                "effect, its commerce ministry said on Tuesday, a day after Washington’s "
                "latest crackdown on China’s chip sector.",
            ),
            q(
                S_REUTERS_BAN,
                "“In principle, the export of gallium, germanium, antimony, and "
                "superhard materials to the United States shall not be permitted,” the "
                "ministry said.",
                "mofcom",
            ),
        ],
    ),
    ev(
        E_RE_2025_04,
        "China imposes export controls on seven medium and heavy rare earths",
        "MOFCOM and the General Administration of Customs impose export controls, effective "
        "immediately, on items related to seven medium and heavy rare earths (Announcement 18 of "
        "2025).",
        "announcement",
        "in_force",
        "2025-04-04",
        None,
        "external",
        "Holland & Knight: issued 'on April 4, 2025'; Shanghai Daily (2025-04-04): announced 'on "
        "Friday', effective immediately.",
        S_HKLAW_RE_2025,
        "CN",
        "mofcom",
        "rare-earths",
        3,
        [("CN", "issuer")],
        [("mofcom", "issuer"), ("gac", "issuer")],
        ["medium-heavy-rare-earths"],
        [
            q(
                S_HKLAW_RE_2025,
                "China's Ministry of Commerce (MOFCOM) and General Administration of "
                "Customs on April 4, 2025, issued Announcement 18, which imposes "
                "export controls on specific medium and heavy rare earth materials.",
            ),
            q(
                S_SHINE_RE_2025,
                "The measures, effective immediately, aim to better safeguard national "
                "security and interests and fulfill non-proliferation and other "
                "international obligations, a commerce ministry spokesperson said.",
                "mofcom",
            ),
        ],
    ),
    ev(
        E_RE_2025_10,
        "China extends rare-earth export controls to foreign-made items and technologies",
        "MOFCOM issues Announcements No. 61 and No. 62 of 2025, controlling certain overseas "
        "rare-earth items that contain Chinese components and rare-earth related technologies.",
        "announcement",
        "announced",
        "2025-10-09",
        None,
        "external",
        "ChemRadar: 'On October 9, 2025, the Ministry of Commerce issued two announcements'; Hong "
        "Kong 01 and the MOFCOM spokesperson give 9 October.",
        S_CHEMRADAR_2025,
        "CN",
        "mofcom",
        "rare-earths",
        3,
        [("CN", "issuer"), ("XX", "affected")],
        [("mofcom", "issuer")],
        ["rare-earth-technologies"],
        [
            q(
                S_CHEMRADAR_2025,
                "On October 9, 2025, the Ministry of Commerce issued two "
                "announcements, announcing a series of export control measures.",
            ),
            q(
                S_SMM_2025,
                "the Ministry of Commerce issued Announcement No. 61 of 2025 on October 9, "
                "implementing export controls on certain overseas rare earth-related items "
                "containing Chinese components.",
                "mofcom",
            ),
            q(
                S_HK01_2025,
                "10月9日上午，商務部發布兩則公告，對含有中國成分的部份境外相關稀土物項、"
                "稀土相關技術實施出口管制；",
            ),
        ],
    ),
    ev(
        E_GAGE_INFORCE,
        "China's gallium and germanium export controls take effect",
        "The export controls on gallium- and germanium-related items announced on 3 July 2023 "
        "take effect; exports need a licence.",
        "rule_in_force",
        "in_force",
        "2023-08-01",
        None,
        "external",
        "The LPS summary of the announcement: it 'will take effect onAugust 1, 2023' (words run "
        "together as returned); Beijing Review (7 July 2023): 'from August 1'; Metal Bulletin "
        "(21 September 2023): controls 'introduced on August 1'.",
        S_LPS_GAGE,
        "CN",
        "mofcom",
        "critical-minerals",
        1,
        [("CN", "issuer")],
        [("mofcom", "issuer"), ("gac", "issuer")],
        ["gallium", "germanium"],
        [
            q(
                S_LPS_GAGE,
                "This decision has been approved by the State Council and will take effect "
                "onAugust 1, 2023the effective date.",
            ),
            q(
                S_BJR_2023,
                "The Ministry of Commerce and the General Administration of Customs issued "
                "a notice on imposing export restrictions on industrial products and "
                "materials containing gallium and germanium on Monday. The restrictions will "
                "take effect from August 1.",
            ),
            q(
                S_MB_GAGE,
                "China’s has approved the first export licenses for gallium and germanium "
                "since controls were introduced on August 1, the Ministry of Commerce "
                "announced on Thursday September 21.",
            ),
        ],
    ),
    ev(
        E_GRAPHITE_INFORCE,
        "China's graphite export controls take effect",
        "The export controls on certain graphite materials and products announced on 20 October "
        "2023 take effect; the listed items need an export permit.",
        "rule_in_force",
        "in_force",
        "2023-12-01",
        None,
        "external",
        "Xinhua (20 October 2023): 'The control measures take effect on Dec. 1, 2023'.",
        S_XINHUA_GRAPHITE,
        "CN",
        "mofcom",
        "critical-minerals",
        1,
        [("CN", "issuer")],
        [("mofcom", "issuer"), ("gac", "issuer")],
        ["graphite"],
        [
            q(
                S_XINHUA_GRAPHITE,
                "The control measures take effect on Dec. 1, 2023, according to the announcement.",
            )
        ],
    ),
    ev(
        E_UEL,
        "China issues its Provisions on the Unreliable Entity List",
        "The Ministry of Commerce promulgates the Provisions on the Unreliable Entity List (MOFCOM "
        "Order No. 4 of 2020), approved by the State Council and effective the same day: a "
        "framework for measures against foreign entities found to act against China's national "
        "interests.",
        "announcement",
        "in_force",
        "2020-09-19",
        None,
        "external",
        "Library of Congress: 'On September 19, 2020, ... MOFCOM released the Provisions'; the "
        "order is signed September 19, 2020 and takes effect on promulgation; Squire Patton Boggs: "
        "'became effective the same day'.",
        S_LOC_UEL,
        "CN",
        "mofcom",
        "legal-framework",
        2,
        [("CN", "issuer")],
        [("mofcom", "issuer")],
        [],
        [
            q(
                S_LOC_UEL,
                "On September 19, 2020, upon approval of the State Council, China’s Ministry "
                "of Commerce (MOFCOM) released the Provisions on the Unreliable Entity List "
                "(English translation prepared by MOFCOM).",
            ),
            q(
                S_LOC_UEL,
                "The Provisions establish the framework of an “unreliable entity list” (UEL) "
                "regime, under which punitive measures may be imposed on designated foreign "
                "entities, including companies, other organizations, or individuals, for "
                "conduct that is contrary to China’s national interests.",
            ),
            q(
                S_SD_UEL,
                "The Provisions on the Unreliable Entity List, approved by the State Council, "
                "are hereby promulgated and shall be effective as of the date of the "
                "promulgation.",
                "mofcom",
            ),
            q(
                S_SPB_UEL,
                "On September 19, 2020, the Ministry of Commerce of the People’s Republic of "
                "China (the MOFCOM) published the Regulations on Unreliable Entity List "
                "(Regulations), which became effective the same day.",
            ),
        ],
    ),
    ev(
        E_RE_SUSPEND,
        "China suspends its October 2025 rare-earth and related export controls",
        "MOFCOM and the General Administration of Customs issue Announcement No. 70 of 2025, "
        "suspending, with immediate effect until 10 November 2026, six announcements of 9 October "
        "2025 (Nos. 55-58 and MOFCOM's Nos. 61 and 62 on overseas rare-earth items and rare-earth "
        "technologies).",
        "announcement",
        "in_force",
        "2025-11-07",
        None,
        "external",
        "ChemRadar: 'On November 7, 2025, ... jointly issued Announcement No. 70 of 2025'; "
        "Resilinc gives the same day.",
        S_CHEMRADAR_2025_11,
        "CN",
        "mofcom",
        "rare-earths",
        3,
        [("CN", "issuer"), ("XX", "affected")],
        [("mofcom", "issuer"), ("gac", "issuer")],
        ["rare-earth-technologies"],
        [
            q(
                S_CHEMRADAR_2025_11,
                "On November 7, 2025, China's Ministry of Commerce and the General "
                "Administration of Customs jointly issued Announcement No. 70 of "
                "2025, announcing the suspension of multiple previous "
                "announcements effective immediately until November 10, 2026.",
            ),
            q(
                S_CHEMRADAR_2025_11,
                "The suspended announcements include Ministry of Commerce and "
                "General Administration of Customs Announcements No. 55, 56, 57, "
                "and 58 of 2025, as well as Ministry of Commerce Announcements No. "
                "61 and 62 of 2025.",
            ),
            q(
                S_RESILINC_2025,
                "The order halts enforcement of six prior measures (MOFCOM and GAC "
                "Announcements No. 55, 56, 57, and 58, and MOFCOM Announcements No. 61 "
                "and 62) until November 10, 2026.",
            ),
        ],
    ),
]


# --------------------------------------------------------------------------------------------
# relations
def rel(frm, kind, to, note=""):
    return {"from": frm, "to": to, "kind": kind, "note": note}


RELATIONS = [
    rel(E_INFORCE, "takes_effect", E_ANN, "The announced controls take effect from July 1."),
    rel(E_DRONE_INFORCE, "takes_effect", E_DRONE_ANN, "Global Times: take effect on September 1."),
    rel(
        E_ANN,
        "responds_to",
        E_US_SANCTIONS,
        "The seed translation of the SCMP report: China tightened restrictions on the export of "
        "military equipment 'in response to the increasing US-imposed technology export "
        "restrictions'; the SCMP article: the move 'was intended to counter growing US tech "
        "curbs'. Both reports then cite the Biden administration's nearly 1,000 sanctions and "
        "(trade) restrictions on Chinese companies since 2023; they name no single US measure.",
    ),
    rel(
        E_ANN,
        "implements",
        E_ECL,
        "MMLC: the announcement implements export controls 'in accordance with the PRC Export "
        "Control Law'.",
    ),
    rel(E_DENIAL, "responds_to", E_PRESSURE, "China denies the US and EU allegations."),
    rel(E_SCMP, "reports_on", E_ANN),
    rel(E_SCMP, "reports_on", E_INFORCE),
    rel(E_SCMP, "reports_on", E_STAT),
    rel(E_SCMP, "reports_on", E_NONPROLIF),
    rel(E_SCMP, "reports_on", E_US_SANCTIONS),
    rel(E_SCMP, "reports_on", E_DRONE_ANN),
    rel(E_SCMP, "reports_on", E_PRESSURE),
    rel(E_SCMP, "reports_on", E_DENIAL),
    rel(E_SCMP, "reports_on", E_ZHU_CHAO),
    rel(E_SCMP, "reports_on", E_TAO),
    rel(E_SCMP, "reports_on", E_SONG),
    rel(E_SCMP, "reports_on", E_ZHU_FENG),
    rel(E_HK01, "reports_on", E_PAPER),
    rel(E_HK01, "reports_on", E_PENG),
    rel(E_JP, "reports_on", E_HK01),
    rel(
        E_BIS_2023,
        "amends",
        E_BIS_2022,
        "BIS: 'Updates to Modify and Reinforce Restrictions Initially Released on October 7, "
        "2022'.",
    ),
    rel(
        E_BIS_2024,
        "amends",
        E_BIS_2023,
        "The December 2024 interim final rule refines the controls for advanced computing and "
        "semiconductor manufacturing items.",
    ),
    rel(
        E_US_BAN,
        "responds_to",
        E_BIS_2024,
        "Reuters: announced 'a day after Washington’s latest crackdown on China’s chip sector'; "
        "Holland & Knight: 'The Chinese government retaliated by banning exports'.",
    ),
    rel(E_GAGE_INFORCE, "takes_effect", E_GAGE, "Beijing Review: 'take effect from August 1'."),
    rel(
        E_GRAPHITE_INFORCE,
        "takes_effect",
        E_GRAPHITE,
        "Xinhua: 'The control measures take effect on Dec. 1, 2023'.",
    ),
    rel(
        E_RE_SUSPEND,
        "amends",
        E_RE_2025_10,
        "Announcement No. 70 of 2025 suspends MOFCOM Announcements No. 61 and 62 of 2025 (with "
        "Nos. 55-58) until November 10, 2026 (ChemRadar, Resilinc).",
    ),
    rel(
        E_RE_2025_10,
        "implements",
        E_ECL,
        "MOFCOM spokesperson: issued in accordance with the Export Control Law.",
    ),
    rel(
        E_RE_2025_10,
        "implements",
        E_DUALUSE,
        "MOFCOM spokesperson: issued in accordance with the Regulations on the Export Control of "
        "Dual-Use Items.",
    ),
]


# --------------------------------------------------------------------------------------------
def dump(name: str, data) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    (DB / name).write_text(text, encoding="utf-8")


def parents_first(actors: list[dict]) -> list[dict]:
    """Actors by key, except that a parent always comes before its children.

    The store's builder inserts actors in file order with foreign keys on, so a child listed
    before its parent would fail.
    """
    left = sorted(actors, key=lambda a: a["key"])
    done: set[str] = set()
    out = []
    while left:
        for a in left:
            if not a["parent"] or a["parent"] in done:
                out.append(a)
                done.add(a["key"])
                left.remove(a)
                break
        else:
            raise SystemExit(f"actor parents form a cycle among {[a['key'] for a in left]}")
    return out


def main() -> None:
    from explorer.domain.dates import PartialDate  # the project's own parser

    def order(e):
        d = PartialDate.parse(e["start"])
        return (d.first_day(), e["key"])

    events = sorted(EVENTS, key=order)
    with (DB / "countries.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name"])
        for code, name in sorted(COUNTRIES):
            w.writerow([code, name])
    dump("actors.json", parents_first(ACTORS))
    dump("sources.json", sorted(SOURCES, key=lambda s: s["key"]))
    dump("items.json", ITEMS)
    dump("events.json", events)
    dump("relations.json", sorted(RELATIONS, key=lambda r: (r["from"], r["kind"], r["to"])))
    print(
        f"wrote {len(events)} events, {sum(len(e['quotes']) for e in events)} quotes, "
        f"{len(SOURCES)} sources, {len(ACTORS)} actors, {len(ITEMS)} items, "
        f"{len(RELATIONS)} relations"
    )


if __name__ == "__main__":
    main()
