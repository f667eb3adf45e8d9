import { useRef, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { api, LIMITS, type Act, type BlameWarning, type Incident } from '../../api/client.js';
import { useSubmit } from '../../hooks/submit.js';
import { TextArea } from '../Form.js';
import { useModal } from '../Panel.js';
import { ProblemView } from '../ProblemView.js';

type Postmortem = NonNullable<Incident['postmortem']>;

const LIST_FIELDS = ['whys', 'contributingFactors', 'wentWell', 'wentPoorly', 'lessons'] as const;

/** The saved text a warning's `field` names (`rootCause`, `whys[2]`…), which its start/end point into. */
function fieldText(pm: Postmortem | null, field: string): string | null {
  if (!pm) return null;
  if (field === 'summary' || field === 'impact' || field === 'rootCause') return pm[field];
  const m = /^(\w+)\[(\d+)\]$/.exec(field);
  const list = LIST_FIELDS.find((f) => f === m?.[1]);
  return list ? (pm[list][Number(m![2])] ?? null) : null;
}

const AROUND = 80;

/**
 * The field's text with the phrase marked where the check found it: the text split at start/end, rendered as text
 * (no HTML is parsed), the phrase in a <mark>. Long text keeps 80 characters either side. When the saved text no
 * longer holds the phrase there (edited since), the server's excerpt stands in.
 */
function MarkedPhrase({ text, warning }: { text: string | null; warning: BlameWarning }) {
  const { start, end } = warning;
  if (text === null || start < 0 || end > text.length || text.slice(start, end).toLowerCase() !== warning.phrase.toLowerCase()) {
    return (
      <q className="marked">
        <mark>{warning.phrase}</mark> <span className="muted">in “{warning.excerpt}”</span>
      </q>
    );
  }
  const from = Math.max(0, start - AROUND);
  const to = Math.min(text.length, end + AROUND);
  return (
    <q className="marked">
      {from > 0 && '…'}
      {text.slice(from, start)}
      <mark>{text.slice(start, end)}</mark>
      {text.slice(end, to)}
      {to < text.length && '…'}
    </q>
  );
}

/** Asks why a flagged phrase may stand, then records the waiver; the warning then leaves every view. */
function WaiveDialog({ incident, warning, act, onClose }: { incident: Incident; warning: BlameWarning; act: Act; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const { busy, problem, submit } = useSubmit();
  useModal(ref);
  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    // The dialog sits in the body, but React still bubbles its submit to the postmortem form around the warning.
    e.stopPropagation();
    void submit(async () => {
      await act(api.waiveBlameWarning(incident.id, { field: warning.field, phrase: warning.phrase, reason: reason.trim() }));
      onClose();
    });
  };
  return createPortal(
    <dialog ref={ref} className="dialog" aria-label={`Waive “${warning.phrase}”`} onCancel={onClose}>
      <form className="stack" aria-label="Waive warning" onSubmit={handleSubmit}>
        <h2 className="dialog-title">
          Keep “{warning.phrase}” in {warning.field}?
        </h2>
        <p className="small">{warning.suggestion}</p>
        <label className="field wide">
          <span>Why it may stand (shown in the postmortem)</span>
          <TextArea required autoFocus maxLength={LIMITS.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <ProblemView problem={problem} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !reason.trim()}>
            Waive warning
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}

/**
 * The blameless warnings of one field as the last save answered them (`whys` matches `whys[2]` only with its index;
 * a list field takes all of its items): the phrase marked in place, the suggestion, and "Waive…" for those who act.
 */
export function BlameWarnings({
  incident,
  field,
  canWaive,
  act,
}: {
  incident: Incident;
  field: string;
  canWaive: boolean;
  act: Act;
}) {
  const [waiving, setWaiving] = useState<BlameWarning | null>(null);
  const mine = incident.postmortemWarnings.filter((w) => w.field === field || w.field.replace(/\[\d+\]$/, '') === field);
  if (mine.length === 0) return null;
  return (
    <>
      <ul className="blame" aria-label={`Blameless warnings for ${field}`}>
        {mine.map((w) => (
          <li key={`${w.field}|${w.start}|${w.phrase}`} data-field={w.field}>
            <MarkedPhrase text={fieldText(incident.postmortem, w.field)} warning={w} />
            <div className="small">{w.suggestion}</div>
            {canWaive && (
              <button type="button" className="link small" onClick={() => setWaiving(w)}>
                Waive…
              </button>
            )}
          </li>
        ))}
      </ul>
      {waiving && <WaiveDialog incident={incident} warning={waiving} act={act} onClose={() => setWaiving(null)} />}
    </>
  );
}
