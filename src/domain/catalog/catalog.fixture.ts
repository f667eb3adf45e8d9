/** The native example, verbatim. */
export const EXAMPLE_CATALOG_YAML = `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout, title: Checkout }
spec:
  owner: payments            # a Team name
  tier: 1                    # 1 = most critical
  public: true               # shown as a component on the public status page
  dependsOn: [payments-api, orders-db]
  slo: { availability: 99.9, latencyP95Ms: 300 }
  flows: [ { name: place-order, userFacing: true } ]
  unsupportedFlows: [ legacy-coupon-v1 ]
  coexistence: [ { name: orders v1/v2 dual-write, failMode: closed } ]
  alertMatchers: [ { label: service, value: checkout } ]
  runbook: https://wiki.example/checkout
  levers:
    - name: rollback
      kind: rollback          # rollback | feature-flag | scale | failover | rate-limit | reject-path | read-only | fallback | other
      failClosed: true
      preservesData: true
      action: { type: webhook, url: https://ci.example/rollback, method: POST }
    - name: disable-new-pricing
      kind: feature-flag
      failClosed: true
      action: { type: manual, instructions: "Flip pricing_v2 off in the flag console" }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  members: [ { name: ana, email: ana@example.com }, { name: li, email: li@example.com } ]
  onCall: { rotation: weekly, startsAt: "2026-01-05T09:00:00Z", order: [ana, li] }
  notify: [ { type: slack, url: https://hooks.slack.example/T000/B000/XXX } ]
`;

/** A Backstage catalog-info.yaml as Backstage reads it, with Firebreak fields under spec.firebreak. */
export const BACKSTAGE_CATALOG_YAML = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  title: Checkout
  description: Takes orders and payments.
  tags: [java]
  annotations:
    github.com/project-slug: acme/checkout
    pagerduty.com/service-id: PXXXXXX
spec:
  type: service
  lifecycle: production
  owner: group:default/team-payments
  system: storefront
  dependsOn: [resource:orders-db, component:default/payments-api]
  providesApis: [checkout-api]
  firebreak:
    tier: 1
    public: true
    alertMatchers: [ { label: app, regex: "checkout(-canary)?" } ]
    levers:
      - { name: rollback, kind: rollback, failClosed: true, preservesData: true,
          action: { type: webhook, url: "https://ci.example/rollback" } }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: payments-api }
spec: { type: service, lifecycle: experimental, owner: team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-payments, title: Payments }
spec:
  type: team
  children: []
  members: [user:default/ana]
  firebreak:
    onCall: { rotation: daily, startsAt: "2026-01-05T09:00:00Z", order: [ana, li] }
    notify: [ { type: email, address: payments@example.com } ]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: li }
