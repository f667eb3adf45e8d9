import type { Checklist as ChecklistData } from '../../api/client.js';

/** The seven steps: done, current, and for each step not done, what is missing. */
export function Checklist({ checklist }: { checklist: ChecklistData | null }) {
  if (!checklist) return <section className="panel checklist muted">Loading checklist…</section>;
  return (
    <section className="panel checklist" aria-label="Seven-step checklist">
      <h2>Response checklist</h2>
      <ol>
        {checklist.steps.map((s) => {
          const current = s.key === checklist.current;
          return (
            <li key={s.key} className={s.done ? 'done' : current ? 'current' : 'todo'}>
              <details open={current}>
                <summary>
                  <span className="mark" aria-hidden>
                    {s.done ? '✓' : current ? '▶' : '○'}
                  </span>{' '}
                  <span className="n">{s.n}.</span> {s.title}
                  {!s.done && s.missing.length > 0 && <span className="count">{s.missing.length} missing</span>}
                  <span className="sr-only">{s.done ? ' (done)' : current ? ' (current)' : ''}</span>
                </summary>
                <ul>
                  {s.items.map((i) => (
                    <li key={i.label} className={i.done ? 'ok' : 'miss'}>
                      {i.done ? '✓' : '✗'} {i.label}
                    </li>
                  ))}
                </ul>
                {s.missing.length > 0 && (
                  <ul className="missing">
                    {s.missing.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                )}
              </details>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
