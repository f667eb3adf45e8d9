import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blamefulLanguage } from './blameless.js';

const phrases = (text: string, people: string[] = []) =>
  blamefulLanguage({ rootCause: text }, people).map((w) => w.phrase.toLowerCase());

describe('blamefulLanguage', () => {
  it('detects blameful phrases case-insensitively', () => {
    const cases: [string, string][] = [
      ['Root cause: Human Error during the deploy', 'human error'],
      ["It was Bob's fault", "bob's fault"],
      ['The outage was the fault of the on-call engineer', 'fault of'],
      ['They should have known the flag was on', 'should have known'],
      ["Ops should've checked the config", "should've checked"],
      ['A careless config edit', 'careless'],
      ['Negligent review of the diff', 'negligent'],
      ['We blame the release manager', 'blame'],
      ['The reviewer was blamed', 'blamed'],
      ['The on-call failed to notice the alert', 'failed to notice'],
      ["The reviewer didn't bother to read the runbook", "didn't bother"],
      ['An incompetent rollout', 'incompetent'],
      ['Someone was not paying attention', 'not paying attention'],
    ];
    for (const [text, phrase] of cases)
      assert.ok(phrases(text).includes(phrase), `${text} → ${phrase}: ${phrases(text).join(', ')}`);
  });

  it('does not flag blameless wording or look-alike words', () => {
    for (const text of [
      'We ran a blameless review',
      'A blame-free culture helped us learn',
      'No blame: the pipeline allowed an unreviewed config change',
      'The default fault domain was a single AZ',
      'Alerting failed to fire because the rule was disabled',
      'The system should have retried but the client had no backoff',
      'Error budget burned by the human-readable parser',
      'The user error rate rose to 5%',
    ]) {
      assert.deepEqual(phrases(text), [], text);
    }
  });

  it('flags a person named as a cause in the root cause and the whys only', () => {
    const people = ['ana', 'li', 'Sam Park'];
    const warnings = blamefulLanguage(
      {
        summary: 'ana led the response well',
        rootCause: 'Sam Park pushed the config',
        whys: ['Checkout failed', "li's change flipped the default"],
        wentWell: ['li rolled back within minutes'],
      },
      people,
    );
    assert.deepEqual(
      warnings.map((w) => [w.field, w.phrase]),
      [
        ['whys[1]', 'li'],
        ['rootCause', 'Sam Park'],
      ],
    );
    assert.match(warnings[0]?.suggestion ?? '', /process or tooling gap/);
  });

  it('matches names on word boundaries only', () => {
    assert.deepEqual(phrases('The linter and the client library were outdated', ['li']), []);
    assert.deepEqual(phrases('Ana’s deploy went out first', ['ana']), ['ana']);
  });

  it('gives the field, an excerpt and a system-focused suggestion', () => {
    const long = `${'The deploy pipeline ran the migration. '.repeat(3)}It was human error. ${'Later steps ran fine. '.repeat(3)}`;
    const [w] = blamefulLanguage({ contributingFactors: ['fine', long] }, []);
    assert.ok(w);
    assert.equal(w.field, 'contributingFactors[1]');
    assert.equal(w.phrase, 'human error');
    assert.ok(w.excerpt.startsWith('…') && w.excerpt.endsWith('…'));
    assert.ok(w.excerpt.includes('It was human error.'));
    assert.match(w.suggestion, /What made this action possible or likely\? Describe the process or tooling gap\./);
  });

  it('finds nothing in an empty or neutral postmortem', () => {
    assert.deepEqual(blamefulLanguage({}, ['ana']), []);
    assert.deepEqual(
      blamefulLanguage(
        {
          summary: 'A config default shipped without review.',
          whys: ['The review step did not cover config files'],
          rootCause: 'Config changes bypass review',
        },
        ['ana', 'li'],
      ),
      [],
    );
  });
});
