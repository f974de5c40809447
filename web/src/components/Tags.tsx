import { Tag } from 'antd';
import type { CarrierKind, CarrierStatus } from '../api/carriers';
import { isMessageKey, useI18n } from '../i18n';
import { divisionNameZH, sectionOf } from '../lib/industry';

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
  const { t, lang } = useI18n();
  const label = (prefix: string, v: string) => {
    const key = `${prefix}.${v}`;
    return isMessageKey(key) ? t(key) : v;
  };
  return {
    kind: (k: string) => label('kind', k),
    status: (s: string) => label('status', s),
    role: (r: string) => label('role', r),
    companyRole: (r: string) => label('companyRole', r),
    membership: (s: string) => label('membership', s),
    founderType: (f: string) => label('founderType', f),
    gender: (g: string) => label('gender', g),
    /**
     * industry names a GB/T 4754 code: in Chinese by its division when it has
     * one ("I6511" → 软件和信息技术服务业), else (and in English) by its section.
     */
    industry: (code: string) => {
      const division = lang === 'zh-CN' ? divisionNameZH(code) : undefined;
      if (division) return division;
      const section = sectionOf(code);
      return section ? label('industry', section) : '';
    },
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

const MEMBERSHIP_COLORS: Record<string, string> = {
  active: 'green',
  invited: 'gold',
  left: 'default',
};

export function CompanyRoleTag({ role }: { role: string }) {
  const l = useLabels();
  return <Tag color={role === 'company_admin' ? 'blue' : 'default'}>{l.companyRole(role)}</Tag>;
}

export function MembershipTag({ status }: { status: string }) {
  const l = useLabels();
  return <Tag color={MEMBERSHIP_COLORS[status] ?? 'default'}>{l.membership(status)}</Tag>;
}

/** CompanyKey shows the USCC, or the provisional id marked as a team. */
export function CompanyKey({ company }: { company: { uscc?: string; provisional_id?: string; key?: string } }) {
  const { t } = useI18n();
  if (company.uscc) return <span className="mono">{company.uscc}</span>;
  return (
    <span>
      <Tag color="purple">{t('company.team')}</Tag>
      <span className="mono">{company.provisional_id || company.key}</span>
    </span>
  );
}

/** IndustryText shows a code with its GB/T 4754 name. */
export function IndustryText({ code }: { code: string }) {
  const l = useLabels();
  if (!code) return <>—</>;
  const name = l.industry(code);
  return (
    <span title={name}>
      <span className="mono">{code}</span>
      {name ? <span className="muted"> · {name}</span> : null}
    </span>
  );
}

/** IndustryList shows a list of GB/T 4754 codes, each with its name. */
export function IndustryList({ codes }: { codes?: readonly string[] | null }) {
  const { lang } = useI18n();
  if (!codes?.length) return <>—</>;
  const sep = lang === 'zh-CN' ? '；' : '; ';
  return (
    <span>
      {codes.map((c, i) => (
        <span key={c}>
          {i > 0 ? sep : null}
          <IndustryText code={c} />
        </span>
      ))}
    </span>
  );
}
