import { runMain } from '../../main.js';

/** `firebreak serve`: the same start as `node src/main.ts`; the listening server keeps the process alive. */
export async function serve(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  await runMain({ ...env });
}
