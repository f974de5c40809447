import { Tag, type FormInstance } from 'antd';
import { ApiError, type FieldError } from '../../api/client';
import type { Assignment } from '../../api/auth';
import { carriersOf, isPlatformAdmin } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { isMessageKey, useI18n, type MessageKey, type TFunc } from '../../i18n';
import { fieldMessage, labelledMessage, type FieldLabels } from '../../lib/formErrors';
import { labelFromKey } from '../../lib/labelKeys';

/**
 * canOperate: who may change a carrier's intake, residents and reports from
 * the console — its park staff (and a platform admin). District roles read
 * only; the server decides in the end.
 */
export function canOperate(as: readonly Assignment[], carrierId: string | undefined): boolean {
  if (!carrierId) return false;
  return isPlatformAdmin(as) || carriersOf(as).some((c) => c.id === carrierId);
}

export function useCanOperate(carrierId: string | undefined): boolean {
  const { me } = useSession();
  return canOperate(me?.assignments ?? [], carrierId);
}

/**
 * useOpLabel translates an enum value under an "o." prefix; a key that spells
 * a label (a review dimension named in Chinese) reads as that label, and only
 * an unknown value shows as it is.
 */
export function useOpLabel() {
  const { t } = useI18n();
  return (prefix: string, v: string | undefined | null): string => {
    if (!v) return '';
    const key = `o.${prefix}.${v}`;
    return isMessageKey(key) ? t(key) : labelFromKey(v) ?? v;
  };
}

const COLORS: Record<string, string> = {
  draft: 'default',
  open: 'green',
  closed: 'default',
  submitted: 'blue',
  reviewing: 'processing',
  admitted: 'green',
  rejected: 'red',
  withdrawn: 'default',
  in_residence: 'green',
  graduated: 'gold',
  exited: 'default',
  promoted: 'purple',
  missing: 'red',
  accepted: 'green',
  returned: 'orange',
  proposed: 'blue',
  consented: 'cyan',
};

/** OpStatusTag shows a status of one of the flow's enums ("callStatus", "appStatus", ...). */
export function OpStatusTag({ kind, status, testId }: { kind: string; status: string; testId?: string }) {
  const label = useOpLabel();
  return (
    <Tag color={COLORS[status] ?? 'default'} data-testid={testId}>
      {label(kind, status)}
    </Tag>
  );
}

/** moneyText shows an amount with its unit: 1,200 千元. */
export function moneyText(amount: number, unit: string | undefined, t: TFunc): string {
  const u = unit === 'thousand_yuan' ? t('o.unit.thousand_yuan') : unit === 'yuan' ? t('o.unit.yuan') : unit ?? '';
  return `${amount.toLocaleString('en-US')} ${u}`.trim();
}

/**
 * namePathOf turns a server field path ("questions.0.key", "materials.1") into
 * an antd name path; list-valued fields (a Select of strings) keep only their name.
 */
export function namePathOf(field: string, lists: readonly string[] = []): (string | number)[] {
  const parts = field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (parts.length > 1 && lists.includes(String(parts[0]))) return [parts[0]];
  return parts;
}

/**
 * applyNestedErrors places problem+json field errors on an antd form, nested
 * paths included; it returns the messages of fields the form does not show.
 * `known` are the top-level names the form has, `lists` those whose items are
 * plain values in one control.
 */
export function applyNestedErrors(
  form: FormInstance,
  err: ApiError,
  known: readonly string[],
  t: TFunc,
  lists: readonly string[] = [],
  labels?: FieldLabels,
): string[] {
  const byPath = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unplaced: string[] = [];
  for (const f of err.fields) {
    const name = namePathOf(f.field, lists);
    if (!known.includes(String(name[0]))) {
      unplaced.push(labelledMessage(f, t, labels));
      continue;
    }
    const msg = fieldMessage(f, t, labels);
    const k = JSON.stringify(name);
    const entry = byPath.get(k) ?? { name, errors: [] };
    entry.errors.push(msg);
    byPath.set(k, entry);
  }
  form.setFields([...byPath.values()].map((e) => ({ name: e.name, errors: e.errors })));
  return unplaced;
}

/** idErrors reads a bulk decision's per-id failures ("ids.<id>") into a map. */
export function idErrors(err: ApiError): Record<string, FieldError[]> {
  const out: Record<string, FieldError[]> = {};
  for (const f of err.fields) {
    const m = /^ids\.(.+)$/.exec(f.field);
    if (m) (out[m[1]] ??= []).push(f);
  }
  return out;
}

/** todayISO is the local date as YYYY-MM-DD. */
export function todayISO(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export type { MessageKey };
