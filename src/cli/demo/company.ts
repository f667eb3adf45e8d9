/**
 * The demo company: four teams, two systems and eleven services with their levers, flows, seams and
 * alert matchers, as `firebreak demo` applies them. Pure data and pure functions: no I/O, no clock of its own.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Where demo levers and links point: a reserved top-level domain, so nothing is ever reached. */
export const CI_URL = 'https://ci.example.invalid';
export const TRACKER_URL = 'https://tracker.example.invalid/browse';
export const DASHBOARDS_URL = 'https://grafana.example.invalid/d';

export interface DemoTeam {
  name: string;
  title: string;
  members: string[];
  rotation: 'daily' | 'weekly';
}

export const TEAMS: readonly DemoTeam[] = [
  { name: 'payments', title: 'Payments', members: ['ana', 'li', 'sam'], rotation: 'weekly' },
  { name: 'storefront', title: 'Storefront', members: ['noor', 'kai', 'eli'], rotation: 'weekly' },
  { name: 'platform', title: 'Platform', members: ['bo', 'ines', 'tomas'], rotation: 'daily' },
  { name: 'data', title: 'Data', members: ['mei', 'raj'], rotation: 'weekly' },
];

/** Who signs in to the web UI: the first members of each team as responders, and one viewer. */
export const USERS: readonly { username: string; role: 'responder' | 'viewer' }[] = [
  { username: 'ana', role: 'responder' },
  { username: 'li', role: 'responder' },
  { username: 'noor', role: 'responder' },
  { username: 'bo', role: 'responder' },
  { username: 'mei', role: 'responder' },
  { username: 'pat', role: 'viewer' },
];

type LeverKind = 'rollback' | 'feature-flag' | 'scale' | 'failover' | 'rate-limit' | 'reject-path' | 'read-only' | 'fallback';

export interface DemoLever {
  name: string;
  kind: LeverKind;
  failClosed: boolean;
  preservesData?: boolean;
  /** A webhook at CI_URL + path, or manual steps. */
  webhook?: string;
  manual?: string;
}

export interface Symptom {
  title: string;
  impact: string;
  signal: string;
}

export interface DemoService {
  name: string;
  title: string;
  team: string;
  system: 'shop' | 'platform-core';
  tier: 1 | 2 | 3;
  public: boolean;
  dependsOn: string[];
  flows: { name: string; userFacing: boolean }[];
  unsupportedFlows?: string[];
  coexistence?: { name: string; failMode: 'open' | 'closed' }[];
  levers: DemoLever[];
  /** Config keys its deploys change. */
  flags: string[];
  symptoms: Symptom[];
}

