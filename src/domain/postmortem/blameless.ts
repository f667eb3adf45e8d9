import type { Incident, Postmortem } from '../incident/state.js';

/** One blameful phrase found in a postmortem, with a system-focused rewording hint. */
export interface BlameWarning {
  /** The field the phrase is in: `rootCause`, `whys[2]`, `contributingFactors[0]`, … */
  field: string;
  /** UTF-16 offset of the phrase in that field's text. */
  start: number;
  /** UTF-16 offset just past the phrase (exclusive): `text.slice(start, end) === phrase`. */
  end: number;
  /** The phrase with up to 40 characters either side, whitespace collapsed. */
  excerpt: string;
  /** The matched text as written (its case, apostrophes and line breaks). */
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

// Word edges that also treat identifiers as one word: `lazy-loader`, `fault_injector`, `sloppy.io` and
// `checkout-api` are names of things, not judgements, so a hyphen, dot, slash or @ joined to a letter or
// digit continues the word.
const L = String.raw`(?<![\p{L}\p{N}_\-./@#])`;
const R = String.raw`(?![\p{L}\p{N}_]|[\-./@][\p{L}\p{N}])`;
const APOS = `['’ʼ]`;
const WS = String.raw`\s+`; // any whitespace, line breaks included
const rx = (source: string) => new RegExp(source, 'giu');
const words = (...ws: string[]) => ws.join('|');

// Nouns that make "user error", "X's fault" or "lazy" technical: "the user error rate", "fault tolerance".
const ERROR_NOUNS = words(
  'rates?', 'ratios?', 'counts?', 'counters?', 'budgets?', 'pages?', 'messages?', 'codes?', 'handl(?:ing|ers?)',
  'logs?', 'logging', 'metrics?', 'paths?', 'states?', 'screens?', 'dialogs?', 'responses?', 'class(?:es)?',
  'types?', 'spikes?', 'cases?', 'boundar(?:y|ies)', 'tracking', 'report(?:s|ing)?', 'thresholds?', 'buckets?',
  'banners?', 'toasts?', 'text', 'strings?', 'copy', 'percentages?', 'signals?', 'alerts?', 'dashboards?',
  'telemetry', 'events?', 'propagation', 'views?', 'modals?', 'validation', 'flows?', 'correction', 'detection',
);
const FAULT_NOUNS = words(
  'toleran(?:t|ce)', 'injections?', 'injectors?', 'domains?', 'isolation', 'detection', 'handl(?:ing|ers?)', 'models?',
  'codes?', 'zones?', 'lines?', 'trees?', 'analysis', 'reports?', 'paths?', 'conditions?', 'modes?', 'states?',
  'counters?', 'flags?', 'signals?', 'events?', 'logs?', 'status',
);
const LAZY_TECH = words(
  'load(?:s|ed|er|ing)?', 'eval(?:uation|uated)?', 'init(?:ialisation|ialization|ialised|ialized)?',
  'instantiation', 'iterators?', 'sequences?', 'imports?', 'modules?', 'fetch(?:ing|es)?', 'bindings?',
  'deletion', 'expir(?:y|ation)', 'replication', 'migrations?', 'mode', 'values?', 'propert(?:y|ies)', 'computation',
);
// Verbs that describe a person's attention or diligence, after "failed to" and "should have".
const HUMAN_BASE = words(
  'notice', 'catch', 'spot', 'see', 'check', 'double-check', 'verify', 'test', 'follow(?:\\s+up)?', 'read', 'review',
  'escalate', 'communicate', 'reali[sz]e', 'understand', 'ask', 'confirm', 'look', 'pay\\s+attention',
);
const HUMAN_PAST = words(
  'known(?:\\s+better)?', 'noticed', 'caught', 'checked', 'double-checked', 'seen', 'reali[sz]ed', 'tested', 'asked',
  'verified', 'reviewed', 'read', 'followed(?:\\s+up)?', 'escalated', 'spotted', 'looked', 'thought', 'anticipated',
  'foreseen', 'predicted', 'understood', 'confirmed', 'waited', 'paid\\s+attention', 'listened', 'communicated',
  'been\\s+(?:more\\s+)?(?:careful|aware|vigilant|attentive|cautious|thorough)',
);

interface Rule {
  re: RegExp;
  suggestion: string;
  /** Skip a match whose clause has a system as its subject ("the TLS client failed to verify …"). */
  personOnly?: boolean;
}

/**
 * The phrase classes, in the order their warnings are listed for a field. Compiled once.
 * Where two matches overlap (`to blame` and `blame`), the longer one stands.
 */
const RULES: readonly Rule[] = [
  {
    // human error, operator errors, a user error, human-error, mistakes made by the operator
    re: rx(
      `${L}(?:human|operator|user|manual|engineer(?:ing)?|developer|admin(?:istrator)?|pilot)(?:${WS}|-)(?:error|mistake|slip)s?${R}` +
        `(?!${WS}(?:${ERROR_NOUNS})${R})` +
        `|${L}(?:errors?|mistakes?)${WS}(?:made${WS})?by${WS}(?:(?:the|an?|our)${WS})?(?:operator|human|engineer|developer|admin|on-?call)s?${R}`,
    ),
    suggestion: `"Human error" ends the inquiry too early. ${SYSTEM_GAP}`,
  },
  {
    // Bob's fault, the engineers' fault, her fault, the fault of, at fault, to blame, blame on, the blame lies with
    re: rx(
      `${L}(?:[\\p{L}\\p{N}_-]+${APOS}s|[\\p{L}\\p{N}_-]+s${APOS}|his|her|their|my|your|our)${WS}fault${R}(?!${WS}(?:${FAULT_NOUNS})${R})` +
        `|${L}fault${WS}(?:of|lies${WS}with)${R}` +
        `|${L}at${WS}fault${R}` +
        `|(?=to\\s)(?<!${L}(?:no[\\s-]*one|nobody|nothing|none|not|no-one)${WS}(?:(?:is|was|are|were|seems|appears)${WS})?)${L}to${WS}blame${R}` +
        `|(?=blame\\s)(?<!${L}(?:no|without)[\\s-]+)${L}blame${WS}(?:(?:it|this|that|is|was|lies)${WS})?(?:on|with)${R}`,
    ),
    suggestion: `Describe the conditions that allowed the failure instead of whose fault it was. ${SYSTEM_GAP}`,
  },
  {
    // should have known, should've caught, ought to have checked, should have been more careful
    re: rx(`${L}(?:should|ought${WS}to)(?:${WS}have|${APOS}ve)${WS}(?:${HUMAN_PAST})${R}`),
    suggestion:
      'Hindsight makes it look obvious. What information was missing or hard to see at the time, and how can the system surface it?',
    personOnly: true,
  },
  {
    re: rx(
      `${L}(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|incompeten(?:t|tly|ce|cy)|reckless(?:ly|ness)?` +
        `|sloppy(?!${WS}mode${R})|sloppi(?:ly|ness)|lazy(?!${WS}(?:${LAZY_TECH})${R})|lazily(?!${WS}\\p{L}+ed${R})|laziness` +
        `|stupid(?:ly|ity)?|clums(?:y|ily|iness)|inattentive|irresponsibl[ey])${R}`,
    ),
    suggestion: `Judging a person's character explains nothing. ${SYSTEM_GAP}`,
  },
  {
    // "blameless", "blame-free" and "no blame" are the culture we want, not a finding.
    re: rx(
      `(?=blam)(?<!${L}(?:no|without)[\\s-]+)(?<!${L}(?:no[\\s-]*one|nobody|nothing|none|not|no-one)${WS}(?:(?:is|was|are|were|seems|appears)${WS})?to${WS})` +
        `${L}blam(?:e|ed|es|ing|eworthy)${R}`,
    ),
    suggestion: `Replace blame with the contributing conditions. ${SYSTEM_GAP}`,
  },
  {
    // failed to notice, neglected to check, forgot to escalate — when a person, not a system, is the subject
    re: rx(`${L}(?:failed|neglected|forgot)${WS}to${WS}(?:${HUMAN_BASE})${R}`),
    suggestion: 'Ask why noticing was hard: which signal, alert or check was missing or too noisy?',
    personOnly: true,
  },
  {
    re: rx(
      `${L}(?:didn${APOS}t|did${WS}not|couldn${APOS}t${WS}be|could${WS}not${WS}be)${WS}bother(?:ed)?${R}` +
        `|${L}dropped${WS}the${WS}ball${R}|${L}(?:wasn${APOS}t|weren${APOS}t|not)${WS}paying${WS}attention${R}` +
        `|${L}asleep${WS}at${WS}the${WS}wheel${R}`,
    ),
    suggestion: `Describe what competed for attention and which safeguard was missing. ${SYSTEM_GAP}`,
  },
];

// The head of a clause's subject decides whether "failed to check" is about a person or a system.
const PERSON_WORDS = new Set(
  ('i we you he she they someone somebody anyone nobody everyone people person team teams on-call oncall on-caller ' +
    'engineer engineers operator operators reviewer reviewers developer developers dev devs author authors owner ' +
    'owners sre sres ops admin admins administrator responder responders commander lead manager human humans user ' +
    'users staff who approver approvers releaser deployer').split(' '),
);
const SYSTEM_WORDS = new Set(
  ('it this that which service server client job request process pod container node check healthcheck probe parser ' +
    'script pipeline cron cronjob daemon worker library lib tool tooling system alert alerting alarm monitor monitoring ' +
    'api endpoint database db cache queue loader controller agent proxy balancer lb build suite test ci cd bot app ' +
    'application module function handler code binary task runner scheduler replica cluster host instance sidecar ' +
    'validator linter hook webhook canary deploy deployment migration query router gateway firewall dns resolver ' +
    'certificate cert config kubelet kubernetes k8s terraform lambda compiler tls ssl socket connection driver sdk ' +
    'consumer producer listener watcher rule policy pager integration dashboard browser frontend backend mesh ' +
    'release rollout flag workflow action backup replication primary secondary leader follower shard index disk ' +
    'storage network exporter collector tracer detector checker scanner job daemonset cronjob framework library ' +
    'orm pool limiter breaker retry retries').split(' '),
);
const FILLER = /^(?:then|also|again|still|just|had|has|have|repeatedly|subsequently|later|\p{L}+ly)$/iu;
const SUBJECT_WORDS = /[\p{L}\p{N}_`'’ʼ\-./]+/gu;

/** Whether the clause before `index` has a system (not a person) as its subject. */
function systemSubject(text: string, index: number): boolean {
  const clause = text.slice(Math.max(0, index - 80), index).split(/[.;:!?()[\]]/u).pop() ?? '';
  const ws = clause.match(SUBJECT_WORDS) ?? [];
  for (let i = ws.length - 1; i >= 0; i--) {
    const w = ws[i] as string;
    if (FILLER.test(w)) continue;
    const h = w.toLowerCase().replace(/['’ʼ]s?$/u, '');
    if (PERSON_WORDS.has(h)) return false;
    if (/[`\d_./]/u.test(h) || h.includes('-')) return true; // checkout-api, db01, `worker`
    return SYSTEM_WORDS.has(h) || SYSTEM_WORDS.has(h.replace(/e?s$/u, ''));
  }
  return false;
}

