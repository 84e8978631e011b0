"""Ids of the demo bundle (loaders/demo/README.md) used as OpenAPI examples of the investigator endpoints."""

DEMO = {
    "E01": "91431002MA4L2HJ36R",  # 郴州市恒基建材有限公司, blacklisted (B0001)
    "E02": "91431022MA4PK7R15E",  # 宜章恒基混凝土有限公司, E01's subsidiary
    "E03": "91431003MA4L0W6N7T",  # 湖南鑫源矿业有限公司, court-listed debtor (B0002)
    "E05": "91431026MA4N1T2G3A",  # 汝城县天一茶业有限公司, red-listed (R0004)
    "E06": "91430104MA4R5C0F16",  # 湖南恒基环保科技有限公司, lost its red-list incentives (three clean years keep the green channel)
    "H1": "91430104MA4R8D1B4F",   # 湖南志远控股集团有限公司, top of the cycle H1 -> H2 -> H3 -> H1
    "H2": "91431002MA4L3F7C3L",   # 郴州志远实业有限公司
    "H3": "91431081MA4P6G2E0L",   # 资兴志远新材料有限公司
    "P01": "432801196804121350",  # 刘建国, LR of E01 on the misconduct date: liable
    "P08": "432821198606181955",  # 王海涛, E03's current LR: may not take a flight
    "P12": "430121197005161735",  # 欧阳志远, 80 % of H1
    "RECORD": "HN431000-2026-B0001",
    "CITY": "431000",             # 郴州市
    "COUNTY": "431002",           # 北湖区
}