export const SERVICES: readonly DemoService[] = [
  {
    name: 'checkout', title: 'Checkout', team: 'payments', system: 'shop', tier: 1, public: true,
    dependsOn: ['payments-api', 'cart', 'pricing', 'resource:orders-db'],
    flows: [{ name: 'place-order', userFacing: true }, { name: 'apply-coupon', userFacing: true }],
    unsupportedFlows: ['legacy-coupon-v1'],
    coexistence: [{ name: 'orders v1/v2 dual-write', failMode: 'closed' }],
    levers: [
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/checkout/rollback' },
      { name: 'disable-new-pricing', kind: 'feature-flag', failClosed: true, manual: 'Flip pricing_v2 off in the flag console for checkout' },
      { name: 'reject-legacy-coupons', kind: 'reject-path', failClosed: true, manual: 'Enable the "legacy coupon" reject rule on the edge for /checkout/coupon/v1' },
    ],
    flags: ['pricing_v2', 'orders_v2_write', 'coupon_engine'],
    symptoms: [
      { title: 'Checkout answers 500 for card payments', impact: 'Card payments fail at the last checkout step for a share of users', signal: 'errors' },
      { title: 'Checkout p95 latency above 3 s', impact: 'Placing an order takes several seconds; some users abandon their cart', signal: 'latency' },
      { title: 'Orders stuck in pending after payment', impact: 'Paid orders stay pending and confirmation mails are not sent', signal: 'saturation' },
    ],
  },
  {
    name: 'payments-api', title: 'Payments API', team: 'payments', system: 'shop', tier: 1, public: false,
    dependsOn: ['ledger', 'resource:card-gateway'],
    flows: [{ name: 'authorise-card', userFacing: false }, { name: 'refund', userFacing: false }],
    unsupportedFlows: ['3ds-v1'],
    coexistence: [{ name: 'card vault migration', failMode: 'open' }],
    levers: [
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/payments-api/rollback' },
      { name: 'failover-gateway', kind: 'failover', failClosed: true, preservesData: true, manual: 'Switch the card gateway to the secondary acquirer in the payments console' },
      { name: 'skip-fraud-scoring', kind: 'fallback', failClosed: false, manual: 'Set fraud_scoring=bypass for orders under 50 EUR' },
    ],
    flags: ['fraud_scoring', 'gateway_timeout_ms', 'vault_v2_reads'],
    symptoms: [
      { title: 'Card authorisations time out', impact: 'One in five card authorisations times out; checkout retries and then fails', signal: 'latency' },
      { title: 'Refunds fail with gateway errors', impact: 'Support cannot issue refunds; customers see no refund status', signal: 'errors' },
    ],
  },
  {
    name: 'ledger', title: 'Ledger', team: 'payments', system: 'shop', tier: 2, public: false,
    dependsOn: ['resource:ledger-db'],
    flows: [{ name: 'post-entry', userFacing: false }],
    levers: [
      { name: 'read-only', kind: 'read-only', failClosed: true, preservesData: true, webhook: '/ledger/read-only' },
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/ledger/rollback' },
    ],
    flags: ['batch_size', 'ledger_db_pool'],
    symptoms: [
      { title: 'Ledger postings lag by more than 20 minutes', impact: 'Balances in the merchant dashboard are stale', signal: 'saturation' },
      { title: 'Duplicate ledger entries for refunds', impact: 'Some refunds are booked twice in the ledger (no customer money moved)', signal: 'errors' },
    ],
  },
  {
    name: 'pricing', title: 'Pricing', team: 'payments', system: 'shop', tier: 2, public: false,
    dependsOn: ['catalog-api'],
    flows: [{ name: 'quote', userFacing: true }],
    levers: [
      { name: 'pricing-v2-off', kind: 'feature-flag', failClosed: true, webhook: '/flags/pricing_v2/off' },
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/pricing/rollback' },
    ],
    flags: ['pricing_v2', 'currency_rounding'],
    symptoms: [
      { title: 'Pricing returns totals checkout cannot parse', impact: 'Basket totals show as unavailable for EU users', signal: 'errors' },
      { title: 'Wrong currency rounding on CHF prices', impact: 'Swiss prices are rounded to the wrong 5 centimes', signal: 'errors' },
    ],
  },
  {
    name: 'storefront-web', title: 'Storefront', team: 'storefront', system: 'shop', tier: 1, public: true,
    dependsOn: ['catalog-api', 'search', 'cart', 'identity'],
    flows: [{ name: 'browse', userFacing: true }, { name: 'product-page', userFacing: true }],
    levers: [
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/storefront-web/rollback' },
      { name: 'static-fallback', kind: 'fallback', failClosed: false, manual: 'Serve the cached static home and category pages from the CDN' },
    ],
    flags: ['new_header', 'ssr_streaming'],
    symptoms: [
      { title: 'Product pages answer 502 for logged-in users', impact: 'Logged-in users cannot open product pages', signal: 'errors' },
      { title: 'Home page renders without prices', impact: 'Prices are missing on the home page and category lists', signal: 'errors' },
    ],
  },
  {
    name: 'catalog-api', title: 'Catalog API', team: 'storefront', system: 'shop', tier: 2, public: true,
    dependsOn: ['resource:catalog-db'],
    flows: [{ name: 'product-lookup', userFacing: false }],
    levers: [
      { name: 'scale-out', kind: 'scale', failClosed: false, webhook: '/catalog-api/scale' },
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/catalog-api/rollback' },
    ],
    flags: ['catalog_cache_ttl', 'variant_expansion'],
    symptoms: [
      { title: 'Catalog API p99 above 4 s', impact: 'Product pages load slowly; search results time out for some queries', signal: 'latency' },
      { title: 'Products show as out of stock', impact: 'In-stock products show as out of stock for about 8% of the range', signal: 'errors' },
    ],
  },
  {
    name: 'cart', title: 'Cart', team: 'storefront', system: 'shop', tier: 2, public: false,
    dependsOn: ['resource:sessions-redis'],
    flows: [{ name: 'add-to-cart', userFacing: true }],
    levers: [
      { name: 'rate-limit-bots', kind: 'rate-limit', failClosed: true, webhook: '/cart/rate-limit' },
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/cart/rollback' },
    ],
    flags: ['cart_merge_v2', 'session_ttl'],
    symptoms: [
      { title: 'Carts emptied after sign-in', impact: 'Items added before signing in disappear from the cart', signal: 'errors' },
      { title: 'Add to cart slow under bot traffic', impact: 'Adding to cart takes over 2 s during a scraping burst', signal: 'saturation' },
    ],
  },
  {
    name: 'search', title: 'Search', team: 'data', system: 'shop', tier: 2, public: true,
    dependsOn: ['catalog-api', 'resource:search-index'],
    flows: [{ name: 'search', userFacing: true }],
    levers: [
      { name: 'db-search-fallback', kind: 'fallback', failClosed: false, manual: 'Route search to the database fallback (search_backend=db) in the flag console' },
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/search/rollback' },
    ],
    flags: ['ranking_model', 'index_alias'],
    symptoms: [
      { title: 'Search results stale for new products', impact: 'Products added today do not show in search', signal: 'errors' },
      { title: 'Search answers empty results for accented queries', impact: 'Queries with accents return nothing', signal: 'errors' },
    ],
  },
  {
    name: 'recommendations', title: 'Recommendations', team: 'data', system: 'shop', tier: 3, public: false,
    dependsOn: ['catalog-api'],
    flows: [{ name: 'also-bought', userFacing: true }],
    levers: [{ name: 'hide-recommendations', kind: 'feature-flag', failClosed: true, manual: 'Turn recs_widget off in the flag console' }],
    flags: ['model_version', 'recs_widget'],
    symptoms: [
      { title: 'Recommendations show unrelated products', impact: 'The "also bought" row shows unrelated items', signal: 'errors' },
      { title: 'Recommendation widget slows product pages', impact: 'Product pages wait up to 1 s for the widget', signal: 'latency' },
    ],
  },
  {
    name: 'identity', title: 'Sign-in', team: 'platform', system: 'platform-core', tier: 1, public: true,
    dependsOn: ['resource:identity-db'],
    flows: [{ name: 'sign-in', userFacing: true }, { name: 'password-reset', userFacing: true }],
    unsupportedFlows: ['sms-otp-v1'],
    coexistence: [{ name: 'sessions v1/v2', failMode: 'open' }],
    levers: [
      { name: 'failover-region', kind: 'failover', failClosed: true, preservesData: true, manual: 'Fail identity over to eu-west-2 in the traffic manager' },
      { name: 'throttle-sign-in', kind: 'rate-limit', failClosed: true, manual: 'Set the sign-in rate limit to 50/s per region at the edge' },
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/identity/rollback' },
    ],
    flags: ['sessions_v2', 'otp_provider'],
    symptoms: [
      { title: 'Sign-in fails with "session expired"', impact: 'About a third of sign-ins fail and users are sent back to the form', signal: 'errors' },
      { title: 'Password reset mails delayed by an hour', impact: 'Users wait up to an hour for reset mails', signal: 'saturation' },
    ],
  },
  {
    name: 'edge-gateway', title: 'Edge gateway', team: 'platform', system: 'platform-core', tier: 1, public: false,
    dependsOn: [],
    flows: [{ name: 'routing', userFacing: true }],
    levers: [
      { name: 'block-abusive-paths', kind: 'reject-path', failClosed: true, webhook: '/edge/reject-path' },
      { name: 'scale-edge', kind: 'scale', failClosed: false, webhook: '/edge/scale' },
      { name: 'rollback', kind: 'rollback', failClosed: true, preservesData: true, webhook: '/edge/rollback' },
    ],
    flags: ['tls_profile', 'waf_ruleset'],
    symptoms: [
      { title: 'Edge returns 503 in one region', impact: 'Users routed through eu-central get 503 on every page', signal: 'errors' },
      { title: 'TLS handshakes fail for older Android clients', impact: 'Android 7 users cannot reach the shop', signal: 'errors' },
    ],
  },
];

