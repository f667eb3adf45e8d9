import type { ImpactFacts, Severity } from './types.js';
import { IMPACT_FACTS } from './types.js';
import { validationError } from '../errors.js';

export interface TriageResult {
  severity: Severity;
  reasons: string[];
}

/** severity from current user impact only, never from the suspected cause. */
export const SEVERITY_TABLE: Record<Severity, { impact: string; responseTarget: string; example: string }> = {
  SEV1: {
    impact: 'Service down, data loss, security breach',
    responseTarget: 'immediate, all hands',
    example: 'database corruption, complete outage',
  },
  SEV2: {
    impact: 'Major feature broken, significant user impact',
    responseTarget: '< 30 min',
    example: 'payment processing failing',
  },
  SEV3: {
    impact: 'Minor feature broken, workaround exists',
    responseTarget: '< 4 hours',
    example: 'search results incorrect',
  },
  SEV4: { impact: 'Cosmetic, no user impact', responseTarget: 'next business day', example: 'UI misalignment' },
};

const FACT_REASONS: Record<keyof ImpactFacts, string> = {
  serviceDown: 'the service is down for users',
  dataLoss: 'user data has been lost or corrupted',
  securityBreach: 'there is a security breach',
  majorFeatureBroken: 'a major feature is broken',
  significantUserImpact: 'a significant share of users is affected',
  workaroundExists: 'a workaround exists',
  cosmetic: 'the problem is cosmetic',
};

/** Suggests a severity from impact facts and says why; refuses when no fact was given at all. */
export function triage(facts: ImpactFacts): TriageResult {
  const given = IMPACT_FACTS.filter((k) => facts[k] !== undefined);
  if (given.length === 0) {
    throw validationError(
      [{ path: 'body', message: `give at least one impact fact: ${IMPACT_FACTS.join(', ')}` }],
      'No impact facts were given.',
    );
  }
  const yes = (k: keyof ImpactFacts) => facts[k] === true;
  const because = (keys: (keyof ImpactFacts)[]) => keys.filter(yes).map((k) => FACT_REASONS[k]);

  const sev1 = because(['serviceDown', 'dataLoss', 'securityBreach']);
  if (sev1.length > 0) return { severity: 'SEV1', reasons: [...sev1, `SEV1: ${SEVERITY_TABLE.SEV1.impact}`] };

  const sev2 = because(['majorFeatureBroken', 'significantUserImpact']);
  if (sev2.length > 0) {
    const note = yes('workaroundExists') ? ['a workaround exists, but the impact on users is major'] : [];
    return { severity: 'SEV2', reasons: [...sev2, ...note, `SEV2: ${SEVERITY_TABLE.SEV2.impact}`] };
  }
  if (yes('workaroundExists')) {
    return {
      severity: 'SEV3',
      reasons: ['a minor feature is affected', FACT_REASONS.workaroundExists, `SEV3: ${SEVERITY_TABLE.SEV3.impact}`],
    };
  }
  if (yes('cosmetic')) {
    return { severity: 'SEV4', reasons: [FACT_REASONS.cosmetic, `SEV4: ${SEVERITY_TABLE.SEV4.impact}`] };
  }
  return { severity: 'SEV4', reasons: ['no user impact was reported', `SEV4: ${SEVERITY_TABLE.SEV4.impact}`] };
}
