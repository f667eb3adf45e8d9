import type { Catalog } from '../catalog/types.js';

/** How paging may reach a person (service/ports.ts keeps the same list for the store). */
export const CONTACT_METHOD_TYPES = ['email', 'ntfy', 'slack', 'webhook', 'sms', 'voice'] as const;
export type ContactMethodType = (typeof CONTACT_METHOD_TYPES)[number];

/** `POST /api/v1/people/{person}/contact-methods`: `address` for email, `url` for the others, `to` for sms/voice. */
export interface ContactMethodInput {
  type: ContactMethodType;
  label?: string;
  url?: string;
  address?: string;
  token?: string;
  to?: string;
  secret?: string;
}

/** A contact method as listed: where it goes masked, never its URL's path, token, number or secret. */
export interface ContactMethodView {
  id: string;
  person: string;
  type: ContactMethodType;
  label: string;
  /** The URL's host, or the address or number masked. */
  destination: string;
  verified: boolean;
  verifiedAt: string | null;
  /** The code sent and not yet entered: until when it is valid and how many wrong tries are left. */
  pending: { expiresAt: string; attemptsLeft: number } | null;
  createdAt: string;
}

/** How sending a verification code went (`refused` is the egress guard's refusal); `error` never holds a secret. */
export interface VerificationSent {
  outcome: 'sent' | 'failed' | 'refused';
  error: string | null;
  expiresAt: string;
}

/** What adding (or resending) answers: the method, how its code was sent, and a webhook's `whsec_` secret this once. */
export interface AddedContactMethod extends ContactMethodView {
  verification: VerificationSent;
  secret?: string;
}

/** A notification rule as listed: after `delayMinutes`, this method, masked. */
export interface RuleView {
  delayMinutes: number;
  contactMethod: ContactMethodView;
}

/** How contact methods and notification rules are bounded. */
export const CONTACT_LIMITS = {
  /** Contact methods one person may have. */
  methods: 20,
  /** Notification rules one person may have. */
  rules: 10,
  /** The longest delay of a rule: one day. */
  maxDelayMinutes: 1440,
  /** Wrong codes before a method's verification needs a new code. */
  verifyAttempts: 5,
  /** How long a verification code is valid. */
  codeMinutes: 15,
  /** The least time between two codes sent to one method. */
  resendSeconds: 60,
  /** Verification codes sent to one person's methods in an hour, adds and resends, deleted methods included. */
  sendsPerHour: 10,
  label: 100,
  person: 129,
  /** A bearer token of an ntfy topic or SMS/voice gateway. */
  token: 512,
} as const;

/**
 * Every name the catalog knows as a person: its Users, its teams' members and on-call rotations, and
 * the people its schedules put on call (layer members, overrides), as the Schedule kind's check reads them.
 */
export function catalogPeople(catalog: Pick<Catalog, 'users' | 'teams' | 'schedules'> | null): Set<string> {
  const people = new Set<string>();
  if (!catalog) return people;
  for (const u of catalog.users) people.add(u.name);
  for (const t of catalog.teams) {
    for (const m of t.members) people.add(m.name);
    for (const who of t.onCall?.order ?? []) people.add(who);
  }
  for (const s of catalog.schedules ?? []) {
    for (const l of s.layers) for (const m of l.members) people.add(m);
    for (const o of s.overrides) people.add(o.person);
  }
  return people;
}

/** The methods paging may use: the verified ones, in the order given. */
export function reachableMethods<M extends { verifiedAt: string | null }>(methods: readonly M[]): M[] {
  return methods.filter((m) => m.verifiedAt !== null);
}

/** One step of a person's paging plan: after `delayMinutes`, this method. */
export interface PagingStep<M> {
  delayMinutes: number;
  method: M;
}

/**
 * A person's rules as the pager will follow them: by delay (ties by the order given), each with its
 * method; a rule whose method is gone or not verified is left out.
 */
export function pagingPlan<M extends { id: string; verifiedAt: string | null }>(
  methods: readonly M[],
  rules: readonly { contactMethodId: string; delayMinutes: number }[],
): PagingStep<M>[] {
  const byId = new Map(reachableMethods(methods).map((m) => [m.id, m]));
  return rules
    .map((r, i) => ({ r, i, method: byId.get(r.contactMethodId) }))
    .filter((x): x is { r: (typeof rules)[number]; i: number; method: M } => x.method !== undefined)
    .sort((a, b) => a.r.delayMinutes - b.r.delayMinutes || a.i - b.i)
    .map(({ r, method }) => ({ delayMinutes: r.delayMinutes, method }));
}
