import type { Checklist } from '../incident/checklist.js';
import type { Incident } from '../incident/state.js';
import { type Block, list, p, pathLink, renderMarkdownDoc, type Section } from './document.js';
import { formatUtc } from './escape.js';

/** The live seven-step checklist as Markdown task lists, with the next gate's unmet criteria. */
export function renderChecklistMarkdown(incident: Incident, checklist: Checklist): string {
  const facts = [
    `Status: ${incident.status}`,
    `Severity: ${incident.severity ?? 'not set'}`,
    ...(checklist.postmortemDueAt ? [`Postmortem due: ${formatUtc(checklist.postmortemDueAt)}`] : []),
  ];
  const steps: Section[] = checklist.steps.map((s) => {
    const mark = s.done ? ' ✓' : s.key === checklist.current ? ' (current)' : '';
    const blocks: Block[] = [{ kind: 'tasks', items: s.items }];
    if (s.missing.length) blocks.push(p('Missing:'), list(s.missing));
    return { title: `${s.n}. ${s.title}${mark}`, blocks };
  });
  const gate = checklist.nextGate;
  const next: Section[] = gate
    ? [
        {
          title: `Next gate: ${gate.to}`,
          blocks: [
            gate.unmet.length ? list(gate.unmet.map((u) => u.message)) : p(`Every criterion for ${gate.to} is met.`),
          ],
        },
      ]
    : [];
  const playbooks: Section[] = checklist.playbooks.length
    ? [
        {
          title: 'Service playbooks',
          blocks: [
            list(checklist.playbooks.map((l) => [pathLink(l.url, l.service), ' (', pathLink(l.markdown, 'Markdown'), ')'])),
          ],
        },
      ]
    : [];
  return renderMarkdownDoc({
    title: `${incident.id} — ${incident.title}: response checklist`,
    sections: [{ blocks: [p(facts.join(' · '))] }, ...playbooks, ...steps, ...next],
  });
}
