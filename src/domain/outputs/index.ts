/** The pure output renderers: incident-timeline, postmortem-report, the live checklist and the follow-ups export. */
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
export {
  type ActionExport,
  type ActionExportFormat,
  type ActionExportOptions,
  type AdfDoc,
  type GithubIssueBody,
  type JiraIssueBody,
  type LinearIssueInput,
  type LinearIssueRequest,
  ACTION_EXPORT_FORMATS,
  JIRA_PRIORITIES,
  LINEAR_ISSUE_CREATE,
  LINEAR_PRIORITIES,
  TRACKER_FORMATS,
  actionExportFilename,
  exportActions,
  githubIssueBodies,
  incidentUrl,
  jiraIssueBodies,
  linearIssueRequests,
  renderActionsCsv,
  renderActionsMarkdown,
  unfiledActions,
} from './actions-export.js';
