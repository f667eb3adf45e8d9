import { useState } from 'react';
import { problemOf, type ProblemInfo } from '../api/client.js';

/**
 * A form's submission, one at a time: `busy` while `submit(work)` runs, and what `work` threw as `problem`
 * (cleared when the next one starts), for a ProblemView in place. `setProblem` shows the form's other failures there too.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const submit = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, submit };
}
