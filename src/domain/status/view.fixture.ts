import type { StatusPageView } from './types.js';

/**
 * A realistic page for rendering tests: a grouped and an ungrouped component, one open incident with
 * two updates, one resolved, one maintenance in progress and one scheduled. Text holds markup on purpose.
 */
export const richView = (): StatusPageView => ({
  page: { name: 'Acme <Status>', url: 'https://status.acme.test', supportUrl: 'https://acme.test/support', updatedAt: '2026-05-01T10:05:00.000Z' },
  indicator: 'major',
  description: 'Partial System Outage',
  groups: [
    {
      id: 'storefront',
      name: 'storefront',
      status: 'partial_outage',
      components: ['checkout', 'search'],
      position: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-05-01T10:01:00.000Z',
    },
  ],
  components: [
    {
      id: 'checkout',
      name: 'Checkout & Payments',
      description: 'Paying for an order',
      status: 'partial_outage',
      group: 'storefront',
      position: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-05-01T10:01:00.000Z',
    },
    {
      id: 'search',
      name: 'Search',
      description: null,
      status: 'under_maintenance',
      group: 'storefront',
      position: 2,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-05-01T09:00:00.000Z',
    },
    {
      id: 'api',
      name: 'Public API',
      description: 'api.acme.test',
      status: 'operational',
      group: null,
      position: 3,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
  ],
  incidents: [
    {
      id: '42',
      name: 'Checkout errors <script>alert(1)</script>',
      status: 'identified',
      impact: 'major',
      createdAt: '2026-05-01T10:00:00.000Z',
      updatedAt: '2026-05-01T10:05:00.000Z',
      startedAt: '2026-05-01T09:58:00.000Z',
      monitoringAt: null,
      resolvedAt: null,
      components: ['checkout'],
      updates: [
        {
          id: '42-2',
          status: 'identified',
          body: 'Rolling back v1.42 & watching "error rates".',
          createdAt: '2026-05-01T10:05:00.000Z',
          affectedComponents: [{ code: 'checkout', name: 'Checkout & Payments', oldStatus: 'major_outage', newStatus: 'partial_outage' }],
        },
        {
          id: '42-1',
          status: 'investigating',
          body: 'Some payments fail.\nWe are looking into it.',
          createdAt: '2026-05-01T10:01:00.000Z',
          affectedComponents: [{ code: 'checkout', name: 'Checkout & Payments', oldStatus: 'operational', newStatus: 'major_outage' }],
        },
      ],
    },
    {
      id: '40',
      name: 'Slow search',
      status: 'resolved',
      impact: 'minor',
      createdAt: '2026-04-28T08:00:00.000Z',
      updatedAt: '2026-04-28T09:30:00.000Z',
      startedAt: '2026-04-28T07:55:00.000Z',
      monitoringAt: '2026-04-28T09:00:00.000Z',
      resolvedAt: '2026-04-28T09:30:00.000Z',
      components: ['search'],
      updates: [
        { id: '40-1', status: 'investigating', body: 'Search is slow.', createdAt: '2026-04-28T08:05:00.000Z', affectedComponents: [] },
      ],
    },
  ],
  maintenances: [
    {
      id: 'm-1',
      name: 'Search index rebuild',
      status: 'in_progress',
      body: 'Results may be stale for an hour.',
      scheduledFor: '2026-05-01T09:00:00.000Z',
      scheduledUntil: '2026-05-01T11:00:00.000Z',
      createdAt: '2026-04-30T12:00:00.000Z',
      updatedAt: '2026-05-01T09:00:00.000Z',
      components: ['search'],
    },
    {
      id: 'm-2',
      name: 'Database upgrade',
      status: 'scheduled',
      body: 'Checkout read-only for 10 minutes.',
      scheduledFor: '2026-05-03T02:00:00.000Z',
      scheduledUntil: '2026-05-03T02:30:00.000Z',
      createdAt: '2026-04-30T12:00:00.000Z',
      updatedAt: '2026-04-30T12:00:00.000Z',
      components: ['checkout'],
    },
  ],
  history: Array.from({ length: 14 }, (_, i) => {
    const date = new Date(Date.UTC(2026, 4, 1 - i)).toISOString().slice(0, 10);
    const incidents =
      date === '2026-05-01'
        ? [{ id: '42', name: 'Checkout errors <script>alert(1)</script>', impact: 'major' as const, status: 'identified' as const }]
        : date === '2026-04-28'
          ? [{ id: '40', name: 'Slow search', impact: 'minor' as const, status: 'resolved' as const }]
          : [];
    return { date, incidents };
  }),
  generatedAt: '2026-05-01T10:06:00.000Z',
});
