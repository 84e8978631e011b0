// Words of the page in Chinese (the default) and English. Names of measures, actions, rules and the
// service's fixed words (roles, kinds, statuses) are not here: they come from the API's catalogue
// (GET /v1/measures, /v1/actions, /v1/rules, /v1/vocabulary), loaded once after sign-in.

import { get } from "./api.js";

const LANG = "credit-graph.lang";

const UI = {
  zh: {
    "app.title": "信用联合奖惩工作台",
    "nav.home": "首页", "nav.paths": "查关系", "nav.desk": "部门工作台",
    "search.placeholder": "企业名称、统一社会信用代码、人名或证件号码", "search.open": "打开",
    "search.none": "没有找到匹配的主体", "search.hint": "输入名称的一部分即可；完整的统一社会信用代码或证件号码按回车直接打开。",
    "auth.title": "使用 API 密钥登录", "auth.hint": "密钥仅保存在本浏览器标签页中，关闭标签页即失效。",
    "auth.submit": "登录", "auth.signOut": "退出", "auth.region.all": "全部地区", "auth.masked": "个人信息已脱敏",
    "purpose.title": "查询事由", "purpose.submit": "确定", "purpose.label": "事由", "purpose.change": "更改事由",
    "purpose.hint": "读取个人信息须说明事由（案件编号、检查任务等），事由与查询一并记入审计日志。",
    "purpose.placeholder": "例：案件 郴建罚〔2026〕3号 调查",
    "common.cancel": "取消", "common.none": "无", "common.yes": "是", "common.no": "否", "common.more": "更多",
    "common.loading": "正在读取", "common.error": "请求未成功", "common.seconds": "秒",
    "common.asOf": "查询日期", "common.today": "今天", "common.apply": "应用", "common.close": "关闭",
    "common.open": "打开", "common.id": "代码", "common.name": "名称", "common.from": "起", "common.to": "止",
    "common.current": "现任", "common.ended": "已结束", "common.since": "起始", "common.until": "结束",
    "common.source": "来源", "common.download": "下载", "common.page": "页", "common.total": "共",
    "common.prev": "上一页", "common.next": "下一页", "common.status": "状态", "common.actions": "操作",
    "common.libsMissing": "工作台的图形库未安装：请运行 scripts/bootstrap（npm ci）后刷新页面。",
    "home.title": "开始工作", "home.lead": "在上方输入企业名称、人名、统一社会信用代码或证件号码（输入时给出建议），或从下列示例打开：",
    "home.role": "当前密钥", "home.examples": "示例主体",
    "subject.facts": "基本信息", "subject.uscc": "统一社会信用代码", "subject.personId": "证件号码",
    "subject.kind": "主体类型", "subject.status": "登记状态", "subject.established": "成立日期",
    "subject.capital": "注册资本（万元）", "subject.industry": "行业代码", "subject.address": "住所",
    "subject.region": "登记地区", "subject.roles": "任职人员", "subject.rolesOf": "任职情况",
    "subject.shareholders": "股东", "subject.holdings": "对外投资", "subject.records": "信用记录",
    "subject.named": "被认定为直接责任人的记录", "subject.liabilities": "承担的失信责任",
    "subject.measures": "生效的惩戒或激励措施", "subject.risk": "关联风险", "subject.check": "应查必查：核查",
    "subject.graph": "关系图谱", "subject.ownership": "股权穿透", "subject.paths": "查关系",
    "subject.restricted": "受限事项", "subject.favoured": "激励事项", "subject.lost": "失去的激励",
    "subject.person": "人员", "subject.role": "职务", "subject.title": "职务名称", "subject.ratio": "持股比例",
    "subject.enterprise": "企业", "subject.holder": "股东", "subject.showPast": "显示已结束的任职和持股",
    "subject.noRecords": "没有信用记录", "subject.noLiabilities": "没有承担失信责任",
    "subject.noRisk": "周边没有发现风险主体", "subject.provenance": "数据来源",
    "record.id": "记录编号", "record.kind": "类别", "record.category": "失信类别", "record.severity": "严重程度",
    "record.authority": "认定部门", "record.documentNo": "决定文书号", "record.misconduct": "失信行为日期",
    "record.decided": "决定日期", "record.published": "公示日期", "record.validUntil": "有效期至",
    "record.legalBasis": "法律依据", "record.responsible": "直接责任人", "record.inForce": "生效中",
    "record.notInForce": "未生效", "record.ended": "终止日期",
    "liability.rule": "适用规则", "liability.record": "依据记录", "liability.role": "身份",
    "liability.roleDates": "任职期间", "liability.anchor": "认定时点", "liability.path": "关联路径",
    "liability.legalBasis": "法律依据", "liability.window": "责任期间", "liability.measures": "措施",
    "liability.source": "来源文书", "liability.released": "已解除", "liability.lost": "已失去",
    "liability.suspended": "异议期间暂停执行",
    "risk.party": "关联主体", "risk.reasons": "风险原因", "risk.path": "关联路径", "risk.depth": "距离",
    "risk.associated": "关联风险（仅供参考，不是惩戒措施）", "risk.via": "经由",
    "check.action": "拟办事项", "check.submit": "核查", "check.decision": "核查结论", "check.basis": "依据",
    "check.measures": "相关措施", "check.id": "核查编号", "check.eligibility": "绿色通道资格",
    "check.hint": "选择拟办理的事项，查询该主体在查询日期是否受到限制或可以获得激励。",
    "graph.title": "关系图谱", "graph.depth": "层级", "graph.relations": "关系", "graph.history": "含历史关系",
    "graph.asOf": "时点", "graph.png": "导出 PNG", "graph.graphml": "导出 GraphML", "graph.fit": "适应窗口",
    "graph.legend": "图例", "graph.shown": "显示", "graph.nodes": "个节点", "graph.edges": "条关系",
    "graph.more": "另有", "graph.moreLinks": "条关联未显示，点击加载", "graph.expand": "展开关联",
    "graph.center": "以此为中心", "graph.openSubject": "打开主体页", "graph.selectHint": "点击节点展开其关联；点击“+N”节点加载更多。",
    "graph.truncated": "已达到显示上限，部分关联未显示", "graph.masked": "已脱敏（不在本密钥可见范围）",
    "legend.focal": "查询主体", "legend.enterprise": "企业（方形）", "legend.person": "自然人（圆形）",
    "legend.black": "黑名单", "legend.court": "失信被执行人", "legend.liable": "承担失信责任",
    "legend.penalty": "行政处罚", "legend.red": "红名单", "legend.clean": "无记录", "legend.more": "未展开的关联",
    "legend.ended": "已结束的关系（虚线）",
    "paths.title": "查关系：两个主体之间的最短路径", "paths.from": "主体一", "paths.to": "主体二",
    "paths.k": "最多条数", "paths.maxDepth": "最多层级", "paths.find": "查找", "paths.none": "在给定层级内没有找到路径",
    "paths.length": "跳", "paths.path": "路径",
    "own.title": "股权穿透", "own.up": "股东（向上穿透）", "own.down": "对外投资（向下穿透）",
    "own.minRatio": "最低比例", "own.maxDepth": "穿透层数", "own.direct": "直接持股", "own.integrated": "综合持股",
    "own.owners": "受益所有人", "own.threshold": "认定标准", "own.controller": "实际控制人",
    "own.paths": "控制路径", "own.product": "路径乘积", "own.cycles": "循环持股", "own.none": "没有受益所有人达到标准",
    "desk.title": "部门工作台", "desk.notifications": "推送通知", "desk.objections": "异议处理",
    "desk.lists": "黑名单与红名单", "desk.stats": "统计", "desk.region": "地区",
    "desk.ack": "签收", "desk.feedback": "反馈", "desk.sent": "推送日期", "desk.due": "反馈期限",
    "desk.overdue": "已逾期", "desk.suspended": "暂停执行（异议中）", "desk.record": "记录",
    "desk.measures": "措施", "desk.applied": "已执行措施", "desk.notApplied": "未执行",
    "desk.reason": "原因", "desk.on": "日期", "desk.submit": "提交", "desk.allStatuses": "全部状态",
    "desk.noItems": "没有待办事项", "desk.notice": "异议受理日期", "desk.dueOn": "核查期限（20 个工作日）",
    "desk.objectionsOpen": "核查中的异议", "desk.objectionsOverdue": "已逾期的异议", "desk.filedBy": "提出人",
    "desk.black": "黑名单", "desk.red": "红名单", "desk.csv": "下载 CSV", "desk.by": "按",
    "desk.byAuthority": "认定部门所在地", "desk.bySubject": "主体所在地", "desk.subject": "主体",
    "desk.year": "年度", "desk.byMonth": "各月认定的记录", "desk.byCategory": "按类别",
    "desk.loop": "推送与反馈", "desk.checks": "核查", "desk.month": "月",
    "desk.stat.sent": "推送", "desk.stat.acknowledged": "签收", "desk.stat.answered": "反馈",
    "desk.stat.applied": "执行", "desk.stat.feedbackRate": "反馈率",
    "export.watermark": "导出",
  },
  en: {
    "app.title": "Credit workbench",
    "nav.home": "Home", "nav.paths": "Paths", "nav.desk": "Department desk",
    "search.placeholder": "Company name, USCC, person name or ID number", "search.open": "Open",
    "search.none": "No matching subject", "search.hint": "Type a full USCC or ID number and press Enter",
    "auth.title": "Sign in with an API key", "auth.hint": "The key is kept in this browser tab only and forgotten when it closes.",
    "auth.submit": "Sign in", "auth.signOut": "Sign out", "auth.region.all": "all regions", "auth.masked": "persons masked",
    "purpose.title": "Purpose of the read", "purpose.submit": "OK", "purpose.label": "Purpose", "purpose.change": "change purpose",
    "purpose.hint": "Reading person-level data needs a purpose (case number, inspection); it is written to the audit log with the read.",
    "purpose.placeholder": "e.g. case 郴建罚〔2026〕3号",
    "common.cancel": "Cancel", "common.none": "none", "common.yes": "yes", "common.no": "no", "common.more": "more",
    "common.loading": "Reading", "common.error": "The request failed", "common.seconds": "s",
    "common.asOf": "As of", "common.today": "today", "common.apply": "Apply", "common.close": "Close",
    "common.open": "Open", "common.id": "Id", "common.name": "Name", "common.from": "from", "common.to": "to",
    "common.current": "current", "common.ended": "ended", "common.since": "since", "common.until": "until",
    "common.source": "source", "common.download": "Download", "common.page": "page", "common.total": "total",
    "common.prev": "Previous", "common.next": "Next", "common.status": "Status", "common.actions": "Actions",
    "common.libsMissing": "The workbench's graph libraries are not installed: run scripts/bootstrap (npm ci) and reload.",
    "home.title": "Start", "home.lead": "Type a name, USCC or ID number above (suggestions as you type), or open one of these:",
    "home.role": "This key", "home.examples": "Examples",
    "subject.facts": "Facts", "subject.uscc": "USCC", "subject.personId": "ID number",
    "subject.kind": "Kind", "subject.status": "Status", "subject.established": "Established",
    "subject.capital": "Registered capital (10k CNY)", "subject.industry": "Industry", "subject.address": "Address",
    "subject.region": "Region", "subject.roles": "Roles", "subject.rolesOf": "Roles held",
    "subject.shareholders": "Shareholders", "subject.holdings": "Holdings", "subject.records": "Credit records",
    "subject.named": "Records naming the person responsible", "subject.liabilities": "Liabilities",
    "subject.measures": "Measures in force", "subject.risk": "Associated risk", "subject.check": "Check before acting",
    "subject.graph": "Network", "subject.ownership": "Ownership", "subject.paths": "Paths",
    "subject.restricted": "Restricted", "subject.favoured": "Favoured", "subject.lost": "Lost incentives",
    "subject.person": "Person", "subject.role": "Role", "subject.title": "Title", "subject.ratio": "Ratio",
    "subject.enterprise": "Enterprise", "subject.holder": "Holder", "subject.showPast": "Show ended roles and holdings",
    "subject.noRecords": "No credit records", "subject.noLiabilities": "No liabilities",
    "subject.noRisk": "No risky party nearby", "subject.provenance": "Source",
    "record.id": "Record", "record.kind": "Kind", "record.category": "Category", "record.severity": "Severity",
    "record.authority": "Authority", "record.documentNo": "Document", "record.misconduct": "Misconduct on",
    "record.decided": "Decided on", "record.published": "Published on", "record.validUntil": "Valid until",
    "record.legalBasis": "Legal basis", "record.responsible": "Named responsible", "record.inForce": "in force",
    "record.notInForce": "not in force", "record.ended": "Ended on",
    "liability.rule": "Rule", "liability.record": "Record", "liability.role": "As",
    "liability.roleDates": "Role held", "liability.anchor": "Anchor", "liability.path": "Path",
    "liability.legalBasis": "Legal basis", "liability.window": "Window", "liability.measures": "Measures",
    "liability.source": "Source document", "liability.released": "released", "liability.lost": "lost",
    "liability.suspended": "suspended during an objection",
    "risk.party": "Party", "risk.reasons": "Reasons", "risk.path": "Path", "risk.depth": "Distance",
    "risk.associated": "Associated risk (information, not a measure)", "risk.via": "via",
    "check.action": "Action", "check.submit": "Check", "check.decision": "Decision", "check.basis": "Basis",
    "check.measures": "Measures", "check.id": "Check id", "check.eligibility": "Green channel",
    "check.hint": "Choose the action to take; the answer says whether the subject is restricted or favoured on that day.",
    "graph.title": "Network", "graph.depth": "Depth", "graph.relations": "Relations", "graph.history": "with ended links",
    "graph.asOf": "As of", "graph.png": "Export PNG", "graph.graphml": "Export GraphML", "graph.fit": "Fit",
    "graph.legend": "Legend", "graph.shown": "showing", "graph.nodes": "nodes", "graph.edges": "links",
    "graph.more": "", "graph.moreLinks": "more links not shown: click to load", "graph.expand": "Expand",
    "graph.center": "Centre here", "graph.openSubject": "Open subject", "graph.selectHint": "Click a node to expand it; click a “+N” node to load more.",
    "graph.truncated": "Display limit reached; some links are not shown", "graph.masked": "masked (outside this key's scope)",
    "legend.focal": "subject asked about", "legend.enterprise": "enterprise (square)", "legend.person": "person (circle)",
    "legend.black": "black list", "legend.court": "court-listed debtor", "legend.liable": "liable",
    "legend.penalty": "penalty", "legend.red": "red list", "legend.clean": "no record", "legend.more": "links not loaded",
    "legend.ended": "ended link (dashed)",
    "paths.title": "Shortest paths between two subjects", "paths.from": "From", "paths.to": "To",
    "paths.k": "At most", "paths.maxDepth": "Max hops", "paths.find": "Find", "paths.none": "No path within that many hops",
    "paths.length": "hops", "paths.path": "Path",
    "own.title": "Ownership", "own.up": "Shareholders (up)", "own.down": "Holdings (down)",
    "own.minRatio": "Min ratio", "own.maxDepth": "Depth", "own.direct": "direct", "own.integrated": "integrated",
    "own.owners": "Beneficial owners", "own.threshold": "Threshold", "own.controller": "Actual controller",
    "own.paths": "Control paths", "own.product": "product", "own.cycles": "Circular holdings", "own.none": "No beneficial owner reaches the threshold",
    "desk.title": "Department desk", "desk.notifications": "Notifications", "desk.objections": "Objections",
    "desk.lists": "Black and red lists", "desk.stats": "Statistics", "desk.region": "Region",
    "desk.ack": "Acknowledge", "desk.feedback": "Feedback", "desk.sent": "Sent", "desk.due": "Due",
    "desk.overdue": "overdue", "desk.suspended": "suspended (objection)", "desk.record": "Record",
    "desk.measures": "Measures", "desk.applied": "Measures applied", "desk.notApplied": "not applied",
    "desk.reason": "Reason", "desk.on": "On", "desk.submit": "Submit", "desk.allStatuses": "all statuses",
    "desk.noItems": "Nothing to do", "desk.notice": "Noticed on", "desk.dueOn": "Due (20 working days)",
    "desk.objectionsOpen": "Open objections", "desk.objectionsOverdue": "Overdue objections", "desk.filedBy": "Filed by",
    "desk.black": "Black list", "desk.red": "Red list", "desk.csv": "Download CSV", "desk.by": "by",
    "desk.byAuthority": "authority's region", "desk.bySubject": "subject's region", "desk.subject": "Subject",
    "desk.year": "Year", "desk.byMonth": "Records decided per month", "desk.byCategory": "By category",
    "desk.loop": "Notifications and feedback", "desk.checks": "Checks", "desk.month": "",
    "desk.stat.sent": "sent", "desk.stat.acknowledged": "acknowledged", "desk.stat.answered": "answered",
    "desk.stat.applied": "applied", "desk.stat.feedbackRate": "feedback rate",
    "export.watermark": "exported",
  },
};

