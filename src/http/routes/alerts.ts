import type { Routes } from '../context.js';

/** Placeholder: filled in by the work in progress on this route group. */
export const alertRoutes: Routes = () => async () => {};
