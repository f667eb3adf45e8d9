/**
 * A catalog with one team and two schedules, used by the catalog, HTTP and CLI tests: `payments-primary`
 * stacks a weekday daytime layer over a weekly round-the-clock one and has one override; `night` is a
 * daily rotation for the same people.
 */
export const SCHEDULE_CATALOG_YAML = `apiVersion: firebreak/v1
kind: Team
metadata:
  name: payments
spec:
  members:
    - name: ana
    - name: li
    - name: sam
    - name: kim
---
apiVersion: firebreak/v1
kind: Service
metadata:
  name: checkout
spec:
  owner: payments
---
apiVersion: firebreak/v1
kind: Schedule
metadata:
  name: payments-primary
spec:
  timeZone: Europe/Berlin
  layers:
    - name: weekly
      start: 2026-01-05T09:00
      unit: week
      every: 1
      members: [ana, li]
    - name: daytime
      start: 2026-01-05T09:00
      unit: week
      every: 1
      members: [sam, kim]
      restrictions:
        - days: [mon, tue, wed, thu, fri]
          from: "09:00"
          to: "17:00"
  overrides:
    - id: swap-2026-03-10
      person: kim
      startAt: 2026-03-10T18:00:00Z
      endAt: 2026-03-11T06:00:00Z
---
apiVersion: firebreak/v1
kind: Schedule
metadata:
  name: night
spec:
  timeZone: America/New_York
  layers:
    - name: nights
      start: 2026-03-01T20:00
      unit: day
      every: 1
      members: [li, ana]
      restrictions:
        - days: [mon, tue, wed, thu, fri, sat, sun]
          from: "20:00"
          to: "06:00"
`;
