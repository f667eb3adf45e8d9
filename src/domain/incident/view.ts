import type { Unmet } from '../errors.js';
import { nextStatus, unmetGates } from './gates.js';
import type { Incident } from './state.js';
import type { Status } from './types.js';
import { type BlameWarning, unwaivedWarnings } from '../postmortem/blameless.js';

export interface Warning {
  code: string;
  message: string;
}

/** What the API answers for one incident: the state plus what blocks the next step. */
export interface IncidentView extends Incident {
  nextGate: { to: Status; unmet: Unmet[] } | null;
  warnings: Warning[];
  /** The blameless check of the postmortem as it stands (waived ones left out): every save answers it. */
  postmortemWarnings: BlameWarning[];
}

/** Anti-pattern checks that warn without blocking. */
export function incidentWarnings(s: Incident): Warning[] {
  const warnings: Warning[] = [];
  const { commander, responders } = s.roles;
  const high = s.severity === 'SEV1' || s.severity === 'SEV2';
  const soleResponder = responders.length === 0 || (responders.length === 1 && responders[0] === commander);
  if (high && commander !== null && soleResponder && s.status !== 'closed' && s.status !== 'cancelled') {
    warnings.push({
      code: 'commander_is_sole_responder',
      message: `${commander} is commander and the only responder on a ${s.severity}: the commander coordinates, someone else debugs.`,
    });
  }
  return warnings;
}

export function incidentView(s: Incident): IncidentView {
  const to = nextStatus(s);
  return {
    ...s,
    // A projection stored before suggestions were recorded has no such field.
    suggestedCommander: s.suggestedCommander ?? null,
    nextGate: to ? { to, unmet: unmetGates(s, to) } : null,
    warnings: incidentWarnings(s),
    postmortemWarnings: unwaivedWarnings(s),
  };
}
