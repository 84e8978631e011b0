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
CREATE CONSTRAINT resolution_id IF NOT EXISTS FOR (n:Resolution) REQUIRE n.resolution_id IS UNIQUE;
// The change log (docs/changes.md): one number per entry, read in order by the feed; one counter.
CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (n:Change) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT change_counter IF NOT EXISTS FOR (n:ChangeCounter) REQUIRE n.name IS UNIQUE;
// known_at finds the later entries of a record or an objection by their key.
CREATE INDEX change_key IF NOT EXISTS FOR (n:Change) ON (n.key);
// Watches and their alerts (docs/changes.md, Watches): alerts are read by watch in set order.
CREATE CONSTRAINT watch_id IF NOT EXISTS FOR (n:Watch) REQUIRE n.watch_id IS UNIQUE;
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (n:Alert) REQUIRE n.alert_id IS UNIQUE;
CREATE CONSTRAINT alerter_cursor IF NOT EXISTS FOR (n:AlerterCursor) REQUIRE n.name IS UNIQUE;
CREATE INDEX alert_watch_set IF NOT EXISTS FOR (n:Alert) ON (n.watch_id, n.set);
CREATE INDEX alert_delivery IF NOT EXISTS FOR (n:Alert) ON (n.delivery);
CREATE INDEX delivery_watch IF NOT EXISTS FOR (n:Delivery) ON (n.watch_id);
CREATE INDEX record_subject IF NOT EXISTS FOR (n:Record) ON (n.subject_id);
CREATE INDEX record_authority_region IF NOT EXISTS FOR (n:Record) ON (n.authority_region);
CREATE INDEX liability_subject IF NOT EXISTS FOR (n:Liability) ON (n.subject_id);
CREATE INDEX liability_record IF NOT EXISTS FOR (n:Liability) ON (n.record_id);
// Indexes no statement plans with are dropped: every write keeps an index up and every
// load --initial fills it (BENCHMARKS.md, session 6). tests/test_schema_indexes.py fails when an
// index here is planned by no statement.
DROP INDEX role_kind IF EXISTS;
DROP INDEX check_subject IF EXISTS;
DROP INDEX enterprise_region IF EXISTS;
DROP INDEX enterprise_name IF EXISTS;
DROP INDEX person_name IF EXISTS;
DROP INDEX record_kind IF EXISTS;
DROP INDEX notification_region IF EXISTS;
// A role's or holding's key names both its ends (person_id|uscc|role|start_on, holder_id|uscc|start_on),
// and the only statements writing them MERGE between the two ends already matched (cypher/loading/roles,
// shareholdings_*: MergeInto, which locks both nodes before it creates): a key cannot repeat, and
// no statement looks one up on its own: a uniqueness constraint on it would be an index kept up by
// every role write, for nothing.
DROP CONSTRAINT role_key IF EXISTS;
DROP CONSTRAINT holding_key IF EXISTS;
