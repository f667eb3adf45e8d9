import type { IncidentEvent } from '../incident/events.js';
import type { Incident } from '../incident/state.js';
import type { Notification, NotificationKind, NotifiedIncident } from './types.js';

/** TimerFired as the timers write it; read loosely so this module does not depend on their event's type. */
interface TimerFiredData {
  kind?: string;
  timerId?: string;
  dueAt?: string;
  message?: string;
  /** The catalog's levers, fail-closed first: `{service, name, kind, failClosed, type}` (plain names accepted too). */
  levers?: (string | { name: string; service?: string })[];
}

const ROLE_NAMES: Record<string, string> = { commander: 'Incident commander', responder: 'Responder', comms: 'Comms lead', scribe: 'Scribe' };

function snapshot(state: Incident): NotifiedIncident {
  return {
    id: state.id,
    number: state.number,
    title: state.title,
    severity: state.severity,
    status: state.status,
    services: [...state.services],
    commander: state.roles.commander,
  };
}

/**
 * The messages a batch of events is worth: a declaration (one message, with the severity and
 * commander it was declared with, or the commander the catalog suggests), a severity change, a role taken, a status change, an external
 * update, and a timer that fired. `before` is the state the events were applied to, `state` the state
 * after them; the nth event has seq `before.version + n + 1`.
 */
export function notificationsFor(before: Incident, events: readonly IncidentEvent[], state: Incident): Notification[] {
  const incident = snapshot(state);
  const declared = events.some((e) => e.type === 'IncidentDeclared');
  const out: Notification[] = [];
  events.forEach((e, i) => {
    const seq = before.version + i + 1;
    const make = (kind: NotificationKind, summary: string, detail: string | null = null, fields: Notification['fields'] = []) =>
      out.push({ kind, event: e.type, seq, at: e.at, actor: e.actor, incident, summary, detail, fields });
    const type: string = e.type;
    if (type === 'TimerFired') {
      const d = e.data as TimerFiredData;
      const names = d.levers?.map((l) => (typeof l === 'string' ? l : l.service ? `${l.name} (${l.service})` : l.name)) ?? [];
      const levers = names.length ? [{ label: 'Levers', value: names.join(', ') }] : [];
      make('timer_fired', d.message ?? `Timer ${d.kind ?? ''} fired`.replace(/ +/g, ' '), null, [
        ...(d.kind ? [{ label: 'Timer', value: d.kind }] : []),
        ...(d.dueAt ? [{ label: 'Due', value: d.dueAt }] : []),
        ...levers,
      ]);
      return;
    }
    switch (e.type) {
      case 'IncidentDeclared': {
        const suggested = events.find((x) => x.type === 'CommanderSuggested');
        make('declared', `Declared by ${e.actor}`, state.impact.statement || null, [
          { label: 'Severity', value: state.severity ?? 'not set' },
          { label: 'Services', value: e.data.services.join(', ') || 'none' },
          { label: 'Commander', value: state.roles.commander ?? 'none yet' },
          ...(suggested?.type === 'CommanderSuggested' && state.roles.commander === null
            ? [{ label: 'Suggested commander', value: `${suggested.data.person} (${suggested.data.reason})` }]
            : []),
        ]);
        return;
      }
      case 'SeverityChanged':
        if (declared && e.data.from === null) return;
        make(
          'severity_changed',
          e.data.from === null ? `Severity set to ${e.data.to}` : `Severity changed ${e.data.from} → ${e.data.to}`,
          null,
          [{ label: 'Reason', value: e.data.reason }],
        );
        return;
      case 'RoleAssigned':
        if (declared) return;
        make('role_assigned', `${ROLE_NAMES[e.data.role] ?? e.data.role}: ${e.data.person}`);
        return;
      case 'StatusChanged':
        make(
          'status_changed',
          `Status ${e.data.from} → ${e.data.to}`,
          null,
          e.data.reason ? [{ label: 'Reason', value: e.data.reason }] : [],
        );
        return;
      case 'UpdatePosted':
        if (e.data.audience !== 'external') return;
        make('external_update', `External update by ${e.actor}`, e.data.body);
        return;
      default:
        return;
    }
  });
  return out;
}
