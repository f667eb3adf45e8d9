/** The pure output renderers: incident-timeline, postmortem-report and the live checklist. */
export {
  type TimelineEntry,
  timelineEntry,
  timelineEntries,
  renderTimelineMarkdown,
  renderTimelineCsv,
} from './timeline.js';
export {
  type PostmortemReport,
  type PostmortemStatus,
  postmortemReport,
  renderPostmortemMarkdown,
  renderPostmortemHtml,
  humanDuration,
  incidentPeople,
} from './postmortem.js';
export {
  type Checklist,
  type ChecklistItem,
  type ChecklistStep,
  type ChecklistStepKey,
  CHECKLIST_STEPS,
  incidentChecklist,
} from '../incident/checklist.js';
export { renderChecklistMarkdown } from './checklist.js';
export { type BlameWarning, type BlamelessText, blamefulLanguage } from '../postmortem/blameless.js';
export { escapeHtml, escapeMarkdown, csvCell, safeHttpUrl, formatUtc } from './escape.js';
