/**
 * A catalog for status page tests: checkout and search under the storefront system, api on its own,
 * all public, and ledger, which is not. `teamSpec` is the payments team's spec (e.g. with notify targets).
 */
export const statusCatalogYaml = (teamSpec = '{ members: [ { name: ana } ] }') => `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout, title: Checkout }
spec: { owner: payments, tier: 1, public: true, system: storefront }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: search, title: Search }
spec: { owner: payments, tier: 2, public: true, system: storefront }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: api, title: Public API }
spec: { owner: payments, tier: 1, public: true }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: ledger, title: Ledger }
spec: { owner: payments, tier: 1 }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec: ${teamSpec}
`;
