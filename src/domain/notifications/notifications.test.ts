import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../incident/decide.js';
import type { IncidentEvent } from '../incident/events.js';
import { apply, initialIncident, type Incident } from '../incident/state.js';
import { declare, T0 } from '../incident/test-kit.js';
import { escapeMd, escapeSlack, formatEmail, formatNtfy, formatSlack, notificationsFor, type Notification } from './index.js';

const run = (state: Incident, events: readonly IncidentEvent[]) => ({ before: state, events, after: events.reduce(apply, state) });
const declared = () => {
  const cmd = { ...declare({ severity: 'SEV2', severityReason: 'half the users', commander: 'ana' }), actor: 'ana' } as Parameters<typeof decide>[0];
  return run(initialIncident(7), decide(cmd, initialIncident(7), T0));
};

describe('notificationsFor', () => {
  it('makes one message of a declaration, with the severity and commander it was declared with', () => {
    const { before, events, after } = declared();
    assert.ok(events.length > 1);
    const list = notificationsFor(before, events, after);
    assert.equal(list.length, 1);
    assert.deepEqual(
      [list[0]!.kind, list[0]!.seq, list[0]!.incident.id, list[0]!.fields],
      ['declared', 1, 'INC-7', [{ label: 'Severity', value: 'SEV2' }, { label: 'Services', value: 'none' }, { label: 'Commander', value: 'ana' }]],
    );
  });

  it('keeps severity, role, status, external updates and fired timers; skips notes and internal updates', () => {
    const d = declared();
    const at = '2026-11-27T10:05:00.000Z';
    const events = [
      { type: 'SeverityChanged', at, actor: 'ana', data: { from: 'SEV2', to: 'SEV1', reason: 'all users' } },
      { type: 'NoteAdded', at, actor: 'ana', data: { body: 'looking' } },
      { type: 'RoleAssigned', at, actor: 'ana', data: { role: 'comms', person: 'li' } },
      { type: 'UpdatePosted', at, actor: 'li', data: { audience: 'internal', body: 'internal' } },
      { type: 'UpdatePosted', at, actor: 'li', data: { audience: 'external', body: 'We are on it.' } },
      { type: 'StatusChanged', at, actor: 'ana', data: { from: 'investigating', to: 'mitigated' } },
      { type: 'TimerFired', at, actor: 'firebreak', data: { kind: 'ack', timerId: 'tm1', dueAt: at, message: 'Nobody acknowledged INC-7', levers: [{ service: 'checkout', name: 'rollback', kind: 'rollback', failClosed: true, type: 'webhook' }] } },
    ] as unknown as IncidentEvent[];
    const list = notificationsFor(d.after, events, events.reduce(apply, d.after));
    assert.deepEqual(
      list.map((n) => [n.kind, n.seq, n.summary]),
      [
        ['severity_changed', d.after.version + 1, 'Severity changed SEV2 → SEV1'],
        ['role_assigned', d.after.version + 3, 'Comms lead: li'],
        ['external_update', d.after.version + 5, 'External update by li'],
        ['status_changed', d.after.version + 6, 'Status investigating → mitigated'],
        ['timer_fired', d.after.version + 7, 'Nobody acknowledged INC-7'],
      ],
    );
    assert.deepEqual(list.at(-1)!.fields.at(-1), { label: 'Levers', value: 'rollback (checkout)' });
  });
});

const hostile: Notification = {
  kind: 'external_update',
  event: 'UpdatePosted',
  seq: 3,
  at: T0,
  actor: 'mallory',
  incident: { id: 'INC-7', number: 7, title: '<!channel> & *all*', severity: 'SEV1', status: 'investigating', services: [], commander: null },
  summary: 'Update <@U123>',
  detail: '<script>alert(1)</script>\nline two',
  fields: [{ label: 'Reason', value: '[click](javascript:x)' }],
};

describe('formatters escape untrusted text for their format', () => {
  it('Slack mrkdwn: &, < and >', () => {
    assert.equal(escapeSlack('<!here> & <@U1>'), '&lt;!here&gt; &amp; &lt;@U1&gt;');
    const s = formatSlack(hostile, { publicUrl: null });
    assert.ok(!JSON.stringify(s).includes('<!channel>') && !JSON.stringify(s).includes('<@U123>'));
    assert.ok(s.text.startsWith('[SEV1] INC-7 &lt;!channel&gt; &amp; *all*: Update &lt;@U123&gt;'), s.text);
  });
  it('Markdown: punctuation escaped, no raw HTML', () => {
    assert.equal(escapeMd('[click](javascript:x) <b>'), '\\[click\\]\\(javascript:x\\) &lt;b&gt;');
  });
  it('HTML mail: entities; the text part stays plain', () => {
    const m = formatEmail(hostile, { publicUrl: 'https://fb.example' });
    assert.ok(m.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;<br>line two'), m.html);
    assert.ok(!m.html.includes('<script>'));
    assert.ok(m.text.includes('<script>alert(1)</script>') && m.text.endsWith('https://fb.example/incidents/INC-7'));
  });
  it('ntfy: headers on one line, non-ASCII as an RFC 2047 word, priority by severity', () => {
    const n = formatNtfy({ ...hostile, incident: { ...hostile.incident, title: 'Zahlung schlägt fehl\r\nX-Evil: 1', severity: 'SEV4' } }, { publicUrl: null });
    assert.equal(n.headers.Priority, '2');
    assert.match(n.headers.Title!, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    assert.equal(Buffer.from(n.headers.Title!.slice(10, -2), 'base64').toString('utf8'), '[SEV4] INC-7 Zahlung schlägt fehl X-Evil: 1');
    assert.equal(n.headers.Click, undefined);
  });
});