// A person named as a cause: "ana pushed", "Sam Park, the on-call, deleted", "li's change", "because ana",
// "caused by li". A name as an object ("paged ana") or in a response ("ana rolled back") is not a cause.
const NAME_SUGGESTION = `Name the role, process or tool involved rather than a person as the cause. ${SYSTEM_GAP}`;
const CAUSE_VERBS = words(
  'caus(?:ed|es)', 'br(?:oke|eaks)', 'forg(?:ot|ets)', '(?:force-)?push(?:ed|es)', 'merg(?:ed|es)', 'deploy(?:ed|s)',
  'ship(?:ped|s)', 'miss(?:ed|es)', 'ignor(?:ed|es)', 'skip(?:ped|s)', 'overlook(?:ed|s)', 'misconfigur(?:ed|es)',
  'mistyp(?:ed|es)', 'fat-finger(?:ed|s)', 'delet(?:ed|es)', 'dropped', 'remov(?:ed|es)', 'disabl(?:ed|es)',
  'introduc(?:ed|es)', 'approv(?:ed|es)', 'chang(?:ed|es)', 'edit(?:ed|s)', 'modifi(?:ed|es)', 'bypass(?:ed|es)',
  'overr(?:ode|ides)', 'flip(?:ped|s)', 'toggl(?:ed|es)', 'turned\\s+off', 'rushed', 'neglect(?:ed|s)',
  'fail(?:ed|s)\\s+to', `should(?:n${APOS}t|\\s+not)?(?:\\s+have|${APOS}ve)`,
  `(?:did\\s+not|didn${APOS}t|never)\\s+(?:${HUMAN_BASE}|run|wait|update|tell|inform|know)`,
  '(?:was|is|were)\\s+(?:responsible|to\\s+blame|at\\s+fault|careless|negligent)',
  '(?:messed|screwed)\\s+up', 'ran\\s+the\\s+wrong', 'made\\s+(?:a|an|the)\\s+(?:\\p{L}+\\s+)?(?:mistake|error|typo)',
);
const POSSESSIONS = words(
  'changes?', 'mistakes?', 'errors?', 'deploy(?:s|ment)?', 'commits?', 'push(?:es)?', 'PRs?', 'pull\\s+requests?',
  'merges?', 'config(?:uration)?', 'edits?', 'scripts?', 'typos?', 'oversights?', 'fault', 'patch(?:es)?',
  'migrations?', 'query', 'command', 'code', 'diffs?', 'release', 'rollout', 'decision', 'misconfiguration',
  'negligence', 'carelessness',
);
const AFTER_NAME = new RegExp(
  `${APOS}s\\s+(?:[\\p{L}\\p{N}-]+\\s+){0,2}?(?:${POSSESSIONS})${R}` +
    `|(?:\\s*,[^,.;:!?\\n]{1,80},)?\\s+(?:(?:had|has|have|then|also|just|again|still|\\p{L}+ly)\\s+){0,3}(?:${CAUSE_VERBS})${R}` +
    `(?!\\s+(?:the|a|an)\\s+(?:fix|rollback|revert|hotfix|mitigation)${R})`,
  'yiu',
);
const BEFORE_NAME = new RegExp(
  `(?:${L}because(?:\\s+of)?|${L}due\\s+to|${L}thanks\\s+to|${L}blame[sd]?\\s+(?:it\\s+)?on` +
    `|${L}(?:caused|introduced|broken|pushed|merged|deployed|shipped|triggered|made|written|committed|authored|approved|misconfigured|deleted|changed)\\s+by)` +
    `\\s+$`,
  'iu',
);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// One compiled alternation per set of people; a save re-checks with the same people, so keep a few.
const nameCache = new Map<string, RegExp | null>();
function namesRegExp(people: readonly string[]): RegExp | null {
  const names = [...new Set(people.map((p) => p.trim()).filter((p) => p.length >= 2))].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : 1),
  );
  const key = names.join('\u0000');
  let re = nameCache.get(key);
  if (re === undefined) {
    re = names.length
      ? new RegExp(`${L}(?:${names.map((n) => escapeRegExp(n).replace(/\s+/gu, '\\s+')).join('|')})${R}`, 'giu')
      : null;
    if (nameCache.size >= 32) nameCache.delete(nameCache.keys().next().value as string);
    nameCache.set(key, re);
  }
  return re;
}

