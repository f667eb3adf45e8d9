import type { Kysely, Migration } from 'kysely';

/**
 * Indexes that hold a window's durations in order, so insights read the median and 90th percentile of any
 * window as an index walk to a rank (`order by … limit 2 offset k`) instead of sorting the window: one per
 * duration over the whole window, and per ISO week for the trend's medians. Each carries the columns the
 * window and the filters test, so the walk never visits the table.
 */
export const insightsOrder = (): Migration => ({
  async up(raw: Kysely<unknown>) {
    const rest = ['declared_ms', 'status', 'severity', 'change_failure', 'number'];
    for (const col of ['ttd_ms', 'tta_ms', 'ttm_ms', 'ttr_ms']) {
      await raw.schema.createIndex(`incident_facts_by_${col}`).on('incident_facts').columns([col, ...rest]).execute();
    }
    for (const col of ['tta_ms', 'ttr_ms']) {
      await raw.schema.createIndex(`incident_facts_week_${col}`).on('incident_facts').columns(['iso_week', col, ...rest]).execute();
    }
  },
});
