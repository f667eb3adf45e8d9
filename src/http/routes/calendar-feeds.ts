import { Type } from '@sinclair/typebox';
import { SERVICE_NAME_MAX } from '../../domain/catalog/names.js';
import { LIMITS } from '../../domain/limits.js';
import {
  createCalendarFeed,
  FEED_AHEAD_DAYS,
  FEED_MAX_AGE_SECONDS,
  FEED_PAST_DAYS,
  listCalendarFeeds,
  renderCalendarFeed,
  revokeCalendarFeed,
} from '../../service/calendar-feeds.js';
import { CALENDAR_FEED_KINDS } from '../../service/ports.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { NoQuery, oneOf } from '../schemas.js';

const strict = { additionalProperties: false } as const;

const FeedBody = Type.Object(
  {
    kind: oneOf(CALENDAR_FEED_KINDS, { description: "`schedule`: one schedule's shifts; `person`: one person's shifts across every schedule" }),
    target: Type.String({
      minLength: 1,
      maxLength: Math.max(SERVICE_NAME_MAX, LIMITS.person),
      description: 'The catalog schedule (`name` or `namespace/name`), or the person',
    }),
  },
  strict,
);
const FeedParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);
const FileParams = Type.Object({ file: Type.String({ maxLength: 200, description: 'The secret of the feed, then `.ics`' }) }, strict);

/**
 * Calendar feeds of on-call shifts: responders manage them; the feed itself is public, its URL's
 * secret being the credential, so calendar apps can subscribe without signing in.
 */
export const calendarFeedRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const responder = auth.requireRole('responder');
    const tags = ['calendar-feeds'];

    app.post(
      '/api/v1/calendar-feeds',
      { schema: { tags, summary: 'Create a calendar feed of a schedule or a person; its URL is shown this once', querystring: NoQuery, body: FeedBody }, onRequest: responder },
      async (req, reply) => {
        // The URL is the feed's credential: never built from a Host header a proxy might pass on.
        const base = deps.config.publicUrl ?? '';
        return reply.code(201).send(await createCalendarFeed(deps, callerOf(req), req.body, base));
      },
    );

    app.get(
      '/api/v1/calendar-feeds',
      { schema: { tags, summary: 'Every calendar feed, revoked ones too, newest first (never their URLs)', querystring: NoQuery }, onRequest: responder },
      async (req) => listCalendarFeeds(deps, callerOf(req)),
    );

    app.delete(
      '/api/v1/calendar-feeds/:id',
      { schema: { tags, summary: 'Revoke a calendar feed: its URL answers 404 from now on', params: FeedParams, querystring: NoQuery }, onRequest: responder },
      async (req, reply) => {
        await revokeCalendarFeed(deps, callerOf(req), req.params.id);
        return reply.code(204).send();
      },
    );

    // Never logged: the request line Firebreak logs names the route pattern, not the path.
    app.get(
      '/calendar/:file',
      {
        schema: {
          tags,
          summary: `A feed's shifts as iCalendar, from ${FEED_PAST_DAYS} days back to ${FEED_AHEAD_DAYS} days ahead; no sign-in, the secret is the credential`,
          security: [],
          params: FileParams,
          querystring: NoQuery,
        },
      },
      async (req, reply) => {
        const { file } = req.params;
        const secret = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : '';
        const feed = await renderCalendarFeed(deps, secret);
        reply.header('cache-control', `private, max-age=${FEED_MAX_AGE_SECONDS}`);
        reply.header('etag', feed.etag);
        reply.header('x-robots-tag', 'noindex');
        if (req.headers['if-none-match'] === feed.etag) return reply.code(304).send();
        return reply.type('text/calendar; charset=utf-8').send(feed.body);
      },
    );
  };
