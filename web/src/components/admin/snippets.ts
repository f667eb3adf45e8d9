import type { IntegrationType } from '../../api/client.js';

/** A credential shown once; when it is gone (an existing integration), snippets carry a placeholder. */
export interface Credential {
  token?: string;
  routingKey?: string;
  apiKey?: string;
  secret?: string;
}

export interface Snippet {
  title: string;
  /** Where it goes, in one line. */
  where: string;
  text: string;
}

const PLACEHOLDER = {
  token: '<the token shown when the integration was created>',
  routingKey: '<the 32-character routing key shown when it was created>',
  apiKey: '<the API key shown when it was created>',
  secret: '<the secret shown when it was created>',
};

/** Copy-paste configuration for a sender, built from this server's public origin (docs/INTEGRATIONS.md). */
export function snippetsFor(type: IntegrationType, origin: string, name: string, cred: Credential = {}): Snippet[] {
  const token = cred.token ?? PLACEHOLDER.token;
  const routingKey = cred.routingKey ?? PLACEHOLDER.routingKey;
  const apiKey = cred.apiKey ?? PLACEHOLDER.apiKey;
  const secret = cred.secret ?? PLACEHOLDER.secret;
  const receiver = `firebreak-${name.replace(/[^A-Za-z0-9_-]+/g, '-').toLowerCase()}`.slice(0, 60);
  switch (type) {
    case 'alertmanager':
      return [
        {
          title: 'Alertmanager: webhook_configs',
          where: 'alertmanager.yml — add the receiver and route to it',
          text: `route:
  receiver: ${receiver}          # or a child route with matchers
receivers:
  - name: ${receiver}
    webhook_configs:
      - url: ${origin}/api/v1/integrations/alertmanager
        send_resolved: true      # resolved alerts are recovery evidence
        http_config:
          authorization:
            type: Bearer
            credentials: ${token}
`,
        },
        {
          title: 'Test it',
          where: 'a shell that reaches Firebreak',
          text: `curl -sS -X POST ${origin}/api/v1/integrations/alertmanager \\
  -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' \\
  -d '{"version":"4","groupKey":"test","status":"firing","receiver":"${receiver}","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"","truncatedAlerts":0,"alerts":[{"status":"firing","labels":{"alertname":"FirebreakTest","service":"checkout","severity":"warning"},"annotations":{"summary":"Test alert from curl"},"startsAt":"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"f1eb7e57000000a1"}]}'
`,
        },
      ];
    case 'grafana':
      return [
        {
          title: 'Grafana: webhook contact point',
          where: 'Alerting → Contact points → Add contact point → Integration: Webhook',
          text: `URL:                                ${origin}/api/v1/integrations/grafana
HTTP Method:                        POST
Authorization Header - Scheme:      Bearer
Authorization Header - Credentials: ${token}
${cred.secret ? `HMAC Signature - Secret:            ${secret}\nHMAC Signature - Header:            X-Grafana-Alerting-Signature\n` : ''}`,
        },
        {
          title: 'Grafana: provisioning file',
          where: 'provisioning/alerting/firebreak.yaml',
          text: `apiVersion: 1
contactPoints:
  - orgId: 1
    name: ${receiver}
    receivers:
      - uid: ${receiver}
        type: webhook
        settings:
          url: ${origin}/api/v1/integrations/grafana
          httpMethod: POST
          authorization_scheme: Bearer
          authorization_credentials: ${token}
`,
        },
      ];
    case 'pagerduty':
      return [
        {
          title: 'Alertmanager: pagerduty_configs (Events API v2)',
          where: 'alertmanager.yml — any PagerDuty Events v2 sender works the same way',
          text: `receivers:
  - name: ${receiver}
    pagerduty_configs:
      - url: ${origin}/v2/enqueue
        routing_key: ${routingKey}   # Events v2; service_key (v1) cannot be redirected
`,
        },
        {
          title: 'Change events (deploys)',
          where: 'CI, after a deploy — PagerDuty Change Events format',
          text: `curl -sS -X POST ${origin}/v2/change/enqueue -H 'Content-Type: application/json' -d '{
  "routing_key": "${routingKey}",
  "payload": {"summary": "Deploy checkout v1.42 to prod", "source": "checkout",
    "custom_details": {"service": "checkout", "version": "v1.42", "environment": "production"}}
}'
`,
        },
      ];
    case 'opsgenie':
      return [
        {
          title: 'Alertmanager: opsgenie_configs (Alert API v2)',
          where: 'alertmanager.yml — any Opsgenie Alert API sender works the same way',
          text: `receivers:
  - name: ${receiver}
    opsgenie_configs:
      - api_url: ${origin}/     # the trailing slash matters: Alertmanager appends v2/alerts
        api_key: ${apiKey}
        send_resolved: true
`,
        },
        {
          title: 'Test it',
          where: 'a shell that reaches Firebreak',
          text: `curl -sS -X POST ${origin}/v2/alerts \
  -H 'Authorization: GenieKey ${apiKey}' -H 'Content-Type: application/json' \
  -d '{"message":"Test alert from curl","alias":"firebreak-test","priority":"P3","details":{"service":"checkout"}}'
`,
        },
      ];
    case 'github':
      return [
        {
          title: 'GitHub: repository or organisation webhook',
          where: 'Settings → Webhooks → Add webhook',
          text: `Payload URL:   ${origin}/api/v1/integrations/github
Content type:  application/json
Secret:        ${secret}
Events:        Let me select individual events → Deployments, Deployment statuses
`,
        },
      ];
    case 'generic':
      return [
        {
          title: 'Firebreak JSON alert',
          where: 'scripts and anything else',
          text: `curl -sS -X POST ${origin}/api/v1/alerts \\
  -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' \\
  -d '{"dedupKey":"queue-depth/orders","status":"firing","summary":"orders queue above 10k","severity":"warning","service":"checkout"}'
`,
        },
        {
          title: 'Firebreak JSON deploy',
          where: 'CI',
          text: `curl -sS -X POST ${origin}/api/v1/deploys \\
  -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' \\
  -d '{"externalId":"'"$CI_PIPELINE_ID"'","service":"checkout","version":"'"$TAG"'","status":"succeeded"}'
`,
        },
      ];
  }
}
