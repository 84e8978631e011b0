"""Every configurable value of the service, read from the environment with pydantic-settings.

Neo4j settings follow the Neo4j conventions (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
NEO4J_DATABASE). When NEO4J_URI is not set, the project's local Neo4j (see neo4j_local) is used,
with the password generated at its install.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_service import HOME


class Neo4jSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str | None = Field(None, description="bolt:// or neo4j:// URI; unset: the project's local Neo4j")
    username: str = "neo4j"
    password: SecretStr | None = None
    database: str = "neo4j"
    # Every read of the API runs with this transaction timeout (seconds).
    read_timeout_s: float = 10.0
    connection_timeout_s: float = 5.0


class LocalNeo4jSettings(BaseSettings):
    """The Neo4j Community server the project installs from Maven Central and runs itself."""

    model_config = SettingsConfigDict(env_prefix="CREDIT_GRAPH_", extra="ignore")

    cache_dir: Path = HOME / ".cache"
    neo4j_version: str = "5.26.11"
    bolt_port: int | None = Field(None, description="Bolt port; unset: a free port is chosen at first start")
    heap: str | None = Field(None, description="JVM heap, e.g. 2g; unset: sized from the machine")
    pagecache: str | None = Field(None, description="page cache, e.g. 1g; unset: sized from the machine")
    start_timeout_s: float = 120.0
    import_heap: str = Field("1g", description="JVM heap of neo4j-admin database import (load --initial)")
    import_off_heap: str = Field("30%", description="off-heap memory of neo4j-admin database import (size or % of RAM)")


class ServiceSettings(BaseSettings):
    """Limits of the HTTP API. Each is a named setting, as yente does."""

    model_config = SettingsConfigDict(env_prefix="CREDIT_GRAPH_", extra="ignore")

    network_max_depth: int = 4
    network_max_nodes: int = 500
    network_page_size: int = 100
    paths_max_depth: int = 6
    paths_max_count: int = 10
    ownership_max_depth: int = 10
    ownership_max_nodes: int = 2000
    list_page_size: int = 100
    list_max_page_size: int = 1000
    # GET /v1/audit and `credit-graph audit`: entries per page by default, and at most.
    audit_page_size: int = 100
    audit_max_page_size: int = 1000
    # GET /v1/changes, the histories and `credit-graph changes` (docs/changes.md): entries per page
    # by default and at most, and how many entries one page looks at for its filters (a page of a
    # rare filter then ends early, with a cursor past what it looked at).
    changes_page_size: int = 100
    changes_max_page_size: int = 1000
    changes_scan_limit: int = 20000
    # Watches and alerts (docs/changes.md, Watches): limits of a watch, the alerter's batch and poll,
    # the neighbourhood read per watched subject, and the webhook policy (attempts with exponential
    # backoff from webhook_backoff_s; a webhook is disabled after webhook_max_failures alerts in a row
    # that gave up).
    watch_max_subjects: int = 100
    watch_max_regions: int = 20
    watch_max_nodes: int = 5000
    watches_page_size: int = 100
    alerts_in_background: bool = True
    alerts_poll_s: float = 0.2
    alerts_batch: int = 2000
    webhook_attempts: int = 5
    webhook_backoff_s: float = 1.0
    webhook_timeout_s: float = 5.0
    webhook_max_failures: int = 3
    webhook_batch: int = 50
    webhook_concurrency: int = 8
    # How often the service looks whether a new day is to be swept (graph_service.changes.sweep).
    sweep_check_s: float = 300.0
    batch_max_items: int = 1000
    risk_max_depth: int = 3
    associated_risk_depth: int = 2
    # Investigator endpoints (issue 4; docs/api.md). The Cypher statements carry literal ceilings
    # (paths: SHORTEST 32, {1,6}; network and risk read level by level), so these may only lower them.
    network_fanout: int = 50            # edges read per node and relation below the root level
    risk_max_nodes: int = 2000          # subjects read around a subject for GET .../risk
    risk_max_parties: int = 200         # parties of GET .../risk per page, by default
    region_links_page_size: int = 100
    groups_max_enterprises: int = 20000  # a region's enterprises read for groups and cycles
    groups_max_groups: int = 200
    groups_address_hub_limit: int = 50
    groups_max_bridges: int = 20
    cycles_max_cycles: int = 100
    cycles_max_cycle_length: int = 10
    cycles_max_outside: int = 5000  # enterprises elsewhere read on the ways out of a region and back
    # GET /v1/analytics/duplicates (docs/search.md, Identity): pairs per page by default and at most;
    # groups of candidates (same name and birth date, same name and address) read per kind, and
    # pairs scored in all; beyond either the answer says `truncated`.
    duplicates_page_size: int = 50
    duplicates_max_page_size: int = 500
    duplicates_max_groups: int = 5000
    duplicates_max_pairs: int = 20000
    # GET /v1/resolutions: judgements per page by default and at most.
    resolutions_page_size: int = 100
    resolutions_max_page_size: int = 1000
    # Warm-up after a start (graph_service/warm_up.py): /readyz waits for it. At most
    # warm_up_s seconds (0: no warm-up) and warm_up_rounds rounds over warm_up_subjects
    # enterprises and as many persons.
    warm_up_s: float = 30.0
    warm_up_rounds: int = 2
    warm_up_subjects: int = 50
    # Checks are stored (:Check) by a write-behind log: at most this many seconds after the answer,
    # in batches of at most check_log_batch.
    check_log_flush_s: float = 0.2
    check_log_batch: int = 5000
    # At most this many answered checks wait to be stored per worker; a request that would add
    # more waits (back pressure), and answers 503 after check_log_wait_s without room.
    check_log_max_pending: int = 20_000
    check_log_wait_s: float = 30.0
    # journal: an answered check is appended and fsynced to a per-worker file under
    # check_journal_dir before its answer leaves, and replayed into Neo4j at the next start if the
    # worker dies first (checks/journal.py). memory: the old write-behind only, for comparison in
    # bench/api.py; a crash loses the checks answered in the last check_log_flush_s.
    check_durability: Literal["journal", "memory"] = "journal"
    # One directory per service and database: a worker replays every journal it finds there.
    check_journal_dir: Path = HOME / "var" / "check-journal"
    # Single checks (POST /v1/checks): at most this many statements read them at once per worker;
    # checks arriving meanwhile wait and are read together by the next, at most single_check_batch
    # per statement (graph_service/checks/reader.py).
    single_check_statements: int = 2
    single_check_batch: int = 250
    # Python's cyclic collector in a serving process: the start-up objects are frozen out of it and
    # young collections wait for gc_thresholds[0] allocations, fewer pauses without long ones
    # (the Neo4j driver leaves objects in cycles per statement; BENCHMARKS.md, sessions 6 and 8).
    gc_freeze: bool = True
    gc_thresholds: tuple[int, int, int] = (5000, 20, 100)
    # A batch check runs in chunks of this many items, each chunk in its own read transaction,
    # this many chunks at a time.
    batch_chunk: int = 250  # one statement per chunk (credit.check_batch)
    batch_parallelism: int = 4
    retry_after_s: int = 5
    # How long a request may spend retrying a transaction on a transient Neo4j error before it
    # answers 503 (the driver's own default, 30 s, would hold requests during an outage).
    transaction_retry_s: float = 1.0
    # Workflow writes (records, objections, feedback) retry transient errors such as deadlocks
    # between concurrent departments for this long before answering 503.
    write_retry_s: float = 15.0
    api_keys_required: bool = True
    # A verified key is trusted for this long without a Neo4j lookup; a revocation takes effect
    # within this delay on every worker.
    api_key_cache_s: float = 10.0
    host: str = "127.0.0.1"
    port: int = 8000
    notification_overdue_working_days: int = 5
    # Dates later than today plus this many years are refused in records and registry rows
    # (a typo such as 2999 would otherwise keep a sanction or a role alive for ever).
    date_horizon_years: int = 50
    # Input limits of the HTTP API (graph_service/api/inputs.py; docs/api.md "Limits"). The field
    # maxima shape the request models, so they are read once when the service starts.
    max_body_bytes: int = 1_048_576     # request body; 413 beyond, counted as it streams in
    max_header_bytes: int = 8192        # any one header value; 431 naming the header beyond
    max_purpose_length: int = 1000      # X-Purpose as sent (percent-encoded); 422 beyond
    max_id_length: int = 64             # ids and codes: subject, person, record, batch keys, actions
    max_name_length: int = 200          # names and short texts: authority, category, document number
    max_text_length: int = 2000         # free text: legal_basis, reason, grounds, evidence; cursors
    max_body_list_items: int = 100      # items of a list in a body (responsible persons, measures)
    max_offset: int = 1_000_000         # rows a page may skip (offset, and the offsets cursors carry)
    # The longest text of each class of free-text field, in characters (the table of fields is
    # graph_service/text_limits.py); a longer value is rejected, never cut.
    text_max_short: int = 100      # title, category, document_no, industry
    text_max_name: int = 200       # names of enterprises, persons and authorities
    text_max_address: int = 500
    text_max_long: int = 4000      # legal_basis
    # A role (roles.csv) may not start before the person, whose citizen ID gives the birth date,
    # was this old.
    role_min_age_years: int = 16
    # GET /v1/search (docs/search.md): the longest `q` (characters; 422 beyond), hits per page by
    # default and at most, the candidates the full-text index gives to be ranked (the ranking and
    # its pages cover at most these), and the least similarity (0-100, rapidfuzz) of a hit that
    # matched no whole name, prefix or part.
    search_max_query_length: int = 200
    search_page_size: int = 20
    search_max_page_size: int = 100
    search_max_candidates: int = 500
    search_min_similarity: float = 40.0
    # POST /v1/match and /v1/match/batch (docs/search.md, "Match"): the least score of `match: true`
    # (a request may give its own `threshold`), candidates answered by default and at most, hits read
    # from the full-text index per name asked (of the query, and of its legal representative), and
    # queries per batch, read in chunks of match_batch_chunk, batch_parallelism chunks at a time.
    match_threshold: float = Field(0.7, ge=0.0, le=1.0)
    match_limit: int = 5
    match_max_limit: int = 50
    match_candidates: int = 20
    match_batch_max_items: int = 1000
    match_batch_chunk: int = 100


@lru_cache
def neo4j_settings() -> Neo4jSettings:
    return Neo4jSettings()


@lru_cache
def local_neo4j_settings() -> LocalNeo4jSettings:
    return LocalNeo4jSettings()


@lru_cache
def service_settings() -> ServiceSettings:
    return ServiceSettings()
