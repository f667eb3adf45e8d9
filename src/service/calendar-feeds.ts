import { createHash, randomBytes } from 'node:crypto';
import type { Catalog } from '../domain/catalog/types.js';
import { forbidden, notFound, validationError } from '../domain/errors.js';
import { shiftsCalendar, type ScheduledShift } from '../domain/paging/ics.js';
import { finalShifts } from '../domain/paging/schedule.js';
import type { Caller } from './auth.js';
import { getCatalog } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import { CALENDAR_FEED_KINDS, type CalendarFeedKind, type CalendarFeedRecord } from './ports.js';
import { scheduleNamed } from './schedules.js';

/** How far back a feed lists shifts: from 00:00 UTC this many days before today. */
export const FEED_PAST_DAYS = 30;
/** How far ahead a feed lists shifts: until 00:00 UTC one day past this many days after today. */
export const FEED_AHEAD_DAYS = 180;
/** How long a calendar app may keep a feed before asking again (Cache-Control max-age). */
export const FEED_MAX_AGE_SECONDS = 300;

const DAY_MS = 86_400_000;
const SECRET_PREFIX = 'fbc_';
// 32 random bytes (256 bits) as base64url: 43 characters.
const SECRET_PATTERN = /^fbc_[A-Za-z0-9_-]{43}$/;

type Deps = Pick<ServiceDeps, 'store' | 'clock' | 'ids' | 'log'>;

