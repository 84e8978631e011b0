// Constraints and indexes of the credit graph (docs/model.md). Idempotent: applied by the service
// on start and by the loader before each load.
CREATE CONSTRAINT enterprise_uscc IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.uscc IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE CONSTRAINT region_code IF NOT EXISTS FOR (n:Region) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT authority_id IF NOT EXISTS FOR (n:Authority) REQUIRE n.authority_id IS UNIQUE;
CREATE CONSTRAINT record_id IF NOT EXISTS FOR (n:Record) REQUIRE n.record_id IS UNIQUE;
CREATE CONSTRAINT load_id IF NOT EXISTS FOR (n:Load) REQUIRE n.load_id IS UNIQUE;
CREATE CONSTRAINT liability_id IF NOT EXISTS FOR (n:Liability) REQUIRE n.liability_id IS UNIQUE;
CREATE CONSTRAINT notification_id IF NOT EXISTS FOR (n:Notification) REQUIRE n.notification_id IS UNIQUE;
CREATE CONSTRAINT objection_id IF NOT EXISTS FOR (n:Objection) REQUIRE n.objection_id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.event_id IS UNIQUE;
// One event per (record, position) in its history: a lost update would fail here, not slip by.
CREATE CONSTRAINT event_record_seq IF NOT EXISTS FOR (n:Event) REQUIRE (n.record_id, n.seq) IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.key_id IS UNIQUE;
CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.audit_id IS UNIQUE;
CREATE CONSTRAINT check_id IF NOT EXISTS FOR (n:Check) REQUIRE n.check_id IS UNIQUE;
CREATE INDEX check_subject IF NOT EXISTS FOR (n:Check) ON (n.subject_id);
CREATE CONSTRAINT role_key IF NOT EXISTS FOR ()-[r:HOLDS_ROLE]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT holding_key IF NOT EXISTS FOR ()-[r:HOLDS_SHARES]-() REQUIRE r.key IS UNIQUE;
CREATE INDEX enterprise_region IF NOT EXISTS FOR (n:Enterprise) ON (n.region_code);
CREATE INDEX enterprise_name IF NOT EXISTS FOR (n:Enterprise) ON (n.name);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX record_subject IF NOT EXISTS FOR (n:Record) ON (n.subject_id);
CREATE INDEX record_kind IF NOT EXISTS FOR (n:Record) ON (n.kind, n.category);
CREATE INDEX record_authority_region IF NOT EXISTS FOR (n:Record) ON (n.authority_region);
CREATE INDEX liability_subject IF NOT EXISTS FOR (n:Liability) ON (n.subject_id);
CREATE INDEX liability_record IF NOT EXISTS FOR (n:Liability) ON (n.record_id);
CREATE INDEX notification_region IF NOT EXISTS FOR (n:Notification) ON (n.region_code, n.status);
// Roles are always reached from a person or an enterprise, never looked up by kind: no statement
// planned with the index that was here (role_kind), which every role write kept up and every
// load --initial filled (1.5 s at 100k). Databases made before keep it no longer.
DROP INDEX role_kind IF EXISTS;
