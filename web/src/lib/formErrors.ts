import type { FormInstance } from 'antd';
import { ApiError, topLevelField, type FieldError } from '../api/client';
import { isMessageKey, type TFunc } from '../i18n';

/** fieldMessage prefers the server's localized message, then our own text for the code. */
export function fieldMessage(f: FieldError, t: TFunc): string {
  if (f.message) return f.message;
  const key = `validation.${f.code}`;
  if (isMessageKey(key)) {
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(f.params ?? {})) params[k] = String(v);
    return t(key, params);
  }
  return t('validation.invalid');
}

export interface MappedErrors {
  /** Errors placed on form items, by top-level field name. */
  fields: Record<string, string[]>;
  /** Errors whose field has no form item; show them above the form. */
  unplaced: string[];
}

/**
 * mapFieldErrors groups problem+json field errors by the form item they belong to.
 * Nested paths (`focus_industries[1]`) land on their top-level item.
 */
export function mapFieldErrors(err: ApiError, known: readonly string[], t: TFunc): MappedErrors {
  const out: MappedErrors = { fields: {}, unplaced: [] };
  for (const f of err.fields) {
    const name = topLevelField(f.field);
    const msg = fieldMessage(f, t);
    if (known.includes(name)) (out.fields[name] ??= []).push(msg);
    else out.unplaced.push(f.field ? `${f.field}: ${msg}` : msg);
  }
  return out;
}

/** applyProblemToForm puts field errors on the antd form and returns what could not be placed. */
export function applyProblemToForm(
  form: FormInstance,
  err: ApiError,
  known: readonly string[],
  t: TFunc,
): string[] {
  const mapped = mapFieldErrors(err, known, t);
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