spec: { profile: { email: li@example.com }, memberOf: [team-payments] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ana }
spec: { profile: { email: ana@example.com }, memberOf: [group:team-payments] }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: storefront }
spec: { owner: group:team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: orders-db }
spec: { type: database, owner: team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: checkout-api }
spec: { type: openapi, lifecycle: production, owner: team-payments, definition: { $text: ./openapi.yaml } }
`;

/**
 * A catalog as a real Backstage installation holds it: every kind, two namespaces, references across
 * files, owners that are people or groups kept elsewhere, and kinds and apiVersions Firebreak does not read.
 */
export const MIXED_BACKSTAGE_CATALOG_YAML = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: acme-catalog
  description: Every catalog-info.yaml of the acme org
spec:
  targets: [./components/checkout.yaml, ./org/teams.yaml]
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: { name: commerce }
spec: { owner: team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: storefront, description: What shoppers use }
spec: { owner: group:default/team-payments, domain: commerce }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  title: Checkout
  namespace: default
  annotations:
    github.com/project-slug: acme/checkout
    backstage.io/techdocs-ref: dir:.
  links: [ { url: https://grafana.example/d/checkout, title: Dashboard, icon: dashboard } ]
  tags: [java, payments]
spec:
  type: service
  lifecycle: production
  owner: group:default/team-payments
  system: storefront
  providesApis: [checkout-api]
  dependsOn: [component:payments/ledger, resource:default/orders-db]
  firebreak:
    tier: 1
    levers:
      - { name: rollback, kind: rollback, failClosed: true, action: { type: webhook, url: "https://ci.example/rollback" } }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  namespace: payments
  title: Payments checkout
  description: The checkout of the payments back office.
spec:
  type: service
  lifecycle: production
  owner: team-billing
  dependsOn: [component:ledger]
  firebreak: { tier: 2 }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ledger, namespace: payments }
spec:
  type: service
  lifecycle: production
  owner: user:default/jdoe
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: playback-order, description: Playback Order }
spec: { type: service, lifecycle: production, owner: "user:guest", system: storefront }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: search }
spec: { type: service, lifecycle: experimental, owner: group:default/team-search, dependsOn: [component:default/checkout] }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: orders-db, description: Orders }
spec: { type: database, owner: team-payments, system: storefront }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: checkout-api }
spec:
  type: openapi
  lifecycle: production
  owner: team-payments
  definition: |
    openapi: "3.0.0"
    info: { title: Checkout, version: 1.0.0 }
    paths: {}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-payments, title: Payments }
spec:
  type: team
  profile: { displayName: Payments, email: payments@example.com }
  parent: commerce-org
  children: []
  members: [user:default/ana]
  firebreak:
    onCall: { rotation: weekly, startsAt: "2026-01-05T09:00:00Z", order: [ana] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-billing, namespace: payments }
spec:
  type: team
  children: []
  firebreak:
    onCall: { rotation: daily, startsAt: "2026-01-05T09:00:00Z", order: [li] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ana }
spec: { profile: { displayName: Ana Lima, email: ana@example.com }, memberOf: [team-payments] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jdoe }
spec: { profile: { displayName: Jane Doe, email: jdoe@example.com }, memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: li, namespace: payments }
spec: { profile: { email: li@example.com }, memberOf: [team-billing] }
---
apiVersion: backstage.io/v1alpha1
kind: Environment
metadata: { name: prod, description: SDLC production environment. }
spec: { lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata: { name: frontend-design }
spec: { type: skill, lifecycle: production, owner: team-payments, agents: [claude-code] }
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: new-service, title: New service }
spec:
  owner: team-payments
  type: service
  parameters: [ { title: Name, required: [name], properties: { name: { type: string } } } ]
  steps: [ { id: fetch, name: Fetch, action: fetch:template, input: { url: ./skeleton } } ]
---
apiVersion: backstage.io/v1beta2
kind: Template
metadata: { name: legacy-service }
spec: { owner: team-payments, type: service, parameters: {}, steps: [] }
`;

/**
 * What Backstage's own `GET /api/catalog/entities` answers for a few entities: the namespace always
 * written, and uid, etag, relations and status beside what the descriptor said.
 */
export const BACKSTAGE_API_ENTITIES = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': 'url:https://github.com/acme/checkout/blob/main/catalog-info.yaml',
        'backstage.io/managed-by-origin-location': 'url:https://github.com/acme/checkout/blob/main/catalog-info.yaml',
        'github.com/project-slug': 'acme/checkout',
      },
      name: 'checkout',
      uid: '0b1c6f4e-6f7a-4f0e-9d5b-2b8f3c1d9e10',
      etag: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-payments', dependsOn: ['resource:default/orders-db'] },
    relations: [
      {
        type: 'ownedBy',
        targetRef: 'group:default/team-payments',
        target: { kind: 'group', namespace: 'default', name: 'team-payments' },
      },
      { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
    ],
    status: { items: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { namespace: 'default', name: 'team-payments', uid: '5f0e3c1a-1d2b-4c3d-8e4f-5a6b7c8d9e0f', etag: 'f0e1d2c3' },
    spec: { type: 'team', children: [], profile: { displayName: 'Payments' } },
    relations: [{ type: 'hasMember', targetRef: 'user:default/ana' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { namespace: 'default', name: 'ana', uid: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', etag: '01234567' },
    spec: { profile: { email: 'ana@example.com' }, memberOf: ['group:default/team-payments'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { namespace: 'default', name: 'orders-db', uid: '3c2b1a09-8f7e-4d6c-b5a4-9382716f5e4d', etag: '89abcdef' },
    spec: { type: 'database', owner: 'team-payments' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
  },
];
