import type { FormInstance } from 'antd';
import { ApiError, topLevelField, type FieldError } from '../api/client';
import { getLanguage, isMessageKey, type TFunc } from '../i18n';

/**
 * FieldLabels names a field key ("employees_total", "team_size") as the form
 * shows it ("从业人员", "团队人数"): a map or a function; undefined for a key
 * it does not know. Server field errors carry keys, in their path and in
 * their params ({other: "employees_total"}); the console shows labels.
 */
export type FieldLabels = Readonly<Record<string, string>> | ((key: string) => string | undefined);

function lookup(labels: FieldLabels | undefined, key: string): string | undefined {
  if (!labels || !key) return undefined;
  if (typeof labels === 'function') return labels(key);
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/**
 * fieldLabel names a field path: the whole path when the labels know it, else
 * its last named segment ("metrics.exports.unit" → exports' label,
 * "answers[2]" → answers'), else undefined: a key is never shown.
 */
export function fieldLabel(path: string, labels: FieldLabels | undefined): string | undefined {
  const whole = lookup(labels, path);
  if (whole) return whole;
  const parts = path.replace(/^\//, '').replace(/\//g, '.').replace(/\[(\w+)\]/g, '.$1').split('.').filter((p) => p && !/^\d+$/.test(p));
  for (let i = parts.length - 1; i >= 0; i--) {
    const l = lookup(labels, parts[i]);
    if (l) return l;
  }
  return undefined;
}

/** quoteLabel marks a field's name inside a sentence: 「团队人数」 or “Team size”. */
export function quoteLabel(label: string, t: TFunc): string {
  return t('common.quoted', { text: label });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * fieldMessage prefers the server's localized message, then our own text for
 * the code; a param that names another field ("不能大于 employees_total（4）")
 * is replaced by that field's label (不能大于「从业人员」（4）).
 */
export function fieldMessage(f: FieldError, t: TFunc, labels?: FieldLabels): string {
  const named: [string, string][] = [];
  for (const v of Object.values(f.params ?? {})) {
    if (typeof v !== 'string' || !/^[a-z][a-z0-9_.]*$/.test(v)) continue;
    const l = fieldLabel(v, labels);
    if (l) named.push([v, quoteLabel(l, t)]);
  }
  let msg: string;
  if (f.message) {
    msg = f.message;
    for (const [key, quoted] of named) msg = msg.replace(new RegExp(`(^|[^\\w.])${escapeRe(key)}(?![\\w.])`, 'g'), `$1${quoted}`);
  } else {
    const key = `validation.${f.code}`;
    if (isMessageKey(key)) {
      const params: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(f.params ?? {})) params[k] = String(v);
      for (const [k, v] of Object.entries(f.params ?? {})) {
        const hit = named.find(([raw]) => raw === v);
        if (hit) params[k] = hit[1];
      }
      msg = t(key, params);
    } else {
      msg = t('validation.invalid');
    }
  }
  // Chinese brackets carry their own spacing: "不能大于 「从业人员」" reads badly.
  if (getLanguage() === 'zh-CN') msg = msg.replace(/\s*「/g, '「').replace(/」\s*/g, '」');
  return msg;
}

/**
 * labelledMessage is a field error shown away from its field: prefixed by
 * the field's label (「团队人数」：此项为必填项), or alone when the field has
 * no label the console knows.
 */
export function labelledMessage(f: FieldError, t: TFunc, labels?: FieldLabels): string {
  const msg = fieldMessage(f, t, labels);
  const label = fieldLabel(f.field, labels);
  return label ? t('common.fieldError', { field: label, message: msg }) : msg;
}

export interface MappedErrors {
  /** Errors placed on form items, by top-level field name. */
  fields: Record<string, string[]>;
  /** Errors whose field has no form item; show them above the form. */
  unplaced: string[];
}

/**
 * mapFieldErrors groups problem+json field errors by the form item they belong to.
 * Nested paths (`focus_industries[1]`) land on their top-level item; the rest
 * are named by their labels.
 */
export function mapFieldErrors(err: ApiError, known: readonly string[], t: TFunc, labels?: FieldLabels): MappedErrors {
  const out: MappedErrors = { fields: {}, unplaced: [] };
  for (const f of err.fields) {
    const name = topLevelField(f.field);
    if (known.includes(name)) (out.fields[name] ??= []).push(fieldMessage(f, t, labels));
    else out.unplaced.push(labelledMessage(f, t, labels));
  }
  return out;
}

/** applyProblemToForm puts field errors on the antd form and returns what could not be placed. */
export function applyProblemToForm(
  form: FormInstance,
  err: ApiError,
  known: readonly string[],
  t: TFunc,
  labels?: FieldLabels,
): string[] {
  const mapped = mapFieldErrors(err, known, t, labels);
  form.setFields(Object.entries(mapped.fields).map(([name, errors]) => ({ name, errors })));
  return mapped.unplaced;
}

/** errorText gives a one-line message for any thrown value. */
export function errorText(e: unknown, t: TFunc): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('error.network');
    if (e.status === 429) {
      const base = e.problem.detail || e.problem.title || t('error.tooMany');
      return e.retryAfter !== undefined ? `${base} (${t('error.retryAfter', { seconds: e.retryAfter })})` : base;
    }
    if (e.problem.detail || e.problem.title) return e.message;
    if (e.status === 404) return t('error.notFound');
    if (e.status === 403) return t('error.forbidden');
    return t('error.generic', { status: e.status });
  }
  return e instanceof Error ? e.message : String(e);
}
