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

/** A Backstage catalog-info.yaml in the shape of WIRE-FORMATS f, with Firebreak fields under spec.firebreak. */
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
