import { Button, Form, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { listReports, type MetricReport } from '../../api/reports';
import type { Company } from '../../api/companies';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CodeTag, CompanyShell } from './CompanyShell';
import { latestEndedQuarter, recentMonths, recentQuarters } from './lib';

/** ReportsPage lists the company's metric reports and opens a period to file or revise. */
export function ReportsPage() {
  return <CompanyShell section="reports">{(company) => <Reports company={company} />}</CompanyShell>;
}

function Reports({ company }: { company: Company }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [period, setPeriod] = useState(() => latestEndedQuarter());
  const { data, error, loading, reload } = useAsync((signal) => listReports(company.id, undefined, signal), [company.id]);
  const reportPath = (p: string) => `/company/${company.id}/reports/${encodeURIComponent(p)}`;

  const options = useMemo(() => {
    const filed = (data?.items ?? []).map((r) => r.period);
    const quarters = [...new Set([...recentQuarters(8), ...filed.filter((p) => p.includes('Q'))])];
    const months = [...new Set([...recentMonths(12), ...filed.filter((p) => !p.includes('Q'))])];
    return [
      { label: t('s.reports.quarters'), options: quarters.map((p) => ({ value: p, label: p })) },
      { label: t('s.reports.months'), options: months.map((p) => ({ value: p, label: p })) },
    ];
  }, [data, t]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Form layout="vertical" style={{ maxWidth: 480 }}>
        <Form.Item label={t('s.reports.period')} extra={t('s.reports.defaultHint')}>
          <Space.Compact style={{ width: '100%' }}>
            <Select data-testid="report-period" value={period} onChange={setPeriod} options={options} style={{ width: '100%' }} />
            <Button type="primary" data-testid="report-open" onClick={() => navigate(reportPath(period))}>
              {t('s.reports.open')}
            </Button>
          </Space.Compact>
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<MetricReport>
        data-testid="reports-table"
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('s.reports.empty') }}
        columns={[
          {
            key: 'period',
            title: t('s.reports.period'),
            render: (_, r) => (
              <Link to={reportPath(r.period)} data-testid="report-row-open">
                {r.period}
              </Link>
            ),
          },
          {
            key: 'status',
            title: t('s.reports.status'),
            render: (_, r) => <CodeTag prefix="s.reportStatus" code={r.status} testId="report-row-status" />,
          },
          { key: 'revision', title: t('s.reports.revision'), dataIndex: 'revision' },
          { key: 'due', title: t('s.reports.dueOn'), dataIndex: 'due_on' },
          { key: 'submitted', title: t('s.reports.submittedAt'), render: (_, r) => formatDateTime(r.submitted_at) },
          {
            key: 'comment',
            title: t('s.reports.reviewComment'),
            render: (_, r) => (r.review_comment ? <Typography.Text type="warning">{r.review_comment}</Typography.Text> : null),
          },
        ]}
      />
    </Space>
  );
}
