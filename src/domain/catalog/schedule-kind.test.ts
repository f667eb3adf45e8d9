import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schedule } from '../paging/types.js';
import { SCHEDULE_CATALOG_YAML } from '../paging/catalog.fixture.js';
import { type Catalog, parseCatalogYaml, upgradeCatalog, validateCatalog } from './index.js';
import { validationErrors as errorsOf } from './test-kit.js';

const TEAM = `apiVersion: firebreak/v1
kind: Team
metadata:
  name: payments
spec:
  members: [{ name: ana }, { name: li }]
`;
const schedule = (spec: string, name = 'primary') => `---
apiVersion: firebreak/v1
kind: Schedule
metadata:
  name: ${name}
spec:
${spec.replace(/^/gm, '  ')}
`;
const GOOD_BODY = `timeZone: Europe/Berlin
layers:
  - name: weekly
    start: 2026-01-05T09:00
    unit: week
    every: 1
    members: [ana, li]`;
const read = (yaml: string) => validateCatalog(parseCatalogYaml(yaml));

describe('catalog kind Schedule (firebreak/v1)', () => {
  it('reads a schedule: layers, restrictions and overrides, override times in UTC, restrictions defaulting to none', () => {
    const catalog = read(SCHEDULE_CATALOG_YAML);
    const expected: Schedule = {
      name: 'payments-primary',
      timeZone: 'Europe/Berlin',
      layers: [
        { name: 'weekly', start: '2026-01-05T09:00', unit: 'week', every: 1, members: ['ana', 'li'], restrictions: [] },
        {
          name: 'daytime',
          start: '2026-01-05T09:00',
          unit: 'week',
          every: 1,
          members: ['sam', 'kim'],
          restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        },
      ],
      overrides: [{ id: 'swap-2026-03-10', person: 'kim', startAt: '2026-03-10T18:00:00.000Z', endAt: '2026-03-11T06:00:00.000Z' }],
    };
    assert.deepEqual(catalog.schedules[0], expected);
    assert.deepEqual(
      catalog.schedules.map((s) => s.name),
      ['payments-primary', 'night'],
    );
    assert.deepEqual([catalog.ignored, catalog.warnings], [[], []]);
  });

  it('names a schedule outside the default namespace namespace/name, and leaves out overrides when none are given', () => {
    const catalog = read(`${TEAM}${schedule(GOOD_BODY).replace('name: primary', 'name: primary\n  namespace: Payments')}`);
    assert.deepEqual(catalog.schedules, [
      {
        name: 'payments/primary',
        timeZone: 'Europe/Berlin',
        layers: [{ name: 'weekly', start: '2026-01-05T09:00', unit: 'week', every: 1, members: ['ana', 'li'], restrictions: [] }],
        overrides: [],
      },
    ]);
  });

  it('refuses every bad field at once, each at its catalog path', () => {
    const bad = schedule(`timeZone: Mars/Olympus
colour: red
layers:
  - name: weekly
    start: 2026-01-05 09:00
    unit: fortnight
    every: 0
    members: [ana, ana]
    restrictions:
      - days: [mon, funday]
        from: "9am"
        to: "24:00"
  - name: weekly
    start: 2026-01-05T09:00
    unit: hour
    every: 169
    members: []
overrides:
  - id: o1
    person: ana
    startAt: 2026-03-10T18:00:00Z
    endAt: 2026-03-10T17:00:00Z
  - id: o2
    person: li
    startAt: tomorrow
    endAt: 2026-03-10T17:00:00Z`);
    const errors = errorsOf(() => read(`${TEAM}${bad}${schedule(GOOD_BODY)}${schedule('{}', 'other').replace('kind: Schedule', 'kind: Schedule\nstatus: x').replace('name: other', 'name: other\n  title: Other')}`));
    assert.deepEqual(errors, [
      { path: 'schedules[0].spec.colour', message: 'is not allowed' },
      { path: 'schedules[0].spec.timeZone', message: 'expected an IANA time zone, like Europe/Berlin' },
      { path: 'schedules[0].spec.layers[0].start', message: 'expected a local date-time YYYY-MM-DDTHH:MM, like 2026-01-05T09:00' },
      { path: 'schedules[0].spec.layers[0].unit', message: 'expected one of hour, day, week, month' },
      { path: 'schedules[0].spec.layers[0].every', message: 'expected an integer from 1 to 365' },
      { path: 'schedules[0].spec.layers[0].members[1]', message: 'duplicate member "ana" (first at members[0])' },
      { path: 'schedules[0].spec.layers[0].restrictions[0].days[1]', message: 'expected one of mon, tue, wed, thu, fri, sat, sun' },
      { path: 'schedules[0].spec.layers[0].restrictions[0].from', message: 'expected a time of day HH:MM (00:00 to 23:59)' },
      { path: 'schedules[0].spec.layers[0].restrictions[0].to', message: 'expected a time of day HH:MM (00:00 to 23:59)' },
      { path: 'schedules[0].spec.layers[1].every', message: 'expected an integer from 1 to 168' },
      { path: 'schedules[0].spec.layers[1].members', message: 'expected at least 1 item' },
      { path: 'schedules[0].spec.overrides[0].endAt', message: 'must be after startAt' },
      { path: 'schedules[0].spec.overrides[1].startAt', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
      { path: 'schedules[2].status', message: 'is not allowed' },
      { path: 'schedules[2].metadata.title', message: 'is not allowed' },
      { path: 'schedules[2].spec.timeZone', message: 'is required' },
      { path: 'schedules[2].spec.layers', message: 'is required' },
      { path: 'schedules[1].metadata.name', message: 'duplicate name "primary" (first at schedules[0])' },
    ]);
  });

  it('refuses a schedule member or override person the catalog does not list, at the raw index', () => {
    const spec = `${GOOD_BODY.replace('[ana, li]', '[ana, zoe]')}
  - name: backup
    start: 2026-01-05T09:00
    unit: day
    every: 1
    members: [li, "user:max"]
overrides:
  - id: o1
    person: bo
    startAt: 2026-03-10T18:00:00Z
    endAt: 2026-03-11T06:00:00Z`;
    assert.deepEqual(errorsOf(() => read(`${TEAM}${schedule(spec)}`)), [
      { path: 'schedules[0].spec.layers[0].members[1]', message: '"zoe" is not a member of any team or a User of this catalog' },
      { path: 'schedules[0].spec.layers[1].members[1]', message: '"user:max" is not a member of any team or a User of this catalog' },
      { path: 'schedules[0].spec.overrides[0].person', message: '"bo" is not a member of any team or a User of this catalog' },
    ]);
  });

  it('takes Backstage Users as people, and takes members as written when the catalog lists nobody', () => {
    const users = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: zoe
spec:
  profile: { email: zoe@example.com }
`;
    assert.deepEqual(read(`${users}${schedule(GOOD_BODY.replace('[ana, li]', '[zoe]'))}`).schedules[0]?.layers[0]?.members, ['zoe']);
    assert.deepEqual(read(schedule(GOOD_BODY.replace('[ana, li]', '[anyone]'))).schedules[0]?.layers[0]?.members, ['anyone']);
  });

  it('refuses a Schedule under a Backstage apiVersion instead of skipping it', () => {
    const doc = schedule(GOOD_BODY).replace('firebreak/v1', 'backstage.io/v1alpha1');
    assert.deepEqual(errorsOf(() => read(`${TEAM}${doc}`)), [
      { path: 'documents[1].apiVersion', message: 'expected firebreak/v1 for Schedule' },
    ]);
  });

  it('reads a catalog stored before schedules existed as one without schedules', () => {
    const { schedules: _, ...stored } = read(TEAM);
    assert.deepEqual(upgradeCatalog(stored as Catalog).schedules, []);
    assert.deepEqual(read(TEAM).schedules, []);
  });
});
