import type { FastifyReply } from 'fastify';
import { notFound } from '../domain/errors.js';
import type { Incident } from '../domain/incident/state.js';
import { formatIncidentId, parseIncidentId } from '../domain/incident/types.js';
import { incidentView, type IncidentView } from '../domain/incident/view.js';
import type { IncidentSummary } from '../service/ports.js';

/** The incident number an `{id}` path segment names; not_found for anything that is not `INC-<n>` or `<n>`. */
export function incidentNumber(id: string): number {
  const n = parseIncidentId(id);
  if (n === undefined) throw notFound(`Incident ${id} does not exist.`);
  return n;
}

/** The version an If-Match header carries (`12`, `"12"` or `W/"12"`); the schema has checked its shape. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  return Number(header.replace(/^W\//, '').replaceAll('"', ''));
}

/** Answers an incident with its version as the ETag, marking answers replayed from an Idempotency-Key. */
export function sendIncident(
  reply: FastifyReply,
  result: { incident: Incident; version: number; replayed?: boolean },
  status = 200,
): IncidentView {
  reply.code(status).header('etag', `"${result.version}"`);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return incidentView(result.incident);
}

/** One row of the incident list, with the `INC-<n>` id next to the number. */
export const presentSummary = (s: IncidentSummary) => ({ id: formatIncidentId(s.number), ...s });