export const serviceNamed = (name: string): DemoService => {
  const s = SERVICES.find((x) => x.name === name);
  if (!s) throw new Error(`no demo service ${name}`);
  return s;
};

export const teamNamed = (name: string): DemoTeam => {
  const t = TEAMS.find((x) => x.name === name);
  if (!t) throw new Error(`no demo team ${name}`);
  return t;
};

/**
 * Each rotation starts far enough back that every incident of the 60 days had someone on call, and is
 * placed so that the team's first member is on call now (weekly: for the next five days; daily: the next 18 hours).
 */
export function rotationStart(team: DemoTeam, now: number): number {
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const period = team.rotation === 'weekly' ? 7 * DAY_MS : DAY_MS;
  const cycle = period * team.members.length;
  const cycles = Math.ceil((62 * DAY_MS) / cycle);
  const into = team.rotation === 'weekly' ? 2 * DAY_MS : 6 * HOUR_MS;
  return hour - into - cycles * cycle;
}

/** Who the team's rotation has on call at `at` (the rotation rule of docs/INTEGRATIONS.md). */
export function onCallAt(team: DemoTeam, now: number, at: number): string {
  const period = team.rotation === 'weekly' ? 7 * DAY_MS : DAY_MS;
  const index = Math.floor((at - rotationStart(team, now)) / period);
  return team.members[((index % team.members.length) + team.members.length) % team.members.length] as string;
}

