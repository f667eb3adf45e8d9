import type { JsonValue } from './types.js';

/**
 * The fields a lever webhook's body template may name, as `{{incident.id}}` inside a string value.
 * A missing value (no severity yet, no release boundary) is the empty string.
 */
export const TEMPLATE_FIELDS = [
  'incident.id',
  'incident.number',
  'incident.title',
  'incident.severity',
  'incident.status',
  'incident.commander',
  'service.name',
  'lever.name',
  'lever.kind',
  'mitigation.id',
  'mitigation.rationale',
  'mitigation.decidedBy',
  'boundary.service',
  'boundary.environment',
  'boundary.version',
  'boundary.previousVersion',
  'boundary.commitSha',
  'boundary.deploy',
] as const;

export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type TemplateValues = Readonly<Record<TemplateField, string | number | null>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)\s*\}\}/g;
const KNOWN = new Set<string>(TEMPLATE_FIELDS);

/** The placeholders a template names that are not template fields (each once, in order). */
export function unknownPlaceholders(template: JsonValue): string[] {
  const found = new Set<string>();
  walkStrings(template, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) if (!KNOWN.has(m[1]!)) found.add(m[1]!);
  });
  return [...found];
}

function walkStrings(v: JsonValue, visit: (s: string) => void): void {
  if (typeof v === 'string') visit(v);
  else if (Array.isArray(v)) v.forEach((x) => walkStrings(x, visit));
  else if (v !== null && typeof v === 'object') Object.values(v).forEach((x) => walkStrings(x, visit));
}

/**
 * Fills a body template: in every string value (keys are left alone) each `{{field}}` becomes the
 * field's value as text. The result is a JSON value, so the values end up JSON-escaped when it is
 * written out; nothing in a template is evaluated.
 */
export function fillTemplate(template: JsonValue, values: TemplateValues): JsonValue {
  if (typeof template === 'string') {
    return template.replace(PLACEHOLDER, (whole, field: string) => {
      if (!KNOWN.has(field)) return whole;
      const value = values[field as TemplateField];
      return value === null ? '' : String(value);
    });
  }
  if (Array.isArray(template)) return template.map((x) => fillTemplate(x, values));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, x]) => [k, fillTemplate(x, values)]));
  }
  return template;
}
