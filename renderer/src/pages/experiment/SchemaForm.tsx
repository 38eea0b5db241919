/**
 * A form generated from a zod object schema: numbers, enums, enum lists and nested objects, each
 * labelled with its field name and documented with the schema's `.describe()` text. The launcher
 * uses it for the experiment config, so a new config field appears in the UI without UI code.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';

type Value = unknown;
type Path = (string | number)[];

/** zod internals we read (zod 4 exposes these on schema instances). */
interface Introspect {
  constructor: { name: string };
  description?: string;
  shape?: Record<string, Introspect>;
  options?: readonly string[];
  element?: Introspect;
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  /** ZodOptional's inner schema. */
  unwrap?: () => Introspect;
}

function humanize(key: string): string {
  return key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

export function setAtPath(obj: Value, path: Path, value: Value): Value {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  const base = (obj ?? {}) as Record<string | number, Value>;
  return { ...base, [head]: setAtPath(base[head], rest, value) };
}

const parseList = (text: string) => text.split(',').map((t) => t.trim()).filter((t) => t !== '').map(Number);

/**
 * A list of numbers (the encoder's channels) as comma-separated text. The text is kept while typing
 * ("16, " is not yet a list) and replaced when the value changes from outside (another preset);
 * a bad entry becomes NaN, which the schema names.
 */
function NumberListInput({ name, value, readOnly, onChange }: { name: string; value: number[]; readOnly: boolean; onChange(v: number[]): void }) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => {
    if (parseList(text).join(',') !== value.join(',')) setText(value.join(', '));
  }, [value.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps -- only an outside change resets the text
  return <input name={name} value={text} readOnly={readOnly} onChange={(e) => { setText(e.target.value); onChange(parseList(e.target.value)); }} />;
}

function Field({ name, schema, value, path, errors, onChange, readOnly }: { name: string; schema: Introspect; value: Value; path: Path; errors: Map<string, string>; onChange(path: Path, v: Value): void; readOnly: readonly string[] }) {
  const id = path.join('.');
  const error = errors.get(id);
  const kind = schema.constructor.name;
  const label = humanize(name);
  const help = schema.description ? <small>{schema.description}</small> : null;
  const err = error ? <small className="field-error" role="alert">{error}</small> : null;

  // An optional block (the image block of vision-language experiments) is edited when present.
  if (kind === 'ZodOptional' && schema.unwrap) {
    return value === undefined ? null : <Field name={name} schema={schema.unwrap()} value={value} path={path} errors={errors} onChange={onChange} readOnly={readOnly} />;
  }
  if (kind === 'ZodArray' && schema.element?.constructor.name === 'ZodNumber') {
    return (
      <label className="schema-field" data-field={id}>
        <span className="field-label">{label}</span>
        <NumberListInput name={id} value={Array.isArray(value) ? (value as number[]) : []} readOnly={readOnly.includes(id)} onChange={(v) => onChange(path, v)} />
        {help}
        {err}
      </label>
    );
  }
  if (kind === 'ZodObject' && schema.shape) {
    return (
      <fieldset className="schema-group" data-field={id}>
        <legend>{label}</legend>
        {help}
        <div className="schema-grid">
          {Object.entries(schema.shape).map(([k, s]) => (
            <Field key={k} name={k} schema={s} value={(value as Record<string, Value>)?.[k]} path={[...path, k]} errors={errors} onChange={onChange} readOnly={readOnly} />
          ))}
        </div>
      </fieldset>
    );
  }
  if (kind === 'ZodArray' && schema.element?.options) {
    const selected = new Set((value as string[]) ?? []);
    return (
      <div className="schema-field wide" data-field={id}>
        <span className="field-label">{label}</span>
        <div className="checks">
          {schema.element.options.map((o) => (
            <label key={o} className="check">
              <input type="checkbox" name={`${id}.${o}`} checked={selected.has(o)} onChange={(e) => {
                const next = new Set(selected);
                if (e.target.checked) next.add(o);
                else next.delete(o);
                onChange(path, schema.element?.options?.filter((x) => next.has(x)));
              }} />
              {o}
            </label>
          ))}
        </div>
        {help}
        {err}
      </div>
    );
  }
  if (kind === 'ZodEnum' && schema.options) {
    return (
      <label className="schema-field" data-field={id}>
        <span className="field-label">{label}</span>
        <select name={id} value={String(value)} disabled={readOnly.includes(id)} onChange={(e) => onChange(path, e.target.value)}>
          {schema.options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
        {help}
        {err}
      </label>
    );
  }
  if (kind === 'ZodNumber') {
    return (
      <label className="schema-field" data-field={id}>
        <span className="field-label">{label}</span>
        <input name={id} type="number" value={Number.isFinite(value as number) ? String(value) : ''} step={schema.isInt ? 1 : 'any'}
          min={schema.minValue ?? undefined} max={schema.maxValue ?? undefined} readOnly={readOnly.includes(id)}
          onChange={(e) => onChange(path, e.target.value === '' ? Number.NaN : Number(e.target.value))} />
        {help}
        {err}
      </label>
    );
  }
  return (
    <label className="schema-field" data-field={id}>
      <span className="field-label">{label}</span>
      <input name={id} value={String(value ?? '')} readOnly={readOnly.includes(id)} onChange={(e) => onChange(path, e.target.value)} />
      {help}
      {err}
    </label>
  );
}

/** Renders every field of an object schema; `errors` maps dotted paths to messages. */
export function SchemaForm({ schema, value, errors, onChange, readOnly = [] }: { schema: z.ZodObject; value: Value; errors: Map<string, string>; onChange(next: Value): void; readOnly?: readonly string[] }) {
  const shape = (schema as unknown as Introspect).shape ?? {};
  return (
    <div className="schema-form">
      {Object.entries(shape).map(([k, s]) => (
        <Field key={k} name={k} schema={s} value={(value as Record<string, Value>)?.[k]} path={[k]} errors={errors} readOnly={readOnly}
          onChange={(path, v) => onChange(setAtPath(value, path, v))} />
      ))}
    </div>
  );
}
