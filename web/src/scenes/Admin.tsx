import { useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  api,
  INTEGRATION_TYPES,
  LIMITS,
  problemOf,
  type AccessRole,
  type CreatedIntegration,
  type CreatedToken,
  type IntegrationInfo,
  type IntegrationType,
  type ProblemInfo,
  type TokenInfo,
  type UserInfo,
} from '../api/client.js';
import { Copyable } from '../components/admin/Copyable.js';
import { snippetsFor } from '../components/admin/snippets.js';
import { QuickForm, opt, str } from '../components/Form.js';
import { ProblemView } from '../components/ProblemView.js';
import { utc } from '../components/time.js';
import { useSession } from '../hooks/session.js';

const ROLES: readonly AccessRole[] = ['viewer', 'responder', 'admin', 'ingest'];
const USER_ROLES: readonly AccessRole[] = ['viewer', 'responder', 'admin'];
const TYPE_NOTE: Record<IntegrationType, string> = {
  alertmanager: 'Prometheus Alertmanager webhook; bearer token',
  grafana: 'Grafana alerting webhook contact point; bearer token, optional HMAC secret',
  pagerduty: 'anything that speaks PagerDuty Events v2 or Change Events; routing key',
  opsgenie: 'anything that speaks the Opsgenie Alert API v2 (Alertmanager opsgenie_configs); API key',
  github: 'GitHub deployment webhooks; HMAC secret',
  generic: 'Firebreak JSON alerts and deploys; bearer token',
};

