import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Writes each file under `dir`, each by a rename so a reader (a static web server) never sees half of
 * one. Paths are `/`-separated and relative; one that would leave `dir` is refused.
 */
export async function writeFilesAtomically(dir: string, files: readonly { path: string; body: string }[]): Promise<number> {
  const root = resolve(dir);
  for (const f of files) {
    const target = resolve(join(root, ...f.path.split('/')));
    if (!target.startsWith(root + sep)) throw new Error(`refusing to write ${f.path} outside ${dir}`);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    await writeFile(temp, f.body);
    await rename(temp, target);
  }
  return files.length;
}
