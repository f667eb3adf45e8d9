import type { Incident, Postmortem } from '../incident/state.js';

/** One blameful phrase found in a postmortem, with a system-focused rewording hint. */
export interface BlameWarning {
  field: string;
  excerpt: string;
  phrase: string;
  suggestion: string;
}

/** The free-text fields of a postmortem that the check reads. */
export type BlamelessText = Partial<
  Pick<
    Postmortem,
    'summary' | 'impact' | 'rootCause' | 'whys' | 'contributingFactors' | 'wentWell' | 'wentPoorly' | 'lessons'
  >
>;

const SYSTEM_GAP = 'What made this action possible or likely? Describe the process or tooling gap.';

const RULES: readonly { re: RegExp; suggestion: string }[] = [
  {
    re: /\b(?:human|operator|manual) (?:error|mistake)s?\b/giu,
    suggestion: `"Human error" ends the inquiry too early. ${SYSTEM_GAP}`,
  },
  {
    re: /\b(?:[\p{L}\p{N}_-]+(?:['’]s|s['’])|(?:his|her|their|my|your|our)) fault\b|\bfault of\b|\bat fault\b/giu,
    suggestion: `Describe the conditions that allowed the failure instead of whose fault it was. ${SYSTEM_GAP}`,
  },
  {
    re: /\b(?:should|ought to)(?: have|['’]ve) (?:known|noticed|caught|checked|seen|reali[sz]ed|tested|asked|double-checked)\b/giu,
    suggestion:
      'Hindsight makes it look obvious. What information was missing or hard to see at the time, and how can the system surface it?',
  },
  {
    re: /\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|incompeten(?:t|ce)|reckless(?:ly|ness)?|sloppy|lazy|laziness|stupid(?:ity)?)\b/giu,
    suggestion: `Judging a person's character explains nothing. ${SYSTEM_GAP}`,
  },
  {
    // "blameless", "blame-free" and "no blame" are the culture we want, not a finding.
    re: /(?<!\b(?:no|without) )\bblam(?:e|ed|es|ing|eworthy)\b(?!-free)/giu,
    suggestion: `Replace blame with the contributing conditions. ${SYSTEM_GAP}`,
  },
  {
    re: /\bfailed to (?:notice|catch|spot|see|check|verify|test|follow|read|review|escalate)\b/giu,
    suggestion: 'Ask why noticing was hard: which signal, alert or check was missing or too noisy?',
  },
  {
    re: /\b(?:didn['’]t|did not|couldn['’]t be|could not be) bother(?:ed)?\b|\bdropped the ball\b|\b(?:wasn['’]t|weren['’]t|not) paying attention\b/giu,
    suggestion: `Describe what competed for attention and which safeguard was missing. ${SYSTEM_GAP}`,
  },
];

const NAME_SUGGESTION =
  'Name the role, process or tool involved rather than a person as the cause. What made this action possible or likely? Describe the process or tooling gap.';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function excerpt(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 40);
  const to = Math.min(text.length, end + 40);
  const body = text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
}

function fieldsOf(pm: BlamelessText): { field: string; text: string; causal: boolean }[] {
  const one = (field: keyof BlamelessText, text: string | undefined, causal = false) =>
    text ? [{ field, text, causal }] : [];
  const many = (field: keyof BlamelessText, items: string[] | undefined, causal = false) =>
    (items ?? []).map((text, i) => ({ field: `${field}[${i}]`, text, causal }));
  return [
    ...one('summary', pm.summary),
    ...one('impact', pm.impact),
    ...many('whys', pm.whys, true),
    ...one('rootCause', pm.rootCause, true),
    ...many('contributingFactors', pm.contributingFactors),
    ...many('wentWell', pm.wentWell),
    ...many('wentPoorly', pm.wentPoorly),
    ...many('lessons', pm.lessons),
  ];
}

/**
 * Blameful phrases in any field, and people named in the causal fields (root cause, whys),
 * The "blame culture" anti-pattern. `people` are the incident's role holders and action owners.
 */
export function blamefulLanguage(pm: BlamelessText, people: readonly string[]): BlameWarning[] {
  const names = [...new Set(people.map((p) => p.trim()).filter((p) => p.length >= 2))];
  const nameRes = names.map((name) => ({
    name,
    re: new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'giu'),
  }));
  const warnings: BlameWarning[] = [];
  for (const { field, text, causal } of fieldsOf(pm)) {
    for (const { re, suggestion } of RULES) {
      for (const m of text.matchAll(re)) {
        warnings.push({ field, excerpt: excerpt(text, m.index, m.index + m[0].length), phrase: m[0], suggestion });
      }
    }
    if (!causal) continue;
    for (const { name, re } of nameRes) {
      const m = re.exec(text);
      re.lastIndex = 0;
      if (m) {
        warnings.push({
          field,
          excerpt: excerpt(text, m.index, m.index + m[0].length),
          phrase: name,
          suggestion: NAME_SUGGESTION,
        });
      }
    }
  }
  return warnings;
}

/** Everyone who could be named as a cause: role holders, the decision owner and action owners. */
export function incidentPeople(s: Incident): string[] {
  const { commander, responders, comms, scribe } = s.roles;
  const all = [commander, ...responders, comms, scribe, s.comms?.decisionOwner, ...s.actions.map((a) => a.owner)];
  return [...new Set(all.filter((x): x is string => typeof x === 'string' && x.trim() !== ''))];
}

/** The postmortem's warnings not waived (a waiver names the warning's field and phrase). */
export function unwaivedWarnings(s: Incident): BlameWarning[] {
  const pm = s.postmortem;
  if (!pm) return [];
  const waived = new Set((pm.waivers ?? []).map((w) => `${w.field}\u0000${w.phrase.toLowerCase()}`));
  return blamefulLanguage(pm, incidentPeople(s)).filter((w) => !waived.has(`${w.field}\u0000${w.phrase.toLowerCase()}`));
}
