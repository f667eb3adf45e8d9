import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blamefulLanguage, type BlamelessText } from './blameless.js';

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

  describe('phrase classes', () => {
    const SUGGESTS = {
      humanError: /"Human error" ends the inquiry too early/,
      fault: /instead of whose fault it was/,
      hindsight: /Hindsight makes it look obvious/,
      character: /Judging a person's character explains nothing/,
      blame: /Replace blame with the contributing conditions/,
      failedTo: /Ask why noticing was hard/,
    };
    const only = (text: string, people: string[] = []) => {
      const ws = blamefulLanguage({ rootCause: text }, people);
      assert.equal(ws.length, 1, `${text}: ${JSON.stringify(ws.map((w) => w.phrase))}`);
      return ws[0]!;
    };
    const check = (cases: [string, string][], suggestion: RegExp) => {
      for (const [text, phrase] of cases) {
        const w = only(text);
        assert.equal(w.phrase, phrase, text);
        assert.match(w.suggestion, suggestion, text);
      }
    };

    it('"human error", "operator error", "user error" and their forms', () => {
      check(
        [
          ['It was human error.', 'human error'],
          ['Several Human Errors compounded', 'Human Errors'],
          ['Classic operator error during failover', 'operator error'],
          ['This was a user error, not a bug', 'user error'],
          ['A human mistake in the runbook step', 'human mistake'],
          ['We filed it as a human-error incident', 'human-error'],
          ['Manual errors in the migration', 'Manual errors'],
          ['Developer error in the config', 'Developer error'],
          ['Mistakes made by the operator', 'Mistakes made by the operator'],
          ['an error by the on-call', 'error by the on-call'],
        ],
        SUGGESTS.humanError,
      );
    });

    it('"X\'s fault", "fault of X", "at fault", "to blame", "blame on"', () => {
      check(
        [
          ["It was the reviewer's fault", "reviewer's fault"],
          ['It was the engineers’ fault', 'engineers’ fault'],
          ['Not our fault: the vendor changed the API', 'our fault'],
          ['The fault of the release manager', 'fault of'],
          ['The deployer was at fault', 'at fault'],
          ['The fault lies with the reviewer', 'fault lies with'],
          ['The on-call is to blame', 'to blame'],
          ['Who was to blame was clear', 'to blame'],
          ['They put the blame on the release team', 'blame on'],
          ['The review team laid the blame with ops', 'blame with'],
        ],
        SUGGESTS.fault,
      );
      check([['The team blamed the vendor', 'blamed']], SUGGESTS.blame);
    });

    it('character judgements', () => {
      check(
        [
          ['A careless edit', 'careless'],
          ['Edited carelessly', 'carelessly'],
          ['Negligent handling of the keys', 'Negligent'],
          ['It was negligence', 'negligence'],
          ['An incompetent rollout', 'incompetent'],
          ['A reckless force-push', 'reckless'],
          ['Recklessly skipped the canary', 'Recklessly'],
          ['Sloppy review of the diff', 'Sloppy'],
          ['A lazy review', 'lazy'],
          ['Laziness about tests', 'Laziness'],
        ],
        SUGGESTS.character,
      );
    });

    it('"should have known/noticed/caught/…" and "should\'ve"', () => {
      check(
        [
          ['The on-call should have noticed the spike', 'should have noticed'],
          ['They should have caught it in review', 'should have caught'],
          ['Ops should’ve known better', 'should’ve known better'],
          ["We should've escalated sooner", "should've escalated"],
          ['The author ought to have tested it', 'ought to have tested'],
          ['Someone should have been more careful', 'should have been more careful'],
          ['The reviewer SHOULD HAVE READ the diff', 'SHOULD HAVE READ'],
        ],
        SUGGESTS.hindsight,
      );
    });

    it('"failed to" with a human verb', () => {
      check(
        [
          ['The on-call failed to notice the alert', 'failed to notice'],
          ['The reviewer failed to check the diff', 'failed to check'],
          ['We failed to follow the runbook', 'failed to follow'],
          ['The operator failed to verify the backup', 'failed to verify'],
          ['The author failed to test the migration', 'failed to test'],
          ['The commander failed to escalate', 'failed to escalate'],
          ['Responders failed to communicate the change', 'failed to communicate'],
          ['The engineer failed to read the runbook', 'failed to read'],
          ['The approver failed to catch the typo', 'failed to catch'],
          ['Ops neglected to double-check the flag', 'neglected to double-check'],
        ],
        SUGGESTS.failedTo,
      );
    });

    it('a person named as the subject of a cause in the causal fields', () => {
      const people = ['ana', 'li', 'Sam Park', 'jo'];
      const named = (text: string) =>
        blamefulLanguage({ rootCause: text }, people)
          .filter((w) => /role, process or tool/.test(w.suggestion))
          .map((w) => w.phrase);
      const cases: [string, string[]][] = [
        ['ana forgot to renew the certificate', ['ana']],
        ['Li broke the build', ['Li']],
        ['ana deployed without a canary', ['ana']],
        ['Sam Park pushed the config', ['Sam Park']],
        ['ana missed the alert', ['ana']],
        ['li ignored the warning', ['li']],
        ['ana accidentally deleted the table', ['ana']],
        ['li had merged the PR before review', ['li']],
        ['Sam Park, the on-call, disabled the check', ['Sam Park']],
        ['ana failed to notice the page', ['ana']],
        ['The outage happened because ana changed the flag', ['ana']],
        ['It was caused by li', ['li']],
        ['Because of jo the job ran twice', ['jo']],
        ["li's change flipped the default", ['li']],
        ['ana’s mistake', ['ana']],
        ["li's untested config reached prod", ['li']],
        ['Sam\nPark pushed it', ['Sam\nPark']],
        ['ana was responsible for the outage', ['ana']],
      ];
      for (const [text, want] of cases) assert.deepEqual(named(text), want, text);
      for (const field of ['whys', 'contributingFactors'] as const) {
        const ws = blamefulLanguage({ [field]: ['ok', 'li pushed the config'] } as BlamelessText, people);
        assert.deepEqual(
          ws.map((w) => [w.field, w.phrase]),
          [[`${field}[1]`, 'li']],
        );
      }
      for (const field of ['summary', 'impact', 'wentWell', 'wentPoorly', 'lessons'] as const) {
        const text = 'li pushed the config';
        const pm = (field === 'summary' || field === 'impact' ? { [field]: text } : { [field]: [text] }) as BlamelessText;
        assert.deepEqual(blamefulLanguage(pm, people), [], field);
      }
    });

    it('a person named as an object or in the response is not a cause', () => {
      const people = ['ana', 'li', 'Sam Park', 'will', 'max'];
      for (const text of [
        'The alert paged ana at 10:05',
        'ana rolled back the deploy',
        'li pushed the fix within minutes',
        'Sam Park deployed the rollback',
        'We asked li to review the dashboards',
        'ana noticed the spike and li restarted the workers',
        'The pool will exhaust under max connections',
        'The migration was reviewed with ana',
        'anacron and the linter ran as usual',
        'The ana-gateway pushed stale routes',
      ]) {
        assert.deepEqual(
          blamefulLanguage({ rootCause: text, whys: [text] }, people).map((w) => w.phrase),
          [],
          text,
        );
      }
    });
  });

  it('finds no blame in ordinary technical text', () => {
    const people = ['ana', 'li'];
    for (const text of [
      'The human-readable error did not name the field',
      'The request failed to parse',
      'The job failed to start after the upgrade',
      'The worker failed to connect to the database',
      'The health check failed to respond within 2 s',
      'The TLS client failed to verify the certificate',
      'The service failed to read its config file',
      'checkout-api failed to check the lock',
      'The canary should have caught the regression',
      'A fault-tolerant design',
      'We ran fault injection on the payment path',
      "The load balancer's fault tolerance hid the problem",
      'The default timeout was 2 s',
      'We wrote a blameless postmortem',
      'No blame: the pipeline allowed it',
      'No one is to blame; the lock was missing',
      'The team is not to blame',
      'A careful rollout across three regions',
      'The error budget was spent by noon',
      'The user-facing error page showed a stack trace',
      'Error handling swallowed the timeout',
      'User error handling returned 500',
      'The operator error log filled up',
      'Lazy loading of the pricing module',
      'The module is lazily loaded',
      'The lazy-loader service and the sloppy_cache job',
      'The `careless` flag in `reckless.yaml`',
      'Legacy code ran in sloppy mode',
      'Negligible latency impact',
    ]) {
      assert.deepEqual(
        blamefulLanguage({ summary: text, rootCause: text, whys: [text], lessons: [text] }, people).map((w) => w.phrase),
        [],
        text,
      );
    }
  });

  describe('positions', () => {
    it('gives each warning start and end in its own field, end exclusive', () => {
      const pm = { summary: 'ok', whys: ['fine', 'Then human error struck'], lessons: ['Sloppy'] };
      const ws = blamefulLanguage(pm, []);
      assert.deepEqual(
        ws.map(({ field, start, end, phrase }) => ({ field, start, end, phrase })),
        [
          { field: 'whys[1]', start: 5, end: 16, phrase: 'human error' },
          { field: 'lessons[0]', start: 0, end: 6, phrase: 'Sloppy' },
        ],
      );
    });

    it('reports each repeat of a phrase with its own position', () => {
      const text = 'human error, then more human error, then Human Error again';
      const ws = blamefulLanguage({ rootCause: text }, []);
      assert.deepEqual(
        ws.map((w) => [w.start, w.end]),
        [
          [0, 11],
          [23, 34],
          [41, 52],
        ],
      );
      for (const w of ws) assert.equal(text.slice(w.start, w.end), w.phrase);
    });

    it('counts UTF-16 units, and matches across line breaks and curly apostrophes', () => {
      const text = '🔥 Outage 🔥 — it was\nhuman\r\nerror and the reviewer’s fault';
      const ws = blamefulLanguage({ rootCause: text }, []);
      assert.deepEqual(
        ws.map((w) => w.phrase),
        ['human\r\nerror', 'reviewer’s fault'],
      );
      for (const w of ws) assert.equal(text.slice(w.start, w.end), w.phrase);
      assert.equal(ws[0]?.start, text.indexOf('human'));
      assert.ok(ws[0]?.excerpt.includes('human error'), 'the excerpt collapses the line break');
    });

    it('keeps the longer of two overlapping phrases', () => {
      const ws = blamefulLanguage({ rootCause: 'The reviewer is to blame' }, []);
      assert.deepEqual(
        ws.map((w) => [w.phrase, w.start, w.end]),
        [['to blame', 16, 24]],
      );
    });

    it('positions a name and a phrase in the same sentence separately', () => {
      const text = 'Then ana failed to notice it';
      const ws = blamefulLanguage({ rootCause: text }, ['ana']);
      assert.deepEqual(
        ws.map((w) => [w.phrase, w.start, w.end]),
        [
          ['failed to notice', 9, 25],
          ['ana', 5, 8],
        ],
      );
    });
  });

  it('checks 100 KB of text with many names', () => {
    const people = Array.from({ length: 200 }, (_, i) => `person${i}`);
    const para = (i: number) =>
      `The queue worker ${i} failed to connect; person${i % 200} paged person${(i + 1) % 200} and rolled back. ` +
      `Because person${(i + 7) % 200} pushed the config, the user error rate rose. Then human error. `;
    let text = '';
    let n = 0;
    while (text.length < 100_000) text += para(n++);
    const ws = blamefulLanguage({ rootCause: text, contributingFactors: [text] }, people);
    const byField = (f: string) => ws.filter((w) => w.field === f);
    for (const f of ['rootCause', 'contributingFactors[0]']) {
      const mine = byField(f);
      assert.equal(mine.filter((w) => w.phrase === 'human error').length, n, f);
      assert.equal(mine.filter((w) => w.phrase.startsWith('person')).length, n, f);
      assert.equal(mine.length, 2 * n, f);
      for (const w of mine) assert.equal(text.slice(w.start, w.end), w.phrase);
    }
  });
});
