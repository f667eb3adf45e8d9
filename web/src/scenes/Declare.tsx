import { useEffect, useState, type FormEvent } from 'react';
import {
  alertNote,
  api,
  LIMITS,
  problemOf,
  SEVERITIES,
  type AlertInfo,
  type DeclareInput,
  type ServiceSummary,
  type Severity,
  type TriageInput,
  type TriageResult,
} from '../api/client.js';
import { AlertSeverityBadge, Labels } from '../components/Alerts.js';
import { SeverityBadge } from '../components/Badges.js';
import { Options, TextArea } from '../components/Form.js';
import { ProblemView } from '../components/ProblemView.js';
import { navigate } from '../hooks/router.js';
import { useSession } from '../hooks/session.js';
import { useSubmit } from '../hooks/submit.js';

const FACTS: [keyof TriageInput, string][] = [
  ['serviceDown', 'Service is down for users'],
  ['dataLoss', 'Data is lost or corrupted'],
  ['securityBreach', 'Security breach'],
  ['majorFeatureBroken', 'A major feature is broken'],
  ['significantUserImpact', 'Many users are affected'],
  ['workaroundExists', 'A workaround exists'],
  ['cosmetic', 'Cosmetic only, no user impact'],
];

const listOf = (s: string) =>
  s
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);


