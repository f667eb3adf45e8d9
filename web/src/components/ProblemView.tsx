import type { ProblemInfo } from '../api/client.js';

/** An error answer: its line, every field error, and every unmet gate criterion. */
export function ProblemView({ problem }: { problem: ProblemInfo | null }) {
  if (!problem) return null;
  return (
    <div className="problem" role="alert">
      <strong>{problem.title}</strong>
      {problem.unmet.length > 0 && (
        <ul className="unmet">
          {problem.unmet.map((u) => (
            <li key={u.code + u.message} data-code={u.code}>
              {u.message}
            </li>
          ))}
        </ul>
      )}
      {problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.path + e.message}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
