import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEVERITY_TABLE, triage } from './triage.js';
import { IMPACT_FACTS, type ImpactFacts, type Severity } from './types.js';
import { FirebreakError } from '../errors.js';

const LINE = {
  SEV1: 'SEV1: Service down, data loss, security breach',
  SEV2: 'SEV2: Major feature broken, significant user impact',
  SEV3: 'SEV3: Minor feature broken, workaround exists',
  SEV4: 'SEV4: Cosmetic, no user impact',
};
const ALL_FALSE = Object.fromEntries(IMPACT_FACTS.map((k) => [k, false])) as ImpactFacts;

describe('the severity table', () => {
  it('matches the documented severity table word for word', () => {
    assert.deepEqual(SEVERITY_TABLE, {
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
    });
  });
});

describe('triage', () => {
  const alone: [keyof ImpactFacts, Severity, string[]][] = [
    ['serviceDown', 'SEV1', ['the service is down for users', LINE.SEV1]],
    ['dataLoss', 'SEV1', ['user data has been lost or corrupted', LINE.SEV1]],
    ['securityBreach', 'SEV1', ['there is a security breach', LINE.SEV1]],
    ['majorFeatureBroken', 'SEV2', ['a major feature is broken', LINE.SEV2]],
    ['significantUserImpact', 'SEV2', ['a significant share of users is affected', LINE.SEV2]],
    ['workaroundExists', 'SEV3', ['a minor feature is affected', 'a workaround exists', LINE.SEV3]],
    ['cosmetic', 'SEV4', ['the problem is cosmetic', LINE.SEV4]],
  ];
  for (const [fact, severity, reasons] of alone) {
    it(`${fact} alone → ${severity}`, () => {
      assert.deepEqual(triage({ [fact]: true }), { severity, reasons });
    });
    it(`${fact} alone, the others false → ${severity}`, () => {
      assert.equal(triage({ ...ALL_FALSE, [fact]: true }).severity, severity);
    });
  }

  it('SEV1 beats SEV2, naming every SEV1 fact', () => {
    assert.deepEqual(triage({ majorFeatureBroken: true, serviceDown: true, securityBreach: true }), {
      severity: 'SEV1',
      reasons: ['the service is down for users', 'there is a security breach', LINE.SEV1],
    });
  });

  it('SEV1 beats a workaround and a cosmetic flag', () => {
    assert.equal(triage({ dataLoss: true, workaroundExists: true, cosmetic: true }).severity, 'SEV1');
  });

  it('a workaround does not lower a major impact: it stays SEV2 and says so', () => {
    assert.deepEqual(triage({ majorFeatureBroken: true, significantUserImpact: true, workaroundExists: true }), {
      severity: 'SEV2',
      reasons: [
        'a major feature is broken',
        'a significant share of users is affected',
        'a workaround exists, but the impact on users is major',
        LINE.SEV2,
      ],
    });
  });

  it('SEV2 beats cosmetic', () => {
    assert.equal(triage({ cosmetic: true, significantUserImpact: true }).severity, 'SEV2');
  });

  it('cosmetic alone is SEV4', () => {
    assert.equal(triage({ cosmetic: true, serviceDown: false }).severity, 'SEV4');
  });

  it('every fact false is SEV4 "no user impact"', () => {
    assert.deepEqual(triage(ALL_FALSE), { severity: 'SEV4', reasons: ['no user impact was reported', LINE.SEV4] });
    assert.deepEqual(triage({ serviceDown: false }), {
      severity: 'SEV4',
      reasons: ['no user impact was reported', LINE.SEV4],
    });
  });

  it('refuses no facts at all with a validation error', () => {
    for (const facts of [{}, { serviceDown: undefined }] as ImpactFacts[]) {
      assert.throws(
        () => triage(facts),
        (err: unknown) =>
          err instanceof FirebreakError && err.code === 'validation' && err.details?.errors?.[0]?.path === 'body',
      );
      assert.throws(() => triage(facts), {
        message: 'No impact facts were given.',
        details: {
          errors: [
            {
              path: 'body',
              message:
                'give at least one impact fact: serviceDown, dataLoss, securityBreach, majorFeatureBroken, ' +
                'significantUserImpact, workaroundExists, cosmetic',
            },
          ],
        },
      });
    }
  });

  it('weighs impact only: a scary suspected cause changes nothing', () => {
    const scary = {
      cosmetic: true,
      suspectedCause: 'database corruption',
      rootCause: 'security breach',
    } as ImpactFacts;
    assert.deepEqual(triage(scary), triage({ cosmetic: true }));
  });

  it('gives reasons that speak of user impact, never of causes', () => {
    const impactWords = /user|service|data|security|feature|workaround|cosmetic|impact|SEV[1-4]/i;
    const causeWords = /deploy|config|database|bug|cause|commit|release|code/i;
    for (let mask = 1; mask < 1 << IMPACT_FACTS.length; mask++) {
      const facts = Object.fromEntries(IMPACT_FACTS.map((k, i) => [k, (mask & (1 << i)) !== 0])) as ImpactFacts;
      for (const reason of triage(facts).reasons) {
        assert.match(reason, impactWords, reason);
        assert.doesNotMatch(reason, causeWords, reason);
      }
    }
  });

  it('always ends its reasons with the table row of the severity it chose', () => {
    for (let mask = 0; mask < 1 << IMPACT_FACTS.length; mask++) {
      const facts = Object.fromEntries(IMPACT_FACTS.map((k, i) => [k, (mask & (1 << i)) !== 0])) as ImpactFacts;
      const { severity, reasons } = triage(facts);
      assert.equal(reasons.at(-1), LINE[severity]);
    }
  });
});