export function Declare() {
  const session = useSession();
  const [catalog, setCatalog] = useState<ServiceSummary[]>([]);
  const [fromAlert, setFromAlert] = useState<AlertInfo | null>(null);
  const [noteAlert, setNoteAlert] = useState(true);
  const [title, setTitle] = useState('');
  const [impact, setImpact] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [services, setServices] = useState('');
  const [facts, setFacts] = useState<TriageInput>({});
  const [suggestion, setSuggestion] = useState<TriageResult | null>(null);
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [reason, setReason] = useState('');
  const [startedAt, setStartedAt] = useState('');
  const [commandMyself, setCommandMyself] = useState(true);
  const { busy, problem, setProblem, submit } = useSubmit();

  useEffect(() => {
    let live = true;
    api.listServices().then(
      (r) => live && setCatalog(r.items),
      () => undefined,
    );
    const alertId = new URLSearchParams(window.location.search).get('alert');
    if (alertId) {
      api.getAlert(alertId).then(
        (a) => {
          if (!live) return;
          const service = a.service ?? a.senderService;
          setFromAlert(a);
          setTitle(`[${service ?? 'unrouted'}] ${a.summary}`.slice(0, LIMITS.title));
          if (service) setServices(service);
        },
        (err: unknown) => live && setProblem(problemOf(err)),
      );
    }
    return () => {
      live = false;
    };
  }, []);

  const anyFact = Object.values(facts).some(Boolean);
  useEffect(() => {
    if (!anyFact) {
      setSuggestion(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      api.triage(facts).then(
        (r) => live && setSuggestion(r),
        () => live && setSuggestion(null),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [facts, anyFact]);

  if (!session.canAct) {
    return (
      <main className="page">
        <h1>Declare an incident</h1>
        <p>Your role ({session.role}) can read incidents but not declare them. Ask an admin for the responder role.</p>
      </main>
    );
  }

  const chosen = severity || suggestion?.severity || '';
  const overriding = severity !== '' && suggestion !== null && severity !== suggestion.severity;
  const picked = listOf(services);

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input: DeclareInput = {
      title: title.trim(),
      impact: impact.trim(),
      impactConfirmed: confirmed,
      services: picked,
      ...(anyFact && { impactFacts: facts }),
      ...(severity && { severity }),
      ...(reason.trim() && { severityReason: reason.trim() }),
      ...(startedAt && { startedAt: new Date(startedAt).toISOString() }),
      ...(commandMyself && { commander: session.username }),
    };
    void submit(async () => {
      const created = await api.declareIncident(input, { idempotencyKey: crypto.randomUUID() });
      if (fromAlert) {
        // Best effort: the incident exists either way; an alert left unlinked stays in the inbox.
        await api.attachAlert(created.id, fromAlert.id).catch(() => undefined);
        if (noteAlert) {
          await api.addNote(created.id, { body: alertNote(fromAlert) }, { idempotencyKey: crypto.randomUUID() }).catch(() => undefined);
        }
      }
      navigate(`/incidents/${created.id}`);
    });
  };

  return (
    <main className="page narrow">
      <h1>Declare an incident</h1>
      <form className="stack" onSubmit={handleSubmit} aria-label="Declare">
        {fromAlert && (
          <div className="from-alert panel" aria-label="From alert">
            <div>
              <span className="k">from alert</span> <AlertSeverityBadge severity={fromAlert.severity} />{' '}
              <strong>{fromAlert.summary}</strong>
            </div>
            <div className="small muted">
              {fromAlert.dedupKey} · {fromAlert.source} · {fromAlert.status} · fired {fromAlert.occurrences}× ·{' '}
              {fromAlert.service ? `routed to ${fromAlert.service}` : 'unrouted'}
            </div>
            <Labels labels={fromAlert.labels} />
            <label className="field check">
              <input type="checkbox" checked={noteAlert} onChange={(e) => setNoteAlert(e.target.checked)} />
              Add a note with the alert's details to the new incident's timeline
            </label>
          </div>
        )}
        <label className="field wide">
          <span>Title — what users see failing</span>
          <input
            name="title"
            required
            autoFocus
            maxLength={LIMITS.title}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Checkout fails for EU card payments"
          />
        </label>
        <label className="field wide">
          <span>Impact — what fails, for whom, since when</span>
          <TextArea
            name="impact"
            required
            maxLength={LIMITS.text}
            value={impact}
            onChange={(e) => setImpact(e.target.value)}
            placeholder="EU users get HTTP 500 on payment since ~10:05 UTC"
          />
        </label>
        <div className="row">
          <label className="field check">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            Impact confirmed (seen, not suspected)
          </label>
          <label className="field grow">
            <span>Services (comma-separated)</span>
            <input name="services" maxLength={LIMITS.text} value={services} onChange={(e) => setServices(e.target.value)} placeholder="checkout, payments-api" />
          </label>
          <label className="field">
            <span>Impact started (your local time)</span>
            <input name="startedAt" type="datetime-local" value={startedAt} onChange={(e) => setStartedAt(e.target.value)} />
          </label>
        </div>
        {catalog.length > 0 && (
          <div className="chips" role="group" aria-label="Services from the catalog">
            <span className="small muted">From the catalog:</span>
            {catalog.map((c) => {
              const on = picked.includes(c.name);
              const handleToggle = () => setServices((on ? picked.filter((x) => x !== c.name) : [...picked, c.name]).join(', '));
              return (
                <button
                  key={c.name}
                  type="button"
                  className={`chip${on ? ' on' : ''}`}
                  aria-pressed={on}
                  title={`${c.title} · tier ${c.tier} · owner ${c.owner}${c.onCallNow ? ` · on call ${c.onCallNow}` : ''}`}
                  onClick={handleToggle}
                >
                  {c.name}
                  <span className="small muted"> T{c.tier}</span>
                </button>
              );
            })}
          </div>
        )}

        <fieldset className="triage">
          <legend>Triage by current user impact — not by how scary the cause sounds</legend>
          <div className="facts">
            {FACTS.map(([key, label]) => (
              <label key={key} className="field check">
                <input
                  type="checkbox"
                  name={key}
                  checked={facts[key] === true}
                  onChange={(e) => setFacts({ ...facts, [key]: e.target.checked })}
                />
                {label}
              </label>
            ))}
          </div>
          <div className="suggestion" aria-live="polite">
            {suggestion ? (
              <>
                Suggested <SeverityBadge severity={suggestion.severity} />
                <ul>
                  {suggestion.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </>
            ) : (
              <span className="muted">Tick the facts you know; the suggestion and its reasons appear here.</span>
            )}
          </div>
          <div className="row">
            <label className="field">
              <span>Severity</span>
              <select name="severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
                <option value="">{suggestion ? `as suggested (${suggestion.severity})` : 'not yet'}</option>
                <Options values={SEVERITIES} />
              </select>
            </label>
            <label className="field grow">
              <span>Reason {overriding || (severity && !suggestion) ? '(required)' : '(optional)'}</span>
              <input
                name="severityReason"
                required={overriding || (severity !== '' && !suggestion)}
                maxLength={LIMITS.reason}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </label>
          </div>
        </fieldset>

        <label className="field check">
          <input type="checkbox" checked={commandMyself} onChange={(e) => setCommandMyself(e.target.checked)} />
          I am the incident commander ({session.username})
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Declaring…' : `Declare${chosen ? ` ${chosen}` : ''}`}
          </button>
          <span className="muted small">Ctrl+Enter in a text box declares.</span>
        </div>
        <ProblemView problem={problem} />
      </form>
    </main>
  );
}