/** The catalog as JSON documents (firebreak/v1 Services and Teams, Backstage Systems), for `PUT /api/v1/catalog`. */
export function catalogDocuments(now: number): Record<string, unknown>[] {
  const systems = [
    { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'shop', title: 'Shop' }, spec: { owner: 'storefront' } },
    { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'platform-core', title: 'Platform core' }, spec: { owner: 'platform' } },
  ];
  const teams = TEAMS.map((t) => ({
    apiVersion: 'firebreak/v1',
    kind: 'Team',
    metadata: { name: t.name, title: t.title },
    spec: {
      members: t.members.map((m) => ({ name: m, email: `${m}@example.com` })),
      onCall: { rotation: t.rotation, startsAt: new Date(rotationStart(t, now)).toISOString(), order: t.members },
    },
  }));
  const services = SERVICES.map((s) => ({
    apiVersion: 'firebreak/v1',
    kind: 'Service',
    metadata: { name: s.name, title: s.title },
    spec: {
      owner: s.team,
      system: s.system,
      lifecycle: 'production',
      repository: `example-shop/${s.name}`,
      tier: s.tier,
      public: s.public,
      dependsOn: s.dependsOn,
      slo: { availability: s.tier === 1 ? 99.95 : s.tier === 2 ? 99.9 : 99.5, latencyP95Ms: s.tier === 1 ? 300 : 800 },
      flows: s.flows,
      unsupportedFlows: s.unsupportedFlows ?? [],
      coexistence: s.coexistence ?? [],
      alertMatchers:
        s.name === 'storefront-web'
          ? [{ label: 'app', regex: 'storefront(-web)?' }]
          : [{ label: 'service', value: s.name }],
      runbook: `https://wiki.example.invalid/runbooks/${s.name}`,
      levers: s.levers.map((l) => ({
        name: l.name,
        kind: l.kind,
        failClosed: l.failClosed,
        preservesData: l.preservesData ?? false,
        action: l.webhook
          ? {
              type: 'webhook',
              url: `${CI_URL}${l.webhook}`,
              method: 'POST',
              timeoutMs: 5000,
              body: { service: '{{service.name}}', incident: '{{incident.id}}', ref: '{{boundary.previousVersion}}', reason: '{{mitigation.rationale}}' },
            }
          : { type: 'manual', instructions: l.manual },
      })),
    },
  }));
  return [...systems, ...teams, ...services];
}
