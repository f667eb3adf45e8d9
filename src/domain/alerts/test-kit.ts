import { readFileSync } from 'node:fs';
import type { NormalizedAlert } from './types.js';

export { validationErrors } from '../catalog/test-kit.js';

/** A real payload from test/fixtures (see its README), parsed. */
export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8'));

/** The alert with its prototype-free maps copied into plain objects, for deepEqual. */
export const plain = <T extends Pick<NormalizedAlert, 'labels' | 'annotations'>>(a: T) => ({
  ...a,
  labels: { ...a.labels },
  annotations: { ...a.annotations },
});

export const RECEIVED = '2026-11-26T23:47:20.000Z';
