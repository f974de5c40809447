import { Button, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { listReports, type MetricReport } from '../../api/reports';
import { companyChain } from '../../api/residencies';
import type { Company } from '../../api/companies';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/names';
import { daysLate, submittedLate } from '../../lib/reportDeadline';
import { useAsync } from '../../lib/useAsync';
import { CodeTag, CompanyShell } from './CompanyShell';
import { chinaToday, defaultReportPeriod, quarterOf, recentMonths, recentQuarters, residencyStart } from './lib';

/** ReportsPage lists the company's metric reports and opens a period to file or revise. */
export function ReportsPage() {
  return <CompanyShell section="reports">{(company) => <Reports company={company} />}</CompanyShell>;
}

function Reports({ company }: { company: Company }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [chosen, setChosen] = useState<string>();
  const { data, error, loading, reload } = useAsync(
    async (signal) => {
      const [reports, chain] = await Promise.all([
        listReports(company.id, undefined, signal),
        // The chain only sets the default period; the page works without it.
        companyChain(company.id, signal).catch(() => ({ items: [] })),
      ]);
      return { ...reports, start: residencyStart(chain.items) };
    },
    [company.id],
  );
  const reportPath = (p: string) => `/company/${company.id}/reports/${encodeURIComponent(p)}`;
  const start = data?.start;
  const done = useMemo(
    () => new Set((data?.items ?? []).filter((r) => r.status === 'submitted' || r.status === 'accepted').map((r) => r.period)),
    [data],
  );
  const period = chosen ?? defaultReportPeriod(start, done);
  const today = chinaToday();

  const options = useMemo(() => {
    const filed = (data?.items ?? []).map((r) => r.period);
    const inResidence = (q: string) => !start || q >= quarterOf(start);
    const quarters = [...new Set([defaultReportPeriod(start, done), ...recentQuarters(8).filter(inResidence), ...filed.filter((p) => p.includes('Q'))])].sort().reverse();
    const months = [...new Set([...recentMonths(12).filter((m) => !start || m >= start.slice(0, 7)), ...filed.filter((p) => !p.includes('Q'))])];
    return [
      { label: t('s.reports.quarters'), options: quarters.map((p) => ({ value: p, label: p })) },
      { label: t('s.reports.months'), options: months.map((p) => ({ value: p, label: p })) },
    ];
  }, [data, done, start, t]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Form layout="vertical" style={{ maxWidth: 480 }}>
        <Form.Item label={t('s.reports.period')} extra={t('s.reports.defaultHint')}>
          <Space.Compact style={{ width: '100%' }}>
            <Select data-testid="report-period" value={period} onChange={setChosen} options={options} style={{ width: '100%' }} />
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
        scroll={{ x: 'max-content' }}
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
            render: (_, r) => (
              <Space size={4} wrap>
                <CodeTag prefix="s.reportStatus" code={r.status} testId="report-row-status" />
                {submittedLate(r.first_submitted_at ?? r.submitted_at, r.due_on) ? (
                  <Tag color="orange" data-testid="report-row-late">
                    {t('s.reports.late')}
                  </Tag>
                ) : null}
                {!r.submitted_at && r.due_on && today > r.due_on ? (
                  <Tag color="red" data-testid="report-row-overdue">
                    {t('s.reports.overdue', { days: daysLate(r.due_on, today) })}
                  </Tag>
                ) : null}
              </Space>
            ),
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
