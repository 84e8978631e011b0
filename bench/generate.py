"""A deterministic synthetic Hunan bundle in the CSV input format (../shared/docs/input-format.md).

`generate_bundle(out, enterprises, seed)` (or `python -m bench.generate OUT --enterprises N --seed S`
from the repository) writes enterprises.csv, persons.csv, roles.csv,
shareholdings.csv and records.csv row by row: the same seed and size give byte-identical files, and
memory stays at a few compact arrays per enterprise and person, so a million enterprises fit.

Shape (issue 2, item 5):
- persons ≈ 0.7 × enterprises; the person behind a new role is, with a fixed probability, someone
  new and otherwise someone already holding a role, drawn in proportion to the roles he holds
  (a Yule-Simon process): most persons act in one or two enterprises, a few in dozens (capped);
- every enterprise has one legal representative at a time (individual businesses: an operator,
  role `principal`); some change, the old role ending the day the new one starts;
- enterprise groups: a subsidiary is held by an earlier enterprise, often the last subsidiary made,
  so chains reach 6 levels; half the subsidiaries sit in another city; a few hold a small stake in
  an ancestor, closing a cycle;
- holdings into an enterprise sum to at most 1 on every date (ratios are kept in basis points, and
  a transfer ends the old holding the day the new one starts);
- about 2 % of enterprises blacklisted (mixed categories, some naming responsible persons), 1 %
  red-listed, 5 % with administrative penalties, and a few persons court-listed themselves; each
  decided by a department of the right kind in the subject's county or city.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import random
import time
from array import array
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from graph_service.identifiers import (
    USCC_ALPHABET,
    organization_code_check_char,
    ric_check_char,
    uscc_check_char,
)

# A fixed reference day instead of date.today(): the output must not depend on the day it is made.
REFERENCE_DAY = date(2026, 11, 26)

# Current Hunan GB/T 2260 codes with the first year each code was in use (python-stdnum loc.dat;
# "1980" = since before 1980). City-level codes end in 00.
_HUNAN = """
430100 长沙市 1980|430102 芙蓉区 1983|430103 天心区 1983|430104 岳麓区 1983|430105 开福区 1983
430111 雨花区 1983|430112 望城区 2011|430121 长沙县 1980|430181 浏阳市 1993|430182 宁乡市 2017
430200 株洲市 1980|430202 荷塘区 1983|430203 芦淞区 1983|430204 石峰区 1983|430211 天元区 1983
430212 渌口区 2018|430223 攸县 1983|430224 茶陵县 1983|430225 炎陵县 1983|430281 醴陵市 1989
430300 湘潭市 1980|430302 雨湖区 1984|430304 岳塘区 1984|430321 湘潭县 1980|430381 湘乡市 1989
430382 韶山市 1990|430400 衡阳市 1980|430405 珠晖区 2001|430406 雁峰区 2001|430407 石鼓区 2001
430408 蒸湘区 2001|430412 南岳区 1984|430421 衡阳县 1983|430422 衡南县 1983|430423 衡山县 1983
430424 衡东县 1983|430426 祁东县 1983|430481 耒阳市 1989|430482 常宁市 1996|430500 邵阳市 1980
430502 双清区 1983|430503 大祥区 1983|430511 北塔区 1983|430522 新邵县 1983|430523 邵阳县 1986
430524 隆回县 1986|430525 洞口县 1986|430527 绥宁县 1986|430528 新宁县 1986|430529 城步苗族自治县 1986
430581 武冈市 1994|430582 邵东市 2019|430600 岳阳市 1983|430602 岳阳楼区 1984|430603 云溪区 1984
430611 君山区 1984|430621 岳阳县 1983|430623 华容县 1986|430624 湘阴县 1986|430626 平江县 1986
430681 汨罗市 1989|430682 临湘市 1992|430700 常德市 1988|430702 武陵区 1988|430703 鼎城区 1988
430721 安乡县 1988|430722 汉寿县 1988|430723 澧县 1988|430724 临澧县 1988|430725 桃源县 1988
430726 石门县 1988|430781 津市市 1989|430800 张家界市 1988|430802 永定区 1988|430811 武陵源区 1988
430821 慈利县 1988|430822 桑植县 1988|430900 益阳市 1994|430902 资阳区 1994|430903 赫山区 1994
430921 南县 1994|430922 桃江县 1994|430923 安化县 1994|430981 沅江市 1994|431000 郴州市 1994
431002 北湖区 1994|431003 苏仙区 1994|431021 桂阳县 1994|431022 宜章县 1994|431023 永兴县 1994
431024 嘉禾县 1994|431025 临武县 1994|431026 汝城县 1994|431027 桂东县 1994|431028 安仁县 1994
431081 资兴市 1994|431100 永州市 1995|431102 零陵区 1995|431103 冷水滩区 1995|431122 东安县 1995
431123 双牌县 1995|431124 道县 1995|431125 江永县 1995|431126 宁远县 1995|431127 蓝山县 1995
431128 新田县 1995|431129 江华瑶族自治县 1995|431181 祁阳市 2021|431200 怀化市 1997|431202 鹤城区 1997
431221 中方县 1997|431222 沅陵县 1997|431223 辰溪县 1997|431224 溆浦县 1997|431225 会同县 1997
431226 麻阳苗族自治县 1997|431227 新晃侗族自治县 1997|431228 芷江侗族自治县 1997
431229 靖州苗族侗族自治县 1997|431230 通道侗族自治县 1997|431281 洪江市 1997|431300 娄底市 1999
431302 娄星区 1999|431321 双峰县 1999|431322 新化县 1999|431381 冷水江市 1999|431382 涟源市 1999
433100 湘西土家族苗族自治州 1980|433101 吉首市 1982|433122 泸溪县 1980|433123 凤凰县 1980
433124 花垣县 1980|433125 保靖县 1980|433126 古丈县 1980|433127 永顺县 1980|433130 龙山县 1980
"""

# A citizen ID keeps the address code of its first issue (domain.md 7.2), so people born before a
# county got its current code carry the code it had then. (birth year from, code) per current code.
_ID_ERAS: dict[str, list[tuple[int, str]]] = {
    "431002": [(1955, "432801"), (1994, "431002")], "431003": [(1955, "432821"), (1994, "431003")],
    "431021": [(1955, "432822"), (1994, "431021")], "431022": [(1955, "432824"), (1994, "431022")],
    "431023": [(1955, "432823"), (1994, "431023")], "431024": [(1955, "432826"), (1994, "431024")],
    "431025": [(1955, "432827"), (1994, "431025")], "431026": [(1955, "432828"), (1994, "431026")],
    "431027": [(1955, "432829"), (1994, "431027")], "431028": [(1955, "432831"), (1994, "431028")],
    "431081": [(1955, "432825"), (1984, "432802"), (1994, "431081")],
    "430112": [(1955, "430122"), (2011, "430112")], "430212": [(1955, "430221"), (2018, "430212")],
    "430182": [(1983, "430124"), (2017, "430182")], "430582": [(1983, "430521"), (2019, "430582")],
    "431181": [(1995, "431121"), (2021, "431181")],
}
# Neighbouring provinces people come from (code, first year): Shenzhen, Guangzhou, Shaoguan,
# Ganzhou, Nanning, Wuhan.
_OTHER_PROVINCES = [("440305", 1990), ("440106", 1985), ("440203", 1984), ("440204", 1984),
                    ("360702", 1998), ("450103", 1983), ("420106", 1983)]
_BIRTH_FIRST, _BIRTH_LAST = 1955, 2004


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    first_year: int
    city_code: str
    city_name: str

    @property
    def is_city(self) -> bool:
        return self.code == self.city_code

    @property
    def place(self) -> str:
        """The region as written in an authority's or an address's name."""
        if self.is_city:
            return self.city_name
        if self.name.endswith("区"):
            return self.city_name + self.name
        return self.name


def _parse_regions() -> list[Region]:
    rows = [item.split() for line in _HUNAN.split("\n") for item in line.split("|") if item.strip()]
    cities = {code: name for code, name, _ in rows if code.endswith("00")}
    return [Region(code, name, int(year), code[:4] + "00", cities[code[:4] + "00"]) for code, name, year in rows]


REGIONS = _parse_regions()
CITIES = [r for r in REGIONS if r.is_city]
COUNTIES = [r for r in REGIONS if not r.is_city]
_REGION_INDEX = {r.code: i for i, r in enumerate(REGIONS)}
_COUNTIES_OF_CITY = {c.code: [i for i, r in enumerate(REGIONS) if not r.is_city and r.city_code == c.code]
                     for c in CITIES}
PROVINCE = "430000"


def _weight(r: Region) -> float:
    # Chenzhou is where the policy applies: a third of the enterprises; Changsha is the capital.
    base = 9.0 if r.city_code == "431000" else 5.0 if r.city_code == "430100" else 1.0
    return base * (1.2 if r.is_city else 1.0)


def _cumulative(weights) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


_REGION_RANGE = range(len(REGIONS))
_REGION_CUM = _cumulative(_weight(r) for r in REGIONS)
_COUNTY_INDICES = [i for i, r in enumerate(REGIONS) if not r.is_city]
_COUNTY_CUM = _cumulative(_weight(REGIONS[i]) for i in _COUNTY_INDICES)

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖石贺邹熊龙欧阳")
_SURNAME_LIST = list(SURNAMES[:-2]) + ["欧阳", "司马"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海波辉鹏宇浩然子涵欣怡思远晓东春梅雪峰金凤德"

TRADE_NAMES = [
    "鑫达", "华宇", "恒基", "福地", "金泰", "宏远", "瑞丰", "东江", "林邑", "苏仙", "湘南", "南岭", "银都",
    "丹霞", "莽山", "永和", "天一", "嘉盛", "新源", "中联", "昌盛", "万通", "凯旋", "兴旺", "裕华", "盛世",
    "汇丰", "宏图", "广源", "联创", "博达", "鸿运", "隆基", "佳和", "信诚", "正大", "金鹰", "宝山", "祥云",
    "远航", "同心", "和润", "华鑫", "天成", "富民", "恒通", "永盛", "晨光", "创新", "锦程",
]
# GB/T 4754-2017 code, the word in the name, share of enterprises.
INDUSTRIES = [("3021", "建材", 6), ("0912", "矿业", 4), ("3212", "有色金属冶炼", 2), ("4710", "建筑工程", 8),
              ("4813", "市政工程", 3), ("7010", "房地产开发", 4), ("5211", "商贸", 14), ("6513", "科技", 8),
              ("6210", "餐饮管理", 6), ("2720", "医药", 2), ("1371", "农产品加工", 5), ("0111", "农业开发", 5),
              ("5431", "物流", 6), ("3311", "钢结构", 3), ("7212", "投资", 4), ("4210", "再生资源", 2)]
_IND_CUM = _cumulative(w for _, _, w in INDUSTRIES)
ROADS = [
    "人民路", "五岭大道", "国庆路", "燕泉路", "解放路", "青年大道", "香雪路", "郴江路",
    "兴隆路", "建设路", "文化路", "长岭路",
]

HEADERS = {
    "enterprises": ["uscc", "name", "kind", "region_code", "status", "established_on",
                    "registered_capital", "industry", "address"],
    "persons": ["person_id", "id_type", "name", "region_code"],
    "roles": ["person_id", "uscc", "role", "title", "start_on", "end_on"],
    "shareholdings": ["holder_id", "holder_kind", "uscc", "ratio", "subscribed_capital", "start_on", "end_on"],
    "records": ["record_id", "subject_kind", "subject_id", "kind", "category", "severity", "authority",
                "authority_region", "document_no", "misconduct_on", "decided_on", "published_on",
                "valid_until", "legal_basis", "responsible_person_ids"],
}

# Black-list grounds: category, sub-item (domain.md 8), department, level, legal basis, weight.
BLACK_GROUNDS = [
    ("health_safety", "工程建设与质量", "住房和城乡建设局", "any", "《建设工程质量管理条例》", 6),
    ("health_safety", "食品药品", "市场监督管理局", "any", "《中华人民共和国食品安全法》", 5),
    ("health_safety", "安全生产", "应急管理局", "any", "《中华人民共和国安全生产法》", 5),
    ("health_safety", "消防安全", "消防救援支队", "city", "《中华人民共和国消防法》", 2),
    ("health_safety", "生态环境", "生态环境局", "city", "《中华人民共和国环境保护法》", 3),
    ("market_social_order", "偷税逃税", "税务局", "any", "《重大税收违法失信主体信息公布管理办法》", 6),
    ("market_social_order", "恶意欠薪", "人力资源和社会保障局", "any", "《保障农民工工资支付条例》", 5),
    ("market_social_order", "虚假广告", "市场监督管理局", "any", "《市场监督管理严重违法失信名单管理办法》", 3),
    ("market_social_order", "围标串标", "发展和改革委员会", "city", "《中华人民共和国招标投标法》", 3),
    ("defy_judicial_admin", "有履行能力而拒不履行", "人民法院", "any",
     "《最高人民法院关于公布失信被执行人名单信息的若干规定》", 22),
    ("national_defense", "拒绝、拖延民用资源征用", "国防动员办公室", "city", "《中华人民共和国国防动员法》", 1),
]
_BLACK_CUM = _cumulative(g[-1] for g in BLACK_GROUNDS)
RED_GROUNDS = [("纳税信用A级纳税人", "税务局", "any", "《纳税信用管理办法》"),
               ("守合同重信用企业", "市场监督管理局", "province", "《守合同重信用企业公示活动管理办法》"),
               ("诚信示范企业", "发展和改革委员会", "city", "郴政发〔2017〕11号"),
               ("劳动保障守法诚信企业", "人力资源和社会保障局", "city", "《劳动保障监察条例》")]
PENALTY_GROUNDS = [("未按规定公示年度报告", "市场监督管理局", "any", "《企业信息公示暂行条例》"),
                   ("虚假宣传", "市场监督管理局", "any", "《中华人民共和国反不正当竞争法》"),
                   ("食品安全", "市场监督管理局", "any", "《中华人民共和国食品安全法》"),
                   ("超标排放污染物", "生态环境局", "city", "《中华人民共和国大气污染防治法》"),
                   ("安全生产违法", "应急管理局", "any", "《中华人民共和国安全生产法》"),
                   ("未按期申报纳税", "税务局", "any", "《中华人民共和国税收征收管理法》"),
                   ("消防设施不符合标准", "消防救援支队", "city", "《中华人民共和国消防法》")]

# Shape parameters.
P_NEW_PERSON = 0.09        # else someone already acting somewhere, in proportion to his roles
MAX_ENTERPRISES_PER_PERSON = 60
P_SUBSIDIARY = 0.15
P_CONTINUE_CHAIN = 0.6
MAX_DEPTH = 6              # enterprise-to-enterprise holding levels below a group's top
P_CYCLE = 0.15             # of subsidiaries at depth >= 2
P_BLACK, P_RED, P_PENALTY, P_PERSON_BLACK = 0.02, 0.01, 0.05, 0.003
P_LR_CHANGE = 0.2
_ORG_SPACE = 31 ** 6
_ORG_STEP = 387_420_489    # 9**9: coprime with 31, so i -> i*step + offset is a bijection


def make_uscc(prefix2: str, region_code: str, org_prefix: str, serial: int) -> str:
    """A valid USCC: authority and type, region, an organisation code built from `serial`, check."""
    k = (serial * _ORG_STEP + 123_457) % _ORG_SPACE
    tail = []
    for _ in range(8 - len(org_prefix)):
        k, d = divmod(k, 31)
        tail.append(USCC_ALPHABET[d])
    body = org_prefix + "".join(reversed(tail))
    first17 = prefix2 + region_code + body + organization_code_check_char(body)
    return first17 + uscc_check_char(first17)


_KINDS = [("enterprise", "91", "MA", 90), ("individual_business", "92", "MA", 7),
          ("social_organization", "51", "MJ", 2), ("public_institution", "12", "MB", 1)]
_KIND_RANGE = range(len(_KINDS))
_KIND_CUM = _cumulative(k[-1] for k in _KINDS)
_DAY0 = date(1990, 1, 1).toordinal()


def _adult_by(ordinal: int) -> int:
    """The last birth year of someone at least 20 on that day."""
    return date.fromordinal(ordinal).year - 20


@functools.cache
def _iso(ordinal: int | None) -> str:
    # a few tens of thousands of distinct days at most
    return "" if ordinal is None else date.fromordinal(ordinal).isoformat()


class _PersonPool:
    """Persons, made when first needed and written at once; kept as 8-byte ids for re-use."""

    def __init__(self, rnd: random.Random, writer) -> None:
        self.rnd = rnd
        self.writer = writer
        self.body = array("q")      # 17-digit body of the citizen ID; negative: passport number
        self.check = bytearray()    # its check character, computed once
        self.degree = array("H")    # enterprises the person acts in
        self.slots = array("i")     # one entry per (person, enterprise): preferential choice
        # (address code, birth year) -> persons made so far; a few thousand keys in all
        self.counters: dict[tuple[str, int], int] = {}

    def person_id(self, j: int) -> str:
        b = self.body[j]
        if b < 0:
            return f"E{-b - 1:08d}"
        return f"{b:017d}{chr(self.check[j])}"

    def birth_year(self, j: int) -> int:
        b = self.body[j]
        return 0 if b < 0 else b // 10**7 % 10**4

    def new(self, home: Region | None, born_by: int) -> int:
        """Make a person born in `born_by` or before, living in `home` (else drawn); write his row."""
        rnd = self.rnd
        j = len(self.body)
        name = self._name()
        u = rnd.random()
        if u < 0.002:
            self.body.append(-((j * 7919 + 1234567) % 10**8) - 1)
            self.check.append(0)
            self.writer.writerow([self.person_id(j), "passport", name, ""])
            self.degree.append(0)
            return j
        born_by = min(born_by, _BIRTH_LAST)
        for attempt in range(8):
            if u < 0.06:
                code, first_year = _OTHER_PROVINCES[int(rnd.random() * len(_OTHER_PROVINCES))]
            else:
                r = home if home is not None and not home.is_city and attempt == 0 and rnd.random() < 0.7 else \
                    REGIONS[rnd.choices(_COUNTY_INDICES, cum_weights=_COUNTY_CUM)[0]]
                code, first_year = r.code, r.first_year
            eras = _ID_ERAS.get(code) or [(max(_BIRTH_FIRST, first_year), code)]
            if eras[0][0] <= born_by:
                break
        else:
            code, eras = "431002", _ID_ERAS["431002"]
        year = rnd.randint(eras[0][0], max(eras[0][0], born_by))
        n = self.counters.get((code, year), 0)
        days = date(year, 12, 31).toordinal() - date(year, 1, 1).toordinal() + 1
        size = days * 499
        if n >= size:
            raise ValueError(f"the citizen ID space of {code} for {year} is exhausted")
        self.counters[(code, year)] = n + 1
        # An affine bijection of the counter spreads birthdays over the year and keeps IDs unique.
        slot = (n * _step_coprime(size) + int(code)) % size
        born = date.fromordinal(date(year, 1, 1).toordinal() + slot // 499)
        used = [c for y, c in eras if y <= year][-1]
        sequence = 2 * (slot % 499) + 1 + (rnd.random() < 0.45)
        first17 = f"{used}{born:%Y%m%d}{sequence:03d}"
        check = ric_check_char(first17)
        self.body.append(int(first17))
        self.check.append(ord(check))
        self.writer.writerow([first17 + check, "resident_id", name, code])
        self.degree.append(0)
        return j

    def _name(self) -> str:
        rnd = self.rnd
        surname = _SURNAME_LIST[int(rnd.random() * len(_SURNAME_LIST))]
        given = GIVEN[int(rnd.random() * len(GIVEN))]
        if rnd.random() < 0.7:
            given += GIVEN[int(rnd.random() * len(GIVEN))]
        return surname + given

    def pick(self, exclude: set[int], home: Region | None, born_by: int) -> int:
        """A person for a new (person, enterprise) pair: someone new, or someone already acting
        elsewhere, chosen in proportion to the enterprises he acts in."""
        rnd = self.rnd
        slots = self.slots
        for _ in range(6):
            if not slots or rnd.random() < P_NEW_PERSON:
                break
            j = slots[int(rnd.random() * len(slots))]
            if j not in exclude and self.degree[j] < MAX_ENTERPRISES_PER_PERSON and self.birth_year(j) <= born_by:
                self._count(j)
                return j
        j = self.new(home, born_by)
        self._count(j)
        return j

    def _count(self, j: int) -> None:
        self.slots.append(j)
        self.degree[j] += 1


@functools.cache
def _step_coprime(size: int) -> int:
    step = 2_654_435_761
    while math.gcd(step, size) != 1:
        step += 2
    return step


class _Bundle:
    def __init__(self, out: Path) -> None:
        self.files = {name: (out / f"{name}.csv").open("w", encoding="utf-8", newline="") for name in HEADERS}
        self.w = {name: csv.writer(f, lineterminator="\n") for name, f in self.files.items()}
        self.counts = dict.fromkeys(HEADERS, 0)
        for name, header in HEADERS.items():
            self.w[name].writerow(header)

    def row(self, name: str, values: list) -> None:
        self.w[name].writerow(values)
        self.counts[name] += 1

    def close(self) -> None:
        for f in self.files.values():
            f.close()


class _CountingWriter:
    def __init__(self, bundle: _Bundle, name: str) -> None:
        self.bundle, self.name = bundle, name

    def writerow(self, values: list) -> None:
        self.bundle.row(self.name, values)


class _Generator:
    def __init__(self, rnd: random.Random, n: int, bundle: _Bundle) -> None:
        self.rnd = rnd
        self.n = n
        self.b = bundle
        self.persons = _PersonPool(rnd, _CountingWriter(bundle, "persons"))
        self.region = array("H")    # registration region (index into REGIONS)
        self.kind = array("B")
        self.established = array("H")   # days since 1990-01-01
        self.depth = array("b")     # -1: not in a group (no corporate shares), 0: group top
        self.parent = array("i")
        self.room = array("H")      # basis points of capital nobody holds, on every date
        self.controller = array("i")  # the natural person at the top of its group, or -1
        self.last_sub = -1
        self.record_seq = 0

    # identifiers and names -------------------------------------------------------------------
    def uscc(self, i: int) -> str:
        _, prefix2, org_prefix, _ = _KINDS[self.kind[i]]
        return make_uscc(prefix2, REGIONS[self.region[i]].code, org_prefix, i)

    def _enterprise_name(self, kind: str, reg: Region, industry_word: str) -> str:
        rnd = self.rnd
        trade = TRADE_NAMES[int(rnd.random() * len(TRADE_NAMES))]
        if kind == "individual_business":
            return f"{reg.place}{trade}{industry_word}店"
        if kind == "social_organization":
            return f"{reg.place}{industry_word}行业协会"
        if kind == "public_institution":
            return f"{reg.place}{industry_word}服务中心"
        if rnd.random() < 0.15:
            return f"湖南{trade}{industry_word}有限公司"
        return f"{reg.place}{trade}{industry_word}有限公司"

    # the main loop ---------------------------------------------------------------------------
    def run(self) -> None:
        for i in range(self.n):
            self.enterprise(i)

    def enterprise(self, i: int) -> None:
        rnd = self.rnd
        kind_index = rnd.choices(_KIND_RANGE, cum_weights=_KIND_CUM)[0]
        kind = _KINDS[kind_index][0]
        industry, industry_word, _ = rnd.choices(INDUSTRIES, cum_weights=_IND_CUM)[0]
        parent = -1
        if kind == "enterprise" and i > 0 and rnd.random() < P_SUBSIDIARY:
            parent = self._choose_parent(i)
        if parent >= 0 and rnd.random() < 0.5:
            reg_index = self._region_elsewhere(REGIONS[self.region[parent]].city_code)
        elif parent >= 0:
            reg_index = self._region_in_city(REGIONS[self.region[parent]].city_code)
        else:
            reg_index = rnd.choices(_REGION_RANGE, cum_weights=_REGION_CUM)[0]
        reg = REGIONS[reg_index]
        est_lo = max(date(1995, 1, 1).toordinal(), self._est(parent) + 30 if parent >= 0 else 0)
        est = rnd.randint(est_lo, max(est_lo, REFERENCE_DAY.toordinal() - 400))
        self.region.append(reg_index)
        self.kind.append(kind_index)
        self.established.append(est - _DAY0)
        self.parent.append(parent)
        self.depth.append(-1 if kind != "enterprise" else 0 if parent < 0 else self.depth[parent] + 1)
        self.room.append(10_000)
        self.controller.append(-1)
        if parent >= 0:
            self.last_sub = i

        u = rnd.random()
        black, red, penalty = u < P_BLACK, P_BLACK <= u < P_BLACK + P_RED, rnd.random() < P_PENALTY
        status = "active"
        if black and rnd.random() < 0.3:
            status = "abnormal" if rnd.random() < 0.7 else "revoked"
        elif rnd.random() < 0.03:
            status = "deregistered"
        uscc = self.uscc(i)
        capital = round(10 ** rnd.uniform(1, 4.5), 2) if kind != "individual_business" else round(rnd.uniform(1, 50), 2)
        address_county = reg if not reg.is_city else REGIONS[rnd.choice(_COUNTIES_OF_CITY[reg.code])]
        address = f"湖南省{address_county.place}{rnd.choice(ROADS)}{rnd.randint(1, 999)}号"
        self.b.row("enterprises", [uscc, self._enterprise_name(kind, reg, industry_word), kind, reg.code, status,
                                   _iso(est), f"{capital:.2f}", industry, address])

        home = address_county
        heads = self.roles(uscc, kind, est, home)
        if kind == "enterprise":
            self.holdings(i, uscc, est, home, heads, capital)
        if black:
            self.black_record(uscc, est, heads, address_county)
        if red:
            self.plain_record(uscc, "red", RED_GROUNDS, est, address_county)
        if penalty:
            self.plain_record(uscc, "penalty", PENALTY_GROUNDS, est, address_county)
        if heads.members and rnd.random() < P_PERSON_BLACK:
            self.person_court_record(heads, address_county)

    def _est(self, i: int) -> int:
        return self.established[i] + _DAY0

    def _choose_parent(self, i: int) -> int:
        rnd = self.rnd
        # A parent old enough that its subsidiaries are not younger than 400 days.
        old_enough = REFERENCE_DAY.toordinal() - 800
        last = self.last_sub
        if last >= 0 and self.depth[last] < MAX_DEPTH and self._est(last) < old_enough \
                and rnd.random() < P_CONTINUE_CHAIN:
            return last
        for _ in range(4):
            j = int(rnd.random() * i)
            if 0 <= self.depth[j] < MAX_DEPTH and self._est(j) < old_enough:
                return j
        return -1

    def _region_elsewhere(self, city_code: str) -> int:
        for _ in range(8):
            k = self.rnd.choices(_REGION_RANGE, cum_weights=_REGION_CUM)[0]
            if REGIONS[k].city_code != city_code:
                return k
        return _REGION_INDEX["430100"] if city_code != "430100" else _REGION_INDEX["431000"]

    def _region_in_city(self, city_code: str) -> int:
        return self.rnd.choice(_COUNTIES_OF_CITY[city_code] + [_REGION_INDEX[city_code]])

    # roles -------------------------------------------------------------------------------------
    def roles(self, uscc: str, kind: str, est: int, home: Region) -> _Heads:
        rnd = self.rnd
        pool = self.persons
        heads = _Heads()
        taken: set[int] = set()
        today = REFERENCE_DAY.toordinal()

        def person(start: int) -> int:
            j = pool.pick(taken, home, _adult_by(start))
            taken.add(j)
            return j

        def role(j: int, name: str, title: str, start: int | None, end: int | None) -> None:
            self.b.row("roles", [pool.person_id(j), uscc, name, title, _iso(start), _iso(end)])
            heads.add(j, name, start, end)

        head_role, head_title = ("principal", "经营者") if kind == "individual_business" else \
            ("legal_representative", "执行董事兼总经理")
        change = None
        if rnd.random() < P_LR_CHANGE and today - est > 800:
            # A quarter of the changes fall in 2025-2026, between misconducts and decisions.
            lo = date(2025, 1, 1).toordinal() if rnd.random() < 0.25 else est + 365
            change = rnd.randint(max(lo, est + 365), today - 20)
        size = 0 if kind == "individual_business" else (2 if rnd.random() < 0.02 else 1 if rnd.random() < 0.1 else 0)
        if kind in ("social_organization", "public_institution"):
            size, head_title = 0, "理事长" if kind == "social_organization" else "主任"

        old = person(est)
        new = person(change) if change is not None else None
        for j, start, end in ((old, est, change), (new, change, None)) if new is not None else ((old, est, None),):
            if size == 0:
                role(j, head_role, head_title, start, end)
                if kind == "enterprise":
                    role(j, "director", "执行董事", start, end)
                    role(j, "senior_executive", "总经理", start, end)
            else:
                role(j, "legal_representative", "董事长", start, end)
                role(j, "director", "董事长", start, end)
        heads.legal = [(j, s, e) for j, s, e in ((old, est, change), (new, change, None)) if j is not None]
        if kind != "enterprise":
            if kind != "individual_business" and rnd.random() < 0.5:
                role(person(est), "principal", "秘书长" if kind == "social_organization" else "副主任", est, None)
            return heads
        if size == 0 and rnd.random() < 0.3:
            role(person(est), "senior_executive", "经理", est, None)
        if size:
            for _ in range(rnd.randint(2, 4) if size == 1 else rnd.randint(4, 8)):
                role(person(est), "director", "董事", est, None)
            role(person(est), "senior_executive", "总经理", est, None)
            role(person(est), "senior_executive", "财务负责人", est, None)
        for k in range(1 if size == 0 else 3):
            j = person(est)
            title = "监事" if size == 0 else "监事会主席" if k == 0 else "监事"
            if rnd.random() < 0.1 and today - est > 800:
                # the supervisor was replaced once
                d = rnd.randint(est + 365, today - 20)
                role(j, "supervisor", title, est, d)
                role(person(d), "supervisor", title, d, None)
            else:
                role(j, "supervisor", title, est, None)
        if rnd.random() < 0.02 and today - est > 400:
            role(person(est + 200), "registered_practitioner", "注册建造师", est + 200, None)
        return heads

    # shareholdings -----------------------------------------------------------------------------
    def holdings(self, i: int, uscc: str, est: int, home: Region, heads: _Heads, capital: float) -> None:
        rnd = self.rnd
        pool = self.persons
        total = 10_000 if rnd.random() < 0.5 else rnd.randint(6_000, 9_900)
        self.room[i] = 10_000 - total
        parent = self.parent[i]
        shares: list[tuple[str, int]] = []   # holder kind, holder index; ratios below
        ratios: list[int] = []
        left = total
        if parent >= 0:
            r = rnd.randint(5_100, total) if rnd.random() < 0.8 else rnd.randint(2_000, min(5_000, total))
            shares.append(("enterprise", parent))
            ratios.append(r)
            left -= r
        first_head = heads.legal[0][0]
        # Split what is left among natural persons, in whole percents where it allows.
        unit = 100 if left % 100 == 0 else 1
        n_people = min(left // unit, rnd.choice((1, 1, 1, 2, 2, 3))) if left else 0
        cuts = sorted(rnd.sample(range(1, left // unit), n_people - 1)) if n_people > 1 else []
        # With nothing left (the parent holds it all) no person is added: zip([0], [0]) would
        # otherwise make one holder of ratio 0.
        for k, (lo, hi) in enumerate(zip([0, *cuts], [*cuts, left // unit]) if n_people else ()):
            j = first_head if k == 0 and rnd.random() < 0.7 else pool.pick(heads.members, home, _adult_by(est))
            heads.members.add(j)
            shares.append(("person", j))
            ratios.append((hi - lo) * unit)
        top_person = -1
        for (holder_kind, h), _ratio in sorted(zip(shares, ratios), key=lambda x: -x[1]):
            if holder_kind == "person":
                top_person = h
                break
        self.controller[i] = self.controller[parent] if parent >= 0 and self.controller[parent] >= 0 else top_person
        today = REFERENCE_DAY.toordinal()
        for (holder_kind, h), r in zip(shares, ratios):
            subscribed = f"{capital * r / 10_000:.2f}"
            ratio = f"{r / 10_000:.4f}"
            if holder_kind == "enterprise":
                self.b.row("shareholdings", [self.uscc(h), "enterprise", uscc, ratio, subscribed, _iso(est), ""])
            elif rnd.random() < 0.1 and today - est > 800:
                # a transfer: the new holder's interval starts the day the old one's ends
                d = rnd.randint(est + 365, today - 20)
                buyer = pool.pick(heads.members, home, _adult_by(d))
                heads.members.add(buyer)
                self.b.row("shareholdings", [pool.person_id(h), "person", uscc, ratio, subscribed, _iso(est), _iso(d)])
                self.b.row("shareholdings", [pool.person_id(buyer), "person", uscc, ratio, subscribed, _iso(d), ""])
            else:
                self.b.row("shareholdings", [pool.person_id(h), "person", uscc, ratio, subscribed, _iso(est), ""])
        controller = self.controller[i]
        if controller >= 0 and rnd.random() < (0.5 if parent >= 0 else 0.1):
            self.b.row("roles", [pool.person_id(controller), uscc, "actual_controller", "", _iso(est), ""])
            heads.add(controller, "actual_controller", est, None)
        if parent >= 0 and self.depth[i] >= 2 and rnd.random() < P_CYCLE:
            self._close_cycle(i, uscc, est)

    def _close_cycle(self, i: int, uscc: str, est: int) -> None:
        """Let the new subsidiary hold a small stake in an ancestor, as long as the ancestor has room."""
        rnd = self.rnd
        a = self.parent[self.parent[i]]
        hops = rnd.randint(0, 3)
        while hops and self.parent[a] >= 0:
            a, hops = self.parent[a], hops - 1
        stake = rnd.randint(100, 1_500)
        if self.room[a] < stake:
            return
        self.room[a] -= stake
        start = rnd.randint(est + 30, max(est + 30, REFERENCE_DAY.toordinal() - 30))
        self.b.row("shareholdings", [uscc, "enterprise", self.uscc(a), f"{stake / 10_000:.4f}", "", _iso(start), ""])

    # records -----------------------------------------------------------------------------------
    def _authority(self, bureau: str, level: str, county: Region) -> tuple[str, str]:
        rnd = self.rnd
        if level == "province":
            return f"湖南省{bureau}", PROVINCE
        city = REGIONS[_REGION_INDEX[county.city_code]]
        at_city = level == "city" or rnd.random() < 0.3
        if rnd.random() < 0.1:
            # decided where the project or the plaintiff was, not where the subject is registered
            county = REGIONS[rnd.choices(_COUNTY_INDICES, cum_weights=_COUNTY_CUM)[0]]
            city = REGIONS[_REGION_INDEX[county.city_code]]
        where = city if at_city else county
        if bureau == "人民法院":
            return (f"{city.city_name}中级人民法院" if at_city else f"{county.place}人民法院"), where.code
        if bureau == "税务局":
            return f"国家税务总局{where.place}税务局", where.code
        if bureau == "消防救援支队":
            return f"{city.city_name}消防救援支队", city.code
        return f"{where.place}{bureau}", where.code

    def _record_id(self, region: str, year: int, kind: str) -> str:
        self.record_seq += 1
        return f"HN{region}-{year}-{kind[0].upper()}{self.record_seq:07d}"

    def _document_no(self, authority: str, region: str, year: int, bureau: str) -> str:
        n = self.rnd.randint(1, 999)
        if bureau == "人民法院":
            court = region[2:4] if region.endswith("00") else region[2:6]
            return f"（{year}）湘{court}执{n}号"
        return f"{authority[:2]}{'罚' if bureau else ''}〔{year}〕{n}号"

    def _dates(self, est: int) -> tuple[int, int, int]:
        rnd = self.rnd
        today = REFERENCE_DAY.toordinal()
        # Most misconducts in 2025-2026, so the records are in force today; the rest older, partly
        # expired by now.
        lo, hi = date(2025, 1, 1).toordinal(), today - 60
        if rnd.random() < 0.15 and est + 30 < date(2024, 6, 30).toordinal():
            lo, hi = date(2021, 1, 1).toordinal(), date(2024, 6, 30).toordinal()
        misconduct = rnd.randint(max(lo, est + 30), hi)
        decided = min(today - 1, misconduct + rnd.randint(20, 300))
        published = min(today, decided + rnd.randint(0, 7))
        return misconduct, decided, published

    def black_record(self, uscc: str, est: int, heads: _Heads, county: Region) -> None:
        rnd = self.rnd
        category, item, bureau, level, basis, _ = rnd.choices(BLACK_GROUNDS, cum_weights=_BLACK_CUM)[0]
        misconduct, decided, published = self._dates(est)
        authority, region = self._authority(bureau, level, county)
        year = date.fromordinal(decided).year
        named: list[int] = []
        if category != "defy_judicial_admin" and rnd.random() < 0.4:
            named = [j for j, _, _ in heads.at(misconduct, ("legal_representative", "principal"))][:1]
            others = [j for j in heads.at(misconduct, ("director", "senior_executive", "registered_practitioner"))]
            if others and rnd.random() < 0.5:
                named.append(others[int(rnd.random() * len(others))][0])
            if rnd.random() < 0.2:
                # a site or project manager with no registered role
                named.append(self.persons.pick(heads.members, county, _adult_by(misconduct)))
        ids = list(dict.fromkeys(self.persons.person_id(j) for j in named))
        self.b.row("records", [self._record_id(region, year, "black"), "enterprise", uscc, "black", category,
                               "serious" if rnd.random() < 0.9 else "general", authority, region,
                               self._document_no(authority, region, year, bureau), _iso(misconduct), _iso(decided),
                               _iso(published), "", f"{item}：{basis}", ";".join(ids)])

    def plain_record(self, uscc: str, kind: str, grounds: list, est: int, county: Region) -> None:
        rnd = self.rnd
        category, bureau, level, basis = grounds[int(rnd.random() * len(grounds))]
        misconduct, decided, published = self._dates(est)
        authority, region = self._authority(bureau, level, county)
        year = date.fromordinal(decided).year
        severity = "" if kind == "red" else "minor" if rnd.random() < 0.2 else "general"
        self.b.row("records", [self._record_id(region, year, kind), "enterprise", uscc, kind, category, severity,
                               authority, region,
                               self._document_no(authority, region, year, "" if kind == "red" else bureau),
                               "" if kind == "red" else _iso(misconduct), _iso(decided), _iso(published), "",
                               basis, ""])

    def person_court_record(self, heads: _Heads, county: Region) -> None:
        """A person listed as a dishonest judgment debtor himself (Company Law 178 flags)."""
        rnd = self.rnd
        members = sorted(heads.members)
        j = members[int(rnd.random() * len(members))]
        misconduct, decided, published = self._dates(date(2015, 1, 1).toordinal())
        authority, region = self._authority("人民法院", "any", county)
        year = date.fromordinal(decided).year
        self.b.row("records", [self._record_id(region, year, "black"), "person", self.persons.person_id(j), "black",
                               "defy_judicial_admin", "serious", authority, region,
                               self._document_no(authority, region, year, "人民法院"), _iso(misconduct),
                               _iso(decided), _iso(published), "",
                               "《最高人民法院关于公布失信被执行人名单信息的若干规定》", ""])


class _Heads:
    """Who holds which role in the enterprise being made, with dates (ordinals; None = open)."""

    def __init__(self) -> None:
        self.members: set[int] = set()
        self.held: list[tuple[int, str, int | None, int | None]] = []
        self.legal: list[tuple[int, int | None, int | None]] = []

    def add(self, j: int, role: str, start: int | None, end: int | None) -> None:
        self.members.add(j)
        self.held.append((j, role, start, end))

    def at(self, day: int, roles: tuple[str, ...]) -> list[tuple[int, int | None, int | None]]:
        return [(j, s, e) for j, r, s, e in self.held
                if r in roles and (s is None or s <= day) and (e is None or day < e)]


GENERATED_DEPARTMENT = "郴州市发展和改革委员会"


def generate_bundle(out_dir: str | Path, enterprises: int, seed: int) -> dict[str, int]:
    """Write a synthetic bundle of `enterprises` enterprises into `out_dir`; return rows per file."""
    if enterprises < 1:
        raise ValueError("enterprises must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # The reporting department (loaders/bundle/manifest.py): the city's credit platform, which gathers
    # the departments' lists.
    (out / "manifest.json").write_text(json.dumps({"department": GENERATED_DEPARTMENT}, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    bundle = _Bundle(out)
    try:
        _Generator(random.Random(seed), enterprises, bundle).run()
    finally:
        bundle.close()
    return dict(bundle.counts)


def main(
    out: Path = typer.Argument(..., help="folder to write the bundle into (created if missing)"),
    enterprises: int = typer.Option(1000, "--enterprises", "-n", min=1, help="number of enterprises"),
    seed: int = typer.Option(1, "--seed", "-s", help="random seed: the same seed and size give identical files"),
) -> None:
    """Write a deterministic synthetic Hunan bundle in the CSV input format."""
    console = Console(stderr=True, soft_wrap=True)
    started = time.monotonic()
    counts = generate_bundle(out, enterprises, seed)
    elapsed = time.monotonic() - started
    for name, n in counts.items():
        console.print(f"{name + '.csv':<20} {n:>10,} rows")
    total = sum(counts.values())
    console.print(f"{total:,} rows in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f} rows/s) → {out}")


if __name__ == "__main__":
    typer.run(main)