/** Tokens, users and integrations (admin only); each secret is shown once, right after it is made. */
export function Admin() {
  const session = useSession();
  const [tokens, setTokens] = useState<TokenInfo[] | null>(null);
  const [users, setUsers] = useState<UserInfo[] | null>(null);
  const [integrations, setIntegrations] = useState<IntegrationInfo[] | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [newToken, setNewToken] = useState<CreatedToken | null>(null);
  const [newIntegration, setNewIntegration] = useState<CreatedIntegration | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [t, u, i] = await Promise.all([api.listTokens(), api.listUsers(), api.listIntegrations()]);
      setTokens(t.items);
      setUsers(u.items);
      setIntegrations(i.items);
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, []);

  useEffect(() => {
    if (session.isAdmin) void load();
  }, [load, session.isAdmin]);

  if (!session.isAdmin) {
    return (
      <main className="page">
        <h1>Admin</h1>
        <p>Tokens, users and integrations are managed by admins. Your role is {session.role}.</p>
      </main>
    );
  }

  const origin = window.location.origin;
  const revoke = async (what: 'token' | 'integration', id: string, name: string) => {
    if (!window.confirm(`Revoke ${what} "${name}"? Whatever uses it is refused from now on.`)) return;
    try {
      if (what === 'token') await api.revokeToken(id);
      else await api.revokeIntegration(id);
      await load();
    } catch (err) {
      setProblem(problemOf(err));
    }
  };

  return (
    <main className="page admin">
      <div className="page-head">
        <h1>Admin</h1>
        <nav className="room-links">
          <a href="#integrations">Integrations</a>
          <a href="#tokens">API tokens</a>
          <a href="#users">Users</a>
        </nav>
      </div>
      <ProblemView problem={problem} />

      <section className="panel" id="integrations" aria-label="Integrations">
        <h2>
          Integrations <span className="count">{integrations?.filter((i) => !i.revokedAt).length ?? '…'}</span>
        </h2>
        <p className="small muted">
          One per sender: each gets its own credential, shown once. Senders post to this server at <code>{origin}</code>.
        </p>
        <QuickForm
          name="new integration"
          submit="Create integration"
          fields={[
            { name: 'type', label: 'Type', kind: 'select', options: INTEGRATION_TYPES },
            { name: 'name', label: 'Name', required: true, maxLength: LIMITS.name, placeholder: 'prod-alertmanager' },
            { name: 'secret', label: 'Secret (GitHub, Grafana HMAC; optional, ≥ 65 bytes)', maxLength: 1000 },
          ]}
          onSubmit={async (v) => {
            const created = await api.createIntegration({
              type: v.type as IntegrationType,
              name: str(v.name),
              ...(opt(v.secret) && { secret: opt(v.secret) }),
            });
            setNewIntegration(created);
            setOpen(created.id);
            await load();
          }}
        />
        {newIntegration && (
          <ShownOnce
            label="New integration"
            title={`${newIntegration.type} integration “${newIntegration.name}” created.`}
            what="its credential"
            onHide={() => setNewIntegration(null)}
          >
            {newIntegration.token && <Copyable text={newIntegration.token} label="integration token" secret />}
            {newIntegration.routingKey && <Copyable text={newIntegration.routingKey} label="routing key" secret />}
            {newIntegration.apiKey && <Copyable text={newIntegration.apiKey} label="API key" secret />}
            {newIntegration.secret && <Copyable text={newIntegration.secret} label="HMAC secret" secret />}
          </ShownOnce>
        )}
        {integrations && integrations.length === 0 && <p className="muted">No integrations yet.</p>}
        {integrations && integrations.length > 0 && (
          <table className="incidents">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th className="hide-narrow">Endpoints</th>
                <th className="hide-narrow">Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {integrations.map((i) => (
                <IntegrationRow
                  key={i.id}
                  integration={i}
                  origin={origin}
                  fresh={newIntegration?.id === i.id ? newIntegration : undefined}
                  open={open === i.id}
                  onToggle={() => setOpen(open === i.id ? null : i.id)}
                  onRevoke={() => void revoke('integration', i.id, i.name)}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" id="tokens" aria-label="API tokens">
        <h2>
          API tokens <span className="count">{tokens?.filter((t) => !t.revokedAt).length ?? '…'}</span>
        </h2>
        <p className="small muted">For scripts, the CLI (FIREBREAK_TOKEN) and CI. <code>ingest</code> may only send alerts and deploys.</p>
        <QuickForm
          name="new token"
          submit="Create token"
          fields={[
            { name: 'name', label: 'Name', required: true, maxLength: LIMITS.name, placeholder: 'ci-deploys' },
            { name: 'role', label: 'Role', kind: 'select', options: ROLES, initial: 'ingest' },
          ]}
          onSubmit={async (v) => {
            setNewToken(await api.createToken({ name: str(v.name), role: v.role as AccessRole }));
            await load();
          }}
        />
        {newToken && (
          <ShownOnce
            label="New token"
            title={`Token “${newToken.name}” (${newToken.role}) created.`}
            what="it"
            onHide={() => setNewToken(null)}
          >
            <Copyable text={newToken.token} label="API token" secret />
            <Copyable text={`export FIREBREAK_URL=${origin} FIREBREAK_TOKEN=${newToken.token}`} label="CLI environment" />
          </ShownOnce>
        )}
        {tokens && (
          <table className="incidents">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th className="hide-narrow">Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-token={t.name} className={t.revokedAt ? 'revoked' : undefined}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td className="hide-narrow small">{utc(t.createdAt)}</td>
                  <td className="right">
                    {t.revokedAt ? (
                      <span className="muted small">revoked {utc(t.revokedAt)}</span>
                    ) : (
                      <button type="button" className="small danger" onClick={() => void revoke('token', t.id, t.name)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
              {tokens.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No tokens.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" id="users" aria-label="Users">
        <h2>
          Users <span className="count">{users?.length ?? '…'}</span>
        </h2>
        <p className="small muted">
          People who sign in here. Use the name they are assigned roles by: only the commander may override a gate.
        </p>
        <QuickForm
          name="new user"
          submit="Create user"
          fields={[
            { name: 'username', label: 'Username', required: true, maxLength: LIMITS.username },
            { name: 'password', label: `Password (${LIMITS.password.min}+ characters)`, kind: 'password', required: true, maxLength: LIMITS.password.max },
            { name: 'role', label: 'Role', kind: 'select', options: USER_ROLES, initial: 'responder' },
          ]}
          onSubmit={async (v) => {
            await api.createUser({ username: str(v.username), password: String(v.password), role: v.role as AccessRole });
            await load();
          }}
        />
        {users && (
          <table className="incidents">
            <thead>
              <tr>
                <th>Username</th>
                <th>Role</th>
                <th className="hide-narrow">Created</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user={u.username}>
                  <td>
                    {u.username}
                    {u.username === session.username && <span className="muted small"> (you)</span>}
                  </td>
                  <td>{u.role}</td>
                  <td className="hide-narrow small">{utc(u.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

/** A secret just made, with the reminder that it is not shown again, until the admin hides it. */
function ShownOnce({
  label,
  title,
  what,
  onHide,
  children,
}: {
  label: string;
  title: string;
  what: string;
  onHide: () => void;
  children: ReactNode;
}) {
  return (
    <div className="once" role="status" aria-label={label}>
      <p>
        <strong>{title}</strong> Copy {what} now: it is shown only this once.
      </p>
      {children}
      <button type="button" className="link small" onClick={onHide}>
        I have copied it; hide
      </button>
    </div>
  );
}

function Endpoints({ integration, origin }: { integration: IntegrationInfo; origin: string }) {
  return (
    <>
      {integration.endpoints.map((e) => (
        <div key={e}>
          <code>{origin + e}</code>
        </div>
      ))}
    </>
  );
}

function IntegrationRow({
  integration: i,
  origin,
  fresh,
  open,
  onToggle,
  onRevoke,
}: {
  integration: IntegrationInfo;
  origin: string;
  fresh: CreatedIntegration | undefined;
  open: boolean;
  onToggle: () => void;
  onRevoke: () => void;
}) {
  const snippets = snippetsFor(i.type, origin, i.name, fresh ?? {});
  return (
    <>
      <tr data-integration={i.name} className={i.revokedAt ? 'revoked' : undefined}>
        <td>
          <strong>{i.name}</strong>
        </td>
        <td>
          {i.type}
          <div className="small muted type-note">{TYPE_NOTE[i.type]}</div>
        </td>
        <td className="hide-narrow small">
          <Endpoints integration={i} origin={origin} />
        </td>
        <td className="hide-narrow small">{utc(i.createdAt)}</td>
        <td className="right">
          {i.revokedAt ? (
            <span className="muted small">revoked {utc(i.revokedAt)}</span>
          ) : (
            <span className="row-actions">
              <button type="button" className="small" onClick={onToggle} aria-expanded={open}>
                {open ? 'Hide set-up' : 'Set-up'}
              </button>
              <button type="button" className="small danger" onClick={onRevoke}>
                Revoke
              </button>
            </span>
          )}
        </td>
      </tr>
      {open && !i.revokedAt && (
        <tr className="snippets-row">
          <td colSpan={5}>
            <div className="snippets" aria-label={`Set-up for ${i.name}`}>
              <div className="show-narrow small">
                <Endpoints integration={i} origin={origin} />
              </div>
              {snippets.map((s) => (
                <div key={s.title} className="snippet">
                  <div>
                    <strong>{s.title}</strong> <span className="small muted">— {s.where}</span>
                  </div>
                  <Copyable text={s.text} label={s.title} />
                </div>
              ))}
              {!fresh && <p className="small muted">The credential is not stored in a readable form; paste the one you copied at creation, or create a new integration.</p>}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
