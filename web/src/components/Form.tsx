import { useState, type FormEvent, type KeyboardEvent, type TextareaHTMLAttributes } from 'react';
import { useSubmit } from '../hooks/submit.js';
import { ProblemView } from './ProblemView.js';

/** Ctrl+Enter (⌘+Enter) in a text area submits its form. */
export function handleSubmitKeys(e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

export function TextArea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea rows={3} {...props} onKeyDown={handleSubmitKeys} />;
}

/** A select's options: each value, as its own text. */
export function Options({ values }: { values: readonly string[] }) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </>
  );
}

export type Field =
  | {
      name: string;
      label: string;
      kind?: 'text' | 'textarea' | 'url' | 'number' | 'date' | 'password';
      required?: boolean;
      maxLength?: number;
      placeholder?: string;
      initial?: string;
      wide?: boolean;
    }
  | { name: string; label: string; kind: 'select'; options: readonly string[]; initial?: string; wide?: boolean }
  | { name: string; label: string; kind: 'checkbox'; initial?: boolean; wide?: boolean };

export type Values = Record<string, string | boolean>;

const initialValues = (fields: readonly Field[]): Values =>
  Object.fromEntries(
    fields.map((f) => [
      f.name,
      f.kind === 'checkbox' ? (f.initial ?? false) : f.kind === 'select' ? (f.initial ?? f.options[0] ?? '') : (f.initial ?? ''),
    ]),
  );

/**
 * A small command form: fields in a row, a submit button, and the server's refusal shown in place.
 * `onSubmit` throws on failure; on success the form empties.
 */
export function QuickForm({
  fields,
  submit,
  onSubmit,
  name,
  keep = false,
}: {
  fields: readonly Field[];
  submit: string;
  onSubmit: (values: Values) => Promise<unknown>;
  name?: string;
  keep?: boolean;
}) {
  const [values, setValues] = useState<Values>(() => initialValues(fields));
  const { busy, problem, submit: send } = useSubmit();
  const set = (k: string, v: string | boolean) => setValues((old) => ({ ...old, [k]: v }));

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    const sent = values;
    void send(async () => {
      await onSubmit(sent);
      // Empty what was sent, but keep anything typed while the command ran.
      if (!keep) {
        const fresh = initialValues(fields);
        setValues((now) => Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v === sent[k] ? fresh[k]! : v])));
      }
    });
  };

  return (
    <form className="quick" onSubmit={handleSubmit} aria-label={name ?? submit}>
      {fields.map((f) => {
        const id = `${name ?? submit}-${f.name}`.replace(/\W+/g, '-');
        const cls = `field${f.wide || f.kind === 'textarea' ? ' wide' : ''}${f.kind === 'checkbox' ? ' check' : ''}`;
        if (f.kind === 'checkbox') {
          return (
            <label key={f.name} className={cls} htmlFor={id}>
              <input id={id} type="checkbox" checked={values[f.name] === true} onChange={(e) => set(f.name, e.target.checked)} />
              {f.label}
            </label>
          );
        }
        if (f.kind === 'select') {
          return (
            <label key={f.name} className={cls} htmlFor={id}>
              <span>{f.label}</span>
              <select id={id} value={String(values[f.name])} onChange={(e) => set(f.name, e.target.value)}>
                <Options values={f.options} />
              </select>
            </label>
          );
        }
        const common = {
          id,
          value: String(values[f.name] ?? ''),
          required: f.required,
          maxLength: f.maxLength,
          placeholder: f.placeholder,
        };
        return (
          <label key={f.name} className={cls} htmlFor={id}>
            <span>{f.label}</span>
            {f.kind === 'textarea' ? (
              <TextArea {...common} rows={2} onChange={(e) => set(f.name, e.target.value)} />
            ) : (
              <input {...common} type={f.kind ?? 'text'} onChange={(e) => set(f.name, e.target.value)} />
            )}
          </label>
        );
      })}
      <button type="submit" disabled={busy}>
        {submit}
      </button>
      <ProblemView problem={problem} />
    </form>
  );
}

/** A trimmed text value, or undefined when blank (optional body fields). */
export const opt = (v: string | boolean | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
export const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v.trim() : '');
