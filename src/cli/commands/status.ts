import { writeFilesAtomically } from '../../files.js';
import type { Context } from '../context.js';

/**
 * `status export DIR`: the public status page as static files (HTML, Statuspage JSON, feeds), for a
 * host that keeps serving them while the server is down. Shares `status` with the incident's move.
 */
export async function exportStatusPage(c: Context, dir: string): Promise<void> {
  const { files } = await c.client.statusExport();
  const written = await writeFilesAtomically(dir, files);
  c.out({ dir, files: files.map((f) => f.path) }, () => `wrote ${written} files to ${dir}`);
}
