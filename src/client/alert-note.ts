import { LIMITS } from '../domain/limits.js';
import type { AlertInfo } from './types.js';

/** The note an incident declared from an inbox alert records: the alert's details as the responder saw them. */
export function alertNote(a: AlertInfo): string {
  const labels = Object.entries(a.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `Declared from alert ${a.dedupKey} (${a.source}, ${a.severity}, ${a.status}, fired ${a.occurrences}×, since ${a.startsAt}).`,
    `Summary: ${a.summary}`,
    labels && `Labels: ${labels}`,
    a.generatorURL && `Source: ${a.generatorURL}`,
  ]
    .filter(Boolean)
    .join('\n')
    .slice(0, LIMITS.text);
}
