// A node:test reporter that names every test file that failed before running any of its tests (a
// throw at import, a missing file): the runner counts such a file as one failed test, which hides
// that none of its tests ran.
import { relative } from 'node:path';

const firstError = (text) => text.split('\n').find((l) => /\b\w*Error\b|^\s*throw\b/.test(l))?.trim();

export default async function* loadFailures(source) {
  const stderr = new Map();
  const failed = [];
  for await (const event of source) {
    const { name, file, nesting, message } = event.data ?? {};
    if (event.type === 'test:stderr' && file) stderr.set(file, (stderr.get(file) ?? '') + message);
    if (event.type === 'test:fail' && nesting === 0 && file && name === file) failed.push(file);
  }
  if (failed.length === 0) return;
  yield `\nrun-tests: ${failed.length} test file(s) could not load, so none of their tests ran:\n`;
  for (const file of failed) {
    yield `  ${relative(process.cwd(), file)}: ${firstError(stderr.get(file) ?? '') ?? 'see its output above'}\n`;
  }
}