export let lang = localStorage.getItem(LANG) === "en" ? "en" : "zh";

export function setLang(value) {
  lang = value;
  localStorage.setItem(LANG, value);
  document.documentElement.lang = value === "en" ? "en" : "zh-CN";
}

export function t(key) {
  return UI[lang][key] ?? UI.zh[key] ?? key;
}

// The page's static words (data-i18n attributes).
export function translateStatic(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  document.title = t("app.title");
}

// --- the catalogue ----------------------------------------------------------------------------

const catalogue = { measures: {}, actions: {}, rules: {}, words: {}, actionList: [] };

export async function loadCatalogue() {
  const [m, a, r, v] = await Promise.all([
    get("/v1/measures", null, "措施目录"), get("/v1/actions", null, "事项目录"),
    get("/v1/rules", null, "规则目录"), get("/v1/vocabulary", null, "词表"),
  ]);
  m.measures.forEach((x) => { catalogue.measures[x.code] = x; });
  a.actions.forEach((x) => { catalogue.actions[x.code] = x; });
  catalogue.actionList = a.actions;
  r.rules.forEach((x) => { catalogue.rules[x.id] = x; });
  for (const [group, words] of Object.entries(v.groups)) {
    catalogue.words[group] = Object.fromEntries(words.map((w) => [w.code, w]));
  }
}

function named(entry, code) {
  if (!entry) return code;
  return (lang === "en" ? entry.name_en : entry.name_zh) || entry.name_zh || code;
}

export const measureName = (code) => named(catalogue.measures[code], code);
export const measure = (code) => catalogue.measures[code];
export const actionName = (code) => named(catalogue.actions[code], code);
export const actions = () => catalogue.actionList;
export function ruleName(id) {
  const r = catalogue.rules[id];
  if (!r) return id;
  return lang === "en" ? `${id}` : r.name_zh;
}
// A fixed word of the service (GET /v1/vocabulary): word("roles", "director") -> 董事
export function word(group, code) {
  if (code === null || code === undefined) return "";
  return named((catalogue.words[group] || {})[code], code);
}
// A record's category: one of the four black categories, else the department's own words.
export const categoryName = (code) => word("black_categories", code);
