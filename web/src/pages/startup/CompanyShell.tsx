import { Card, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { getCompany, listMyCompanies, type Company, type MyCompany } from '../../api/companies';
import { LoadFailure } from '../../components/ErrorAlert';
import { isMessageKey, useI18n, type MessageKey } from '../../i18n';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';

export type StartupSection = 'calls' | 'applications' | 'reports' | 'ladder' | 'chain' | 'documents';
export const SECTIONS: readonly StartupSection[] = ['calls', 'applications', 'reports', 'ladder', 'chain', 'documents'];

export const sectionPath = (companyId: string, s: StartupSection) => `/company/${encodeURIComponent(companyId)}/${s}`;

/** useLabel translates a server code under a prefix ("s.appStatus", "draft"), falling back to the code. */
export function useLabel() {
  const { t } = useI18n();
  return (prefix: string, code: string) => {
    const key = `${prefix}.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
}

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'blue',
  reviewing: 'geekblue',
  admitted: 'green',
  accepted: 'green',
  rejected: 'red',
  returned: 'orange',
  withdrawn: 'default',
  claimed: 'gold',
  verified: 'green',
  expired: 'red',
  in_residence: 'green',
  graduated: 'purple',
  promoted: 'cyan',
  exited: 'default',
  proposed: 'gold',
  consented: 'blue',
  new: 'default',
  overstaying: 'red',
};

/** CodeTag shows a status code as a coloured tag with its localized name. */
export function CodeTag({ prefix, code, testId }: { prefix: string; code: string; testId?: string }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[code] ?? 'default'} data-testid={testId} data-status={code}>
      {label(prefix, code)}
    </Tag>
  );
}

/**
 * CompanyShell is the frame of every startup page: the company's name, a
 * switcher between the user's companies, and tabs to the flow's sections.
 * It loads the company and hands it to the page.
 */
export function CompanyShell({
  section,
  children,
}: {
  section: StartupSection;
  children: (company: Company) => ReactNode;
}) {
  const { companyId = '' } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const company = useAsync((signal) => getCompany(companyId, signal), [companyId]);
  // Another company only matters when the user has more than one; a failed lookup just hides the switcher.
  const mine = useAsync((signal) => listMyCompanies(signal).catch(() => ({ items: [] as MyCompany[] })), []);
  const others = (mine.data?.items ?? []).filter((m) => m.status === 'active' && m.company);

  const tabs = SECTIONS.map((s) => ({
    key: s,
    label: <span data-testid={`startup-tab-${s}`}>{t(`s.tab.${s}` as MessageKey)}</span>,
  }));

  return (
    <Card
      data-testid="startup-shell"
      title={
        <Space wrap size={[8, 4]}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="startup-company-name">
            {company.data ? localizedName(lang, company.data) : ' '}
          </Typography.Title>
        </Space>
      }
      extra={
        others.length > 1 ? (
          <Select
            data-testid="startup-company-switch"
            aria-label={t('s.switchCompany')}
            style={{ minWidth: 160, maxWidth: 260 }}
            value={companyId}
            options={others.map((m) => ({ value: m.company.id, label: localizedName(lang, m.company) }))}
            onChange={(id: string) => navigate(sectionPath(id, section))}
          />
        ) : undefined
      }
    >
      <Tabs
        activeKey={section}
        items={tabs}
        onChange={(k) => navigate(sectionPath(companyId, k as StartupSection))}
        data-testid="startup-tabs"
      />
      {company.error ? <LoadFailure error={company.error} onRetry={company.reload} /> : null}
      {company.data ? children(company.data) : null}
    </Card>
  );
}
