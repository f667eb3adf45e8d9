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
}

export type Engine = 'sqlite' | 'postgres';
