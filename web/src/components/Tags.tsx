import { Tag } from 'antd';
import type { CarrierKind, CarrierStatus } from '../api/types';
import { isMessageKey, useI18n } from '../i18n';

const KIND_COLORS: Record<CarrierKind, string> = {
  maker_space: 'cyan',
  incubator: 'blue',
  accelerator: 'geekblue',
  science_park: 'purple',
  concept_center: 'gold',
  pilot_base: 'orange',
};

const STATUS_COLORS: Record<CarrierStatus, string> = {
  active: 'green',
  suspended: 'orange',
  closed: 'default',
};

export function useLabels() {
  const { t } = useI18n();
  const label = (prefix: string, v: string) => {
    const key = `${prefix}.${v}`;
    return isMessageKey(key) ? t(key) : v;
  };
  return {
    kind: (k: string) => label('kind', k),
    status: (s: string) => label('status', s),
    role: (r: string) => label('role', r),
  };
}

export function KindTag({ kind }: { kind: CarrierKind }) {
  const l = useLabels();
  return <Tag color={KIND_COLORS[kind] ?? 'default'}>{l.kind(kind)}</Tag>;
}

export function StatusTag({ status }: { status: CarrierStatus }) {
  const l = useLabels();
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{l.status(status)}</Tag>;
}

export function RoleTag({ role }: { role: string }) {
  const l = useLabels();
  return <Tag>{l.role(role)}</Tag>;
}
