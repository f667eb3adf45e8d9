import type { ActionItem } from '../incident/state.js';
import type { PostmortemState, Severity, Status } from '../incident/types.js';

/** A postmortem's state in lists: `missing` for a resolved incident recorded before drafts were made. */
export type PostmortemListState = PostmortemState | 'missing';

/** One incident's postmortem as `GET /api/v1/postmortems` answers it. */
export interface PostmortemItem {
  /** `INC-<n>`. */
  incident: string;
  number: number;
  title: string;
  severity: Severity | null;
  status: Status;
  state: PostmortemListState;
  author: string | null;
  reviewers: string[];
  resolvedAt: string | null;
  dueAt: string | null;
  publishedAt: string | null;
  /** Due time passed, not published, incident not closed or cancelled. */
  overdue: boolean;
}

/** One action item with its incident, as `GET /api/v1/actions` answers it. */
export interface ActionItemRow extends ActionItem {
  /** `INC-<n>`. */
  incident: string;
  incidentTitle: string;
  incidentStatus: Status;
  /** Past due and not done. */
  overdue: boolean;
}

/** `GET /api/v1/postmortems` filters: `state` a comma list of PostmortemListState. */
export interface PostmortemQuery {
  state?: string;
  overdue?: 'true' | 'false';
  before?: number;
  limit?: number;
}

/** `GET /api/v1/actions` filters: `state` and `kind` comma lists; `cursor` the previous page's `nextCursor`. */
export interface ActionQuery {
  owner?: string;
  state?: string;
  kind?: string;
  incident?: string;
  overdue?: 'true' | 'false';
  cursor?: string;
  limit?: number;
}