/** A calendar feed as listed: never its secret or URL. */
export interface CalendarFeedView {
  id: string;
  kind: CalendarFeedKind;
  target: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** What creating a feed answers: its URL, which holds the secret and is shown this once. */
export interface CreatedCalendarFeed extends CalendarFeedView {
  url: string;
}

/** A rendered feed: the iCalendar text and its entity tag. */
export interface RenderedCalendar {
  body: string;
  etag: string;
}

// Code-point order, the same on every host (localeCompare is not).
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const view = (f: CalendarFeedRecord): CalendarFeedView => ({
  id: f.id,
  kind: f.kind,
  target: f.target,
  createdBy: f.createdBy,
  createdAt: f.createdAt,
  revokedAt: f.revokedAt,
});

function assertResponder(caller: Pick<Caller, 'role'>): void {
  if (caller.role !== 'responder' && caller.role !== 'admin') {
    throw forbidden(`This needs the responder role; you have ${caller.role}.`);
  }
}

/**
 * The people a catalog knows: team members, users, and everyone a schedule's layers or overrides
 * name. A person feed may be made for these only.
 */
function knownPeople(catalog: Catalog | null): Set<string> {
  const people = new Set<string>();
  for (const t of catalog?.teams ?? []) for (const m of t.members) people.add(m.name);
  for (const u of catalog?.users ?? []) people.add(u.name);
  for (const s of catalog?.schedules ?? []) {
    for (const l of s.layers) for (const m of l.members) people.add(m);
    for (const o of s.overrides) people.add(o.person);
  }
  return people;
}

/**
 * The window a feed lists, `[from, to)`: 00:00 UTC FEED_PAST_DAYS days before `now`'s day until
 * 00:00 UTC FEED_AHEAD_DAYS + 1 days after it. Whole days, so a shift cut at the window's start keeps
 * its start, and so its UID, all day long.
 */
export function feedWindow(now: string): { from: string; to: string } {
  const day = Math.floor(Date.parse(now) / DAY_MS) * DAY_MS;
  return {
    from: new Date(day - FEED_PAST_DAYS * DAY_MS).toISOString(),
    to: new Date(day + (FEED_AHEAD_DAYS + 1) * DAY_MS).toISOString(),
  };
}

/**
 * Creates a feed of one catalog schedule's shifts, or of one person's across every schedule (a
 * person the catalog knows: see knownPeople); responder or admin. `baseUrl` is where this server is
 * reached; the answer's URL holds the secret, which is stored as its SHA-256 only.
 */
export async function createCalendarFeed(
  deps: Deps,
  caller: Pick<Caller, 'role' | 'actor'>,
  input: { kind: CalendarFeedKind; target: string },
  baseUrl: string,
): Promise<CreatedCalendarFeed> {
  assertResponder(caller);
  if (!(CALENDAR_FEED_KINDS as readonly string[]).includes(input.kind)) {
    throw validationError([{ path: 'body.kind', message: `must be one of ${CALENDAR_FEED_KINDS.join(', ')}` }]);
  }
  const { catalog } = await getCatalog(deps);
  const written = input.target.trim();
  let target: string;
  if (input.kind === 'schedule') {
    const schedule = scheduleNamed(catalog?.schedules ?? [], written);
    if (!schedule) {
      throw validationError([{ path: 'body.target', message: `no schedule named ${JSON.stringify(written)} in the catalog` }]);
    }
    target = schedule.name;
  } else {
    target = written;
    if (!knownPeople(catalog).has(target)) {
      throw validationError([
        {
          path: 'body.target',
          message: `${JSON.stringify(written)} is not a person of the catalog (a team member, a user, or someone a schedule puts on call)`,
        },
      ]);
    }
  }
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  const record: CalendarFeedRecord = {
    id: deps.ids.next(),
    kind: input.kind,
    target,
    secretHash: sha256(secret),
    createdBy: caller.actor,
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  await deps.store.createCalendarFeed(record);
  deps.log.info({ calendarFeedId: record.id, kind: record.kind, target }, 'calendar feed created');
  return { ...view(record), url: `${baseUrl.replace(/\/+$/, '')}/calendar/${secret}.ics` };
}

/** Every feed, revoked ones too, newest first; responder or admin. */
export async function listCalendarFeeds(deps: Deps, caller: Pick<Caller, 'role'>): Promise<{ items: CalendarFeedView[] }> {
  assertResponder(caller);
  return { items: (await deps.store.listCalendarFeeds()).map(view) };
}

/** Revokes a live feed: its URL answers 404 from now on; responder or admin. */
export async function revokeCalendarFeed(deps: Deps, caller: Pick<Caller, 'role' | 'actor'>, id: string): Promise<void> {
  assertResponder(caller);
  if (!(await deps.store.revokeCalendarFeed(id, deps.clock.now()))) {
    throw notFound(`Calendar feed ${id} does not exist or is already revoked.`);
  }
  deps.log.info({ calendarFeedId: id, by: caller.actor }, 'calendar feed revoked');
}

/** The one answer for a secret that is malformed, unknown or revoked, so none tells which. */
const noSuchFeed = () => notFound('There is no such calendar feed.');

/**
 * The feed a secret opens, rendered from the catalog in force: its shifts in feedWindow(now). A
 * schedule or person the catalog has since dropped renders as an empty calendar. DTSTAMPs are the
 * shifts' own starts, so the same catalog and day render the same text (and ETag).
 */
export async function renderCalendarFeed(deps: Pick<ServiceDeps, 'store' | 'clock'>, secret: string): Promise<RenderedCalendar> {
  if (!SECRET_PATTERN.test(secret)) throw noSuchFeed();
  const feed = await deps.store.findCalendarFeedBySecretHash(sha256(secret));
  if (!feed || feed.revokedAt !== null) throw noSuchFeed();
  const schedules = (await getCatalog(deps)).catalog?.schedules ?? [];
  const { from, to } = feedWindow(deps.clock.now());
  let body: string;
  if (feed.kind === 'schedule') {
    const schedule = schedules.find((s) => s.name === feed.target);
    body = shiftsCalendar({
      kind: 'schedule',
      name: `On call: ${feed.target}`,
      description: `Firebreak on-call shifts of schedule ${feed.target}`,
      scheduleName: feed.target,
      shifts: schedule ? finalShifts(schedule, from, to) : [],
    });
  } else {
    const shifts: ScheduledShift[] = schedules
      .flatMap((s) => finalShifts(s, from, to).flatMap((shift) => (shift.person === feed.target ? [{ ...shift, scheduleName: s.name }] : [])))
      .sort((a, b) => byText(a.startAt, b.startAt) || byText(a.scheduleName, b.scheduleName));
    body = shiftsCalendar({
      kind: 'person',
      name: `On call: ${feed.target}`,
      description: `Firebreak on-call shifts of ${feed.target} across every schedule`,
      shifts,
    });
  }
  return { body, etag: `"${sha256(body).slice(0, 32)}"` };
}
