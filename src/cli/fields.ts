import type { Command } from 'commander';

/** What the user typed for each request field: `{ 'body.severityReason': '--reason', 'body.title': '<title>' }`. */
export type FieldFlags = Readonly<Record<string, string>>;

const declared = new WeakMap<Command, FieldFlags>();

/** Declares which flag or argument of `cmd` fills which request field, so errors speak the user's words. */
export function mapFields(cmd: Command, flags: FieldFlags): Command {
  declared.set(cmd, { ...declared.get(cmd), ...flags });
  return cmd;
}

/** The fields `cmd` declared (none when it declared nothing). */
export const fieldsOf = (cmd: Command): FieldFlags => declared.get(cmd) ?? {};

/** `body.services[2]` → `--service[2]`; an unmapped path loses its `body.` prefix. */
export function flagOfPath(path: string, fields: FieldFlags): string {
  let best = '';
  for (const key of Object.keys(fields)) {
    const whole = path === key || path.startsWith(`${key}[`) || path.startsWith(`${key}.`);
    if (whole && key.length > best.length) best = key;
  }
  if (best === '') return path.startsWith('body.') ? path.slice('body.'.length) : path;
  const rest = path.slice(best.length);
  return `${fields[best]}${rest.startsWith('.') ? ` ${rest.slice(1)}` : rest}`;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Server hints name API fields ("give alertsOverride", "noGuardrails: true"): each camelCase field
 * becomes its flag. Plain words (reason, title) are left alone: they are English too.
 */
export function withFlagNames(text: string, fields: FieldFlags): string {
  let out = text;
  for (const [path, flag] of Object.entries(fields)) {
    const name = /[A-Za-z0-9]+$/.exec(path)?.[0];
    if (!name || !/[a-z][A-Z]/.test(name)) continue;
    out = out.replace(new RegExp(`\\b${escape(name)}\\b(?::\\s*true\\b)?`, 'g'), flag);
  }
  return out;
}

/** The `status` command's gate flags: its refusals, and the next gate that `show` prints, name them. */
export const STATUS_GATE_FLAGS: FieldFlags = {
  'body.noGuardrails': '--no-guardrails',
  'body.alertsOverride': '--alerts-override',
};
