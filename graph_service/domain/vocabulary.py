"""The words the service is built of, declared once: each as a `Literal` type and its tuple.

Models, routers, the rules catalogue and the row validation import them from here (issue 16
point 7); the tuples keep the order the error messages list them in.
"""

from __future__ import annotations

from typing import Literal, get_args

SubjectKind = Literal["enterprise", "person"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = get_args(SubjectKind)

RecordKind = Literal["black", "red", "penalty"]
RECORD_KINDS: tuple[RecordKind, ...] = get_args(RecordKind)

Severity = Literal["minor", "general", "serious"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

BLACK_CATEGORIES = ("health_safety", "market_social_order", "defy_judicial_admin", "national_defense")

# HOLDS_ROLE.role values (docs/model.md); `shareholder` reaches persons through HOLDS_SHARES.
HolderRole = Literal["legal_representative", "principal", "director", "supervisor", "senior_executive",
                     "actual_controller", "registered_practitioner"]
ROLES: tuple[HolderRole, ...] = get_args(HolderRole)
REACH_ROLES = (*ROLES, "shareholder")

# The roles of an API key (docs/api.md).
KeyRole = Literal["public", "department", "investigator", "admin"]
KEY_ROLES: tuple[KeyRole, ...] = get_args(KeyRole)

# The relations a network walk follows (cypher/network/level.cypher, a branch each); paths follow
# the first two.
Relation = Literal["role", "shareholding", "named_responsible"]
RELATIONS: tuple[Relation, ...] = get_args(Relation)
PathRelation = Literal["role", "shareholding"]
PATH_RELATIONS: tuple[PathRelation, ...] = get_args(PathRelation)

# What an audit entry is about: a subject, or a record read as a whole.
AuditSubjectKind = Literal[SubjectKind, "record"]
AUDIT_SUBJECT_KINDS: tuple[AuditSubjectKind, ...] = get_args(AuditSubjectKind)