function excerpt(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 40);
  const to = Math.min(text.length, end + 40);
  const body = text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
}

/** Inline code spans (`like this`): identifiers and quoted output, never judged. */
function codeSpans(text: string): [number, number][] {
  if (!text.includes('`')) return [];
  return [...text.matchAll(/`[^`\n]+`/gu)].map((m) => [m.index, m.index + m[0].length]);
}
const inSpans = (spans: [number, number][], start: number, end: number) =>
  spans.some(([a, b]) => start < b && end > a);

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
    ...many('contributingFactors', pm.contributingFactors, true),
    ...many('wentWell', pm.wentWell),
    ...many('wentPoorly', pm.wentPoorly),
    ...many('lessons', pm.lessons),
  ];
}

interface Hit {
  rule: number;
  start: number;
  end: number;
}

/** Phrase matches in one text: overlaps resolved to the longer match, then listed by rule and position. */
function phraseHits(text: string, spans: [number, number][]): Hit[] {
  const hits: Hit[] = [];
  RULES.forEach(({ re, personOnly }, rule) => {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (inSpans(spans, start, end) || (personOnly && systemSubject(text, start))) continue;
      hits.push({ rule, start, end });
    }
  });
  if (hits.length < 2) return hits;
  // By start, longer first, then rule: a hit is dropped when an earlier one reaches as far.
  hits.sort((a, b) => a.start - b.start || b.end - a.end || a.rule - b.rule);
  const kept: Hit[] = [];
  let reach = -1;
  for (const h of hits) {
    if (h.end > reach) kept.push(h);
    reach = Math.max(reach, h.end);
  }
  return kept.sort((a, b) => a.rule - b.rule || a.start - b.start);
}

/** Where a person is named as a cause in one causal text. */
function nameHits(text: string, re: RegExp, spans: [number, number][]): { start: number; end: number }[] {
  const hits: { start: number; end: number }[] = [];
  for (const m of text.matchAll(re)) {
    const start = m.index;
    const end = start + m[0].length;
    if (inSpans(spans, start, end)) continue;
    AFTER_NAME.lastIndex = end;
    if (AFTER_NAME.test(text) || BEFORE_NAME.test(text.slice(Math.max(0, start - 40), start))) hits.push({ start, end });
  }
  return hits;
}

/**
 * Blameful phrases in any field, and people named as a cause in the causal fields (root cause, whys,
 * contributing factors): the "blame culture" anti-pattern. `people` are the incident's role holders and
 * action owners. Each match is its own warning with its position; a field lists the phrase classes in
 * order, then the people, each by position.
 */
export function blamefulLanguage(pm: BlamelessText, people: readonly string[]): BlameWarning[] {
  const nameRe = namesRegExp(people);
  const warnings: BlameWarning[] = [];
  const warn = (field: string, text: string, start: number, end: number, suggestion: string) =>
    warnings.push({ field, start, end, excerpt: excerpt(text, start, end), phrase: text.slice(start, end), suggestion });
  for (const { field, text, causal } of fieldsOf(pm)) {
    const spans = codeSpans(text);
    for (const h of phraseHits(text, spans)) warn(field, text, h.start, h.end, (RULES[h.rule] as Rule).suggestion);
    if (!causal || !nameRe) continue;
    for (const h of nameHits(text, nameRe, spans)) warn(field, text, h.start, h.end, NAME_SUGGESTION);
  }
  return warnings;
}

/** Everyone who could be named as a cause: role holders, the decision owner and action owners. */
export function incidentPeople(s: Incident): string[] {
  const { commander, responders, comms, scribe } = s.roles;
  const all = [commander, ...responders, comms, scribe, s.comms?.decisionOwner, ...s.actions.map((a) => a.owner)];
  return [...new Set(all.filter((x): x is string => typeof x === 'string' && x.trim() !== ''))];
}

/** Whether a waiver and a warning name the same thing: the same field, the phrase without regard to case. */
export const sameWarning = (a: { field: string; phrase: string }, b: { field: string; phrase: string }) =>
  a.field === b.field && a.phrase.toLowerCase() === b.phrase.toLowerCase();

/** The postmortem's warnings not waived (a waiver names the warning's field and phrase). */
export function unwaivedWarnings(s: Incident): BlameWarning[] {
  const pm = s.postmortem;
  if (!pm) return [];
  const waived = new Set((pm.waivers ?? []).map((w) => `${w.field}\u0000${w.phrase.toLowerCase()}`));
  return blamefulLanguage(pm, incidentPeople(s)).filter((w) => !waived.has(`${w.field}\u0000${w.phrase.toLowerCase()}`));
}
