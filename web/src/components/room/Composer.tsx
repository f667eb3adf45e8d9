import { useState, type FormEvent } from 'react';
import { api, LIMITS, type Act, type Incident } from '../../api/client.js';
import { useSubmit } from '../../hooks/submit.js';
import { TextArea } from '../Form.js';
import { ProblemView } from '../ProblemView.js';

type Kind = 'internal' | 'external' | 'note';
type PublicStatus = '' | 'investigating' | 'identified' | 'monitoring';

const LIFECYCLE_PUBLIC: Record<string, string> = { investigating: 'Investigating', mitigated: 'Monitoring', resolved: 'Resolved', closed: 'Resolved' };
const capital = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

const PLACEHOLDER: Record<Kind, string> = {
  internal: 'Status for responders and stakeholders: what we know, what we are doing, next update at…',
  external: 'What users see on the public status page: plain words, no internals, no blame.',
  note: 'A working note for the timeline (not an update).',
};

/** Status updates (internal or external, with a public preview) and notes; Ctrl+Enter posts. */
export function Composer({ incident, act }: { incident: Incident; act: Act }) {
  const [kind, setKind] = useState<Kind>('internal');
  const [body, setBody] = useState('');
  const [title, setTitle] = useState('');
  const [publicStatus, setPublicStatus] = useState<PublicStatus>('');
  const { busy, problem, submit } = useSubmit();
  // The public page never shows the internal title: only what an external update named it.
  const publicName = incident.updates.filter((u) => u.audience === 'external' && u.title).at(-1)?.title;

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    void submit(async () => {
      const key = { idempotencyKey: crypto.randomUUID() };
      await act(
        kind === 'note'
          ? api.addNote(incident.id, { body: text }, key)
          : api.postUpdate(
              incident.id,
              {
                audience: kind,
                body: text,
                ...(kind === 'external' && title.trim() && { title: title.trim() }),
                ...(kind === 'external' && publicStatus && { publicStatus }),
              },
              key,
            ),
      );
      setBody('');
      setTitle('');
      setPublicStatus('');
    });
  };

  return (
    <section className="panel composer" aria-label="Composer">
      <div className="tabs" role="tablist">
        {(['internal', 'external', 'note'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} className={kind === k ? 'tab on' : 'tab'} onClick={() => setKind(k)}>
            {k === 'note' ? 'Note' : `${k[0]!.toUpperCase()}${k.slice(1)} update`}
          </button>
        ))}
      </div>
      <form onSubmit={handleSubmit} aria-label="Post">
        <TextArea
          name="body"
          aria-label={kind === 'note' ? 'Note' : `${kind} update`}
          value={body}
          maxLength={LIMITS.text}
          placeholder={PLACEHOLDER[kind]}
          onChange={(e) => setBody(e.target.value)}
        />
        {kind === 'external' && (
          <div className="row">
            <input
              name="publicTitle"
              aria-label="Public name"
              value={title}
              maxLength={LIMITS.title}
              placeholder={publicName ? `Public name: ${publicName}` : 'Public name (until set: the page\'s neutral default)'}
              onChange={(e) => setTitle(e.target.value)}
            />
            <select name="publicStatus" aria-label="Public status" value={publicStatus} onChange={(e) => setPublicStatus(e.target.value as PublicStatus)}>
              <option value="">Public status: from the lifecycle</option>
              <option value="investigating">Investigating</option>
              <option value="identified">Identified</option>
              <option value="monitoring">Monitoring</option>
            </select>
            <a className="small" href="/status" target="_blank" rel="noopener noreferrer">Public page ↗</a>
          </div>
        )}
        {kind === 'external' && body.trim() && (
          <div className="preview" aria-label="Public status page preview">
            <div className="k">Preview — public status page</div>
            <div className="preview-title">
              {publicStatus ? capital(publicStatus) : (LIFECYCLE_PUBLIC[incident.status] ?? 'Investigating')} ·{' '}
              {title.trim() || publicName || 'We are investigating an issue'}
            </div>
            <p>{body}</p>
          </div>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !body.trim()}>
            {kind === 'note' ? 'Add note' : `Post ${kind} update`}
          </button>
          <span className="muted small">Ctrl+Enter posts</span>
        </div>
        <ProblemView problem={problem} />
      </form>
    </section>
  );
}
