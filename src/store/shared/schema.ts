import type { Generated } from 'kysely';

/** The tables as Kysely sees them: snake_case, JSON as text, times as ISO-8601 text. */
export interface Database {
  events: {
    position: Generated<number | string>;
    incident_number: number;
    seq: number;
    type: string;
    at: string;
    actor: string;
    data: string;
    recorded_at: string;
  };
  incidents: {
    number: number;
    title: string;
    status: string;
    severity: string | null;
    commander: string | null;
    declared_at: string;
    started_at: string | null;
    updated_at: string;
    version: number;
    state: string;
  };
  incident_services: { number: number; service: string; ord: number };
  counters: { name: string; value: number | string };
  idempotency_keys: {
    scope: string;
    key: string;
    fingerprint: string;
    incident_number: number;
    version: number;
    created_at: string;
  };
  tokens: { id: string; name: string; role: string; hash: string; created_at: string; revoked_at: string | null };
  users: {
    id: string;
    username: string;
    role: string;
    password_hash: string;
    created_at: string;
    disabled_at: string | null;
  };
  sessions: { id_hash: string; user_id: string; created_at: string; expires_at: string };
  catalogs: { version: number; document: string; applied_at: string; applied_by: string };
  integrations: {
    id: string;
    type: string;
    name: string;
    token_hash: string | null;
    routing_key_hash: string | null;
    secret_hash: string | null;
    created_at: string;
    revoked_at: string | null;
  };
  github_deliveries: { id: string; integration_id: string; received_at: string };
  deploys: {
    id: string;
    source: string;
    external_id: string;
    service: string;
    environment: string;
    version: string | null;
    commit_sha: string | null;
    status: string;
    started_at: string;
    finished_at: string | null;
    actor: string | null;
    url: string | null;
    previous_version: string | null;
    config_deltas: string;
    received_at: string;
    updated_at: string;
  };
  alerts: {
    position: Generated<number | string>;
    id: string;
    dedup_key: string;
    source: string;
    status: string;
    service: string | null;
    sender_service: string | null;
    summary: string;
    severity: string;
    signal: string;
    labels: string;
    annotations: string;
    starts_at: string;
    ends_at: string | null;
    generator_url: string | null;
    first_received_at: string;
    received_at: string;
    occurrences: number;
    incident_number: number | null;
    group_key: string;
    integration_id: string | null;
  };
  alert_groups: { group_key: string; incident_number: number; created_at: string };
  /** The status each incident last recorded for each alert it linked, kept by append from the events. */
  incident_alerts: { incident_number: number; alert_id: string; status: string };
  notification_targets: {
    id: string;
    name: string;
    type: string;
    destination: string;
    url_enc: string | null;
    address: string | null;
    token_enc: string | null;
    secret_enc: string | null;
    created_at: string;
  };
  instance_keys: { name: string; value: string };
  notification_messages: {
    id: string;
    incident_number: number;
    seq: number;
    severity: string | null;
    services: string;
    message: string;
    created_at: string;
    routed_at: string | null;
  };
  outbox: {
    id: string;
    message_id: string;
    incident_number: number;
    event_type: string;
    message: string;
    target_key: string;
    target_id: string | null;
    target_name: string;
    target_type: string;
    target_inline: string | null;
    state: string;
    attempts: number;
    next_attempt_at: string;
    locked_until: string | null;
    locked_by: string | null;
    last_error: string | null;
    delivered_at: string | null;
    created_at: string;
  };
  /** Timer jobs (service/timers.ts): one scheduled per (incident_number, key). */
  timers: {
    id: string;
    incident_number: number;
    kind: string;
    key: string;
    due_at: string;
    state: string;
    created_at: string;
    fired_at: string | null;
    cancelled_at: string | null;
    lease_owner: string | null;
    lease_until: string | null;
    attempts: Generated<number>;
  };
  /** Scheduled maintenances for the status page; `components` is a JSON array of service names. */
  maintenances: {
    id: string;
    title: string;
    body: string;
    components: string;
    starts_at: string;
    ends_at: string;
    created_at: string;
    created_by: string;
    cancelled_at: string | null;
  };
  /** Calendar feeds of a schedule's or a person's shifts; the URL's secret stored as its SHA-256 only. */
  calendar_feeds: {
    id: string;
    kind: string;
    target: string;
    secret_hash: string;
    created_by: string;
    created_at: string;
    revoked_at: string | null;
  };
  /** Heartbeats (service/heartbeats.ts): the ping token as its SHA-256; a runner's claim is the lease. */
  heartbeats: {
    name: string;
    service: string;
    severity: string;
    interval_seconds: number;
    grace_seconds: number;
    token_hash: string;
    state: string;
    created_at: string;
    created_by: string;
    last_ping_at: string | null;
    due_at: string;
    missed_at: string | null;
    lease_owner: string | null;
    lease_until: string | null;
  };
  /** The read model of each incident (domain/insights/facts.ts), rewritten with its projection. Flags are 0/1. */
  incident_facts: {
    number: number;
    title: string;
    status: string;
    severity: string | null;
    declared_ms: number | string;
    iso_week: string;
    auto: number;
    ttd_ms: number | string | null;
    tta_ms: number | string | null;
    ttm_ms: number | string | null;
    ttr_ms: number | string | null;
    change_failure: number;
    pm_state: string | null;
    pm_author: string | null;
    pm_reviewers: string;
    resolved_at: string | null;
    pm_due_at: string | null;
    pm_due_ms: number | string | null;
    published_at: string | null;
    closed_at: string | null;
    pm_done_ms: number | string | null;
    pm_skipped: number;
    override_count: number;
    overrides: string;
    sole_warning: string | null;
  };
  /** Who responds to each incident as it stands (commander, responders, comms lead); commander is 0/1. */
  incident_people: { incident_number: number; person: string; commander: number };
  /** Every incident's action items; times as text for lists, as ms for comparisons. */
  action_items: {
    incident_number: number;
    id: string;
    title: string;
    owner: string;
    kind: string;
    priority: string;
    status: string;
    due_at: string;
    due_ms: number | string;
    done_at: string | null;
    done_ms: number | string | null;
    created_at: string;
    ticket_url: string | null;
    from_question: string | null;
    from_guardrail: string | null;
  };
  /** People's contact methods; `config_enc` the sealed JSON of url/token/address/to/secret, a pending code as its hash. */
  contact_methods: {
    id: string;
    person: string;
    type: string;
    label: string;
    destination: string;
    config_enc: string;
    verify_code_hash: string | null;
    verify_expires_at: string | null;
    verify_attempts: number;
    verified_at: string | null;
    created_at: string;
  };
  /** Each person's notification rules: which contact method after how many minutes. */
  notification_rules: {
    id: string;
    person: string;
    contact_method_id: string;
    delay_minutes: number;
    created_at: string;
  };
}

export type Engine = 'sqlite' | 'postgres';
