"""The names, in Chinese and English, of the service's fixed words: subject and record kinds,
roles, relations, statuses, decisions. `GET /v1/vocabulary` gives them, so the workbench and any
other client label what the API answers from the service itself, as `GET /v1/measures`,
`/v1/actions` and `/v1/rules` do for the catalogue (`name_zh`).

tests/test_workbench_api.py holds every word of `vocabulary.py` and of the row models to a name here.
"""

from __future__ import annotations

# group -> code -> (Chinese, English)
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "subject_kinds": {
        "enterprise": ("企业", "enterprise"),
        "person": ("自然人", "person"),
    },
    "enterprise_kinds": {
        "enterprise": ("企业", "enterprise"),
        "social_organization": ("社会组织", "social organisation"),
        "public_institution": ("事业单位", "public institution"),
        "individual_business": ("个体工商户", "individual business"),
    },
    "enterprise_statuses": {
        "active": ("存续", "active"),
        "revoked": ("吊销", "licence revoked"),
        "deregistered": ("注销", "deregistered"),
        "abnormal": ("经营异常", "abnormal operation"),
    },
    "record_kinds": {
        "black": ("黑名单（严重失信）", "black list (serious dishonesty)"),
        "red": ("红名单（守信）", "red list (trustworthy)"),
        "penalty": ("行政处罚", "administrative penalty"),
    },
    "severities": {
        "minor": ("轻微", "minor"),
        "general": ("一般", "general"),
        "serious": ("严重", "serious"),
    },
    "black_categories": {
        "health_safety": ("危害人民群众身体健康和生命安全", "health and safety"),
        "market_social_order": ("严重破坏市场公平竞争秩序和社会正常秩序", "market and social order"),
        "defy_judicial_admin": ("拒不履行法定义务（失信被执行人等）", "defying judicial or administrative duties"),
        "national_defense": ("拒不履行国防义务", "national defence duties"),
    },
    "roles": {
        "legal_representative": ("法定代表人", "legal representative"),
        "principal": ("主要负责人", "principal"),
        "director": ("董事", "director"),
        "supervisor": ("监事", "supervisor"),
        "senior_executive": ("高级管理人员", "senior executive"),
        "actual_controller": ("实际控制人", "actual controller"),
        "registered_practitioner": ("注册执业人员", "registered practitioner"),
        "shareholder": ("股东", "shareholder"),
        "subject": ("记录主体", "the record's subject"),
        "named": ("被认定的直接责任人", "named responsible"),
    },
    "relations": {
        "role": ("任职", "role"),
        "shareholding": ("持股", "shareholding"),
        "named_responsible": ("被认定责任人", "named responsible"),
    },
    "key_roles": {
        "public": ("公众", "public"),
        "department": ("部门", "department"),
        "investigator": ("调查人员", "investigator"),
        "admin": ("管理员", "administrator"),
    },
    "record_statuses": {
        "in_force": ("有效", "in force"),
        "revoked": ("已撤销", "revoked"),
        "repaired": ("已修复", "repaired"),
    },
    "notification_statuses": {
        "pending": ("待签收", "pending"),
        "acknowledged": ("已签收", "acknowledged"),
        "answered": ("已反馈", "answered"),
        "restoration_pending": ("待确认恢复", "restoration pending"),
        "restoration_acknowledged": ("已确认恢复", "restoration acknowledged"),
    },
    "objection_statuses": {
        "open": ("核查中", "open"),
        "upheld": ("维持", "upheld"),
        "corrected": ("更正", "corrected"),
        "revoked": ("撤销", "revoked"),
    },
    "decisions": {
        "restricted": ("限制", "restricted"),
        "favoured": ("激励", "favoured"),
        "clear": ("无限制", "clear"),
    },
    "risk_reasons": {
        "black_record": ("黑名单记录", "black record"),
        "penalty_record": ("行政处罚记录", "penalty record"),
        "liable": ("承担失信责任", "liable"),
    },
}


def vocabulary() -> dict[str, list[dict[str, str]]]:
    """Every group as a list of {code, name_zh, name_en}, in the order declared."""
    return {group: [{"code": code, "name_zh": zh, "name_en": en} for code, (zh, en) in words.items()]
            for group, words in LABELS.items()}
