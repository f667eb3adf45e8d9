import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCatalog } from './index.js';
import { fillTemplate, TEMPLATE_FIELDS, type TemplateValues, unknownPlaceholders } from './lever-template.js';
import { validationErrors as errorsOf } from './test-kit.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

const serviceWith = (action: unknown) => [
  { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'payments' }, spec: {} },
  {
    apiVersion: 'firebreak/v1',
    kind: 'Service',
    metadata: { name: 'checkout' },
    spec: { owner: 'payments', levers: [{ name: 'rollback', kind: 'rollback', failClosed: true, action }] },
  },
];

describe('webhook lever actions in the catalog', () => {
  it('keeps headers (names lower-cased), the body template, the secret and the timeout', () => {
    const catalog = validateCatalog(
      serviceWith({
        type: 'webhook',
        url: 'https://ci.example/rollback',
        method: 'PUT',
        headers: { Authorization: 'Bearer x', 'X-Team': 'payments' },
        body: { ref: '{{boundary.previousVersion}}', inputs: { incident: '{{ incident.id }}', n: 3, dry: false, none: null } },
        secret: SECRET,
        timeoutMs: 2500,
      }),
    );
    assert.deepEqual(catalog.services[0]?.levers[0]?.action, {
      type: 'webhook',
      url: 'https://ci.example/rollback',
      method: 'PUT',
      headers: { authorization: 'Bearer x', 'x-team': 'payments' },
      body: { ref: '{{boundary.previousVersion}}', inputs: { incident: '{{ incident.id }}', n: 3, dry: false, none: null } },
      secret: SECRET,
      timeoutMs: 2500,
    });
  });

  it('leaves the optional fields out when not given, as earlier catalogs stored them', () => {
    const catalog = validateCatalog(serviceWith({ type: 'webhook', url: 'https://ci.example/rollback' }));
    assert.deepEqual(catalog.services[0]?.levers[0]?.action, { type: 'webhook', url: 'https://ci.example/rollback', method: 'POST' });
  });

  it('refuses bad headers, a body that is not JSON or names unknown fields, a bad secret and an out-of-range timeout', () => {
    const at = 'services[0].spec.levers[0].action';
    const cases: [unknown, { path: string; message: string }[]][] = [
      [{ headers: { 'bad header': 'x', Host: 'evil', 'Webhook-Signature': 'v1,x', ok: 'a\r\nb' } }, [
        { path: `${at}.headers["bad header"]`, message: 'expected an HTTP header name' },
        { path: `${at}.headers.Host`, message: 'is set by Firebreak and cannot be given' },
        { path: `${at}.headers.Webhook-Signature`, message: 'is set by Firebreak and cannot be given' },
        { path: `${at}.headers.ok`, message: 'must be one line' },
      ]],
      [{ headers: ['x'] }, [{ path: `${at}.headers`, message: 'expected an object of header names to values' }]],
      [{ body: { when: new Date(0) } }, [{ path: `${at}.body`, message: 'expected a JSON value (object, array, string, number, boolean)' }]],
      [{ body: { x: '{{incident.secret}} and {{process.env}}' } }, [
        { path: `${at}.body`, message: `names unknown template fields (incident.secret, process.env): expected ${TEMPLATE_FIELDS.join(', ')}` },
      ]],
      [{ secret: 'hunter2' }, [{ path: `${at}.secret`, message: 'expected a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes' }]],
      [{ secret: `whsec_${Buffer.alloc(8).toString('base64')}` }, [{ path: `${at}.secret`, message: 'expected a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes' }]],
      [{ timeoutMs: 50 }, [{ path: `${at}.timeoutMs`, message: 'expected an integer from 100 to 30000' }]],
    ];
    for (const [extra, errors] of cases) {
      const docs = serviceWith({ type: 'webhook', url: 'https://ci.example/rollback', ...(extra as object) });
      assert.deepEqual(errorsOf(() => validateCatalog(docs)), errors, JSON.stringify(extra));
    }
  });
});

const VALUES = Object.fromEntries(TEMPLATE_FIELDS.map((f) => [f, null])) as Record<string, string | number | null>;

describe('fillTemplate', () => {
  const values = { ...VALUES, 'incident.id': 'INC-7', 'incident.number': 7, 'incident.title': 'Say "hi"\n\\o/', 'boundary.version': 'v42' } as TemplateValues;

  it('fills each {{field}} in string values, leaves keys and other values alone, and a missing value is empty', () => {
    const out = fillTemplate(
      { '{{incident.id}}': 'k', id: '{{incident.id}}', n: '#{{incident.number}}', list: ['{{boundary.version}}', 3, true, null], prev: '{{boundary.previousVersion}}' },
      values,
    );
    assert.deepEqual(out, { '{{incident.id}}': 'k', id: 'INC-7', n: '#7', list: ['v42', 3, true, null], prev: '' });
  });

  it('JSON-escapes values once the body is written out, and evaluates nothing', () => {
    const body = JSON.stringify(fillTemplate({ title: '{{incident.title}}', code: '${1+1} {{ constructor }}' }, values));
    assert.equal(body, '{"title":"Say \\"hi\\"\\n\\\\o/","code":"${1+1} {{ constructor }}"}');
    assert.deepEqual(JSON.parse(body), { title: 'Say "hi"\n\\o/', code: '${1+1} {{ constructor }}' });
  });

  it('lists the placeholders that are not template fields', () => {
    assert.deepEqual(unknownPlaceholders({ a: ['{{incident.id}} {{nope}}', { b: '{{ x.y }}{{nope}}' }] }), ['nope', 'x.y']);
  });
});
