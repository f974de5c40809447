import { Alert, App, Button, Card, Checkbox, Form, Input, List, Modal, Select, Skeleton, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { getReport, listCarrierReports, METRICS, REPORT_STATUSES, reviewReport, type CarrierReportRow, type MetricValue } from '../../api/reports';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n, type TFunc } from '../../i18n';
import { errorText, fieldMessage } from '../../lib/formErrors';
import { chinaDate, daysLate, submittedLate } from '../../lib/reportDeadline';
import { warningText } from '../../lib/reportWarnings';
import { formatDateTime, localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CarrierHeading } from './CarrierHeading';
import { moneyText, OpStatusTag, useCanOperate, useOpLabel } from './common';

const PAGE_SIZE = 20;

/** metricText shows a figure as the company entered it (money with its unit), else the plain count. */
export function metricText(m: MetricValue | undefined, money: boolean, t: TFunc): string {
  if (!m) return '—';
  if (money) return moneyText(m.entered, m.entered_unit || m.unit || 'yuan', t);
  return m.value.toLocaleString('en-US');
}

/**
 * ReportsPage is a carrier's metric-report overview for a period: who filed,
 * who is late, whose reminder is due; park staff accept or return submitted reports.
 */
export function ReportsPage() {
  const { carrierId = '' } = useParams();
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const writable = useCanOperate(carrierId);
  const [sp, setSp] = useSearchParams();
  const period = sp.get('period') ?? undefined;
  const status = sp.get('status') ?? undefined;
  const overdue = sp.get('overdue') === 'true';
  const reminders = sp.get('reminders') === 'true';
  const page = Number(sp.get('page')) || 1;
  const [reviewing, setReviewing] = useState<CarrierReportRow | null>(null);

  const { data, error, loading, reload } = useAsync(
    (signal) =>
      listCarrierReports(
        carrierId,
        { period, status, overdue: overdue || undefined, reminders: reminders || undefined, page, page_size: PAGE_SIZE },
        signal,
      ),
    [carrierId, period, status, overdue, reminders, page],
  );

  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };

  const columns: TableProps<CarrierReportRow>['columns'] = [
    {
      title: t('o.common.company'),
      key: 'company',
      render: (_: unknown, r) => <span data-testid="report-company">{localizedName(lang, r)}</span>,
    },
    { title: t('o.rep.period'), dataIndex: 'period', key: 'period', responsive: ['md'] },
    {
      title: t('o.common.status'),
      key: 'status',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <OpStatusTag kind="repStatus" status={r.status} testId="report-status" />
          {r.overdue ? (
            <Tag color="red" data-testid="report-overdue">
              {t('o.rep.overdueDays', { days: -r.due_in_days })}
            </Tag>
          ) : null}
          {submittedLate(r.submitted_at, r.due_on) ? (
            <Tag color="orange" data-testid="report-late">
              {t('o.rep.late', { days: daysLate(r.due_on, chinaDate(new Date(r.submitted_at!))) })}
            </Tag>
          ) : null}
          {r.reminder_due ? (
            <Tag color="orange" data-testid="report-reminder">
              {t('o.rep.reminderDue')}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    { title: t('o.rep.dueOn'), dataIndex: 'due_on', key: 'due_on', responsive: ['lg'] },
    { title: t('o.rep.revision'), dataIndex: 'revision', key: 'revision', responsive: ['lg'] },
    { title: t('o.app.submittedAt'), key: 'submitted_at', responsive: ['md'], render: (_: unknown, r) => formatDateTime(r.submitted_at) || '—' },
    {
      title: t('o.common.actions'),
      key: 'actions',
      render: (_: unknown, r) =>
        r.status !== 'missing' ? (
          <Button size="small" type={writable && r.status === 'submitted' ? 'primary' : 'default'} onClick={() => setReviewing(r)} data-testid="report-review">
            {writable && r.status === 'submitted' ? t('o.rep.review') : t('o.rep.view')}
          </Button>
        ) : null,
    },
  ];

  const counts = data?.counts ?? {};
  const summary = Object.entries(counts)
    .map(([k, n]) => `${label('repStatus', k)} ${n}`)
    .join(' · ');

  return (
    <Card>
      <CarrierHeading carrierId={carrierId} titleKey="o.rep.pageTitle" />
      <div className="page-toolbar">
        <Input.Search
          allowClear
          style={{ maxWidth: 220 }}
          defaultValue={period}
          key={period ?? ''}
          placeholder={t('o.rep.periodPlaceholder')}
          onSearch={(v) => update({ period: v.trim().toUpperCase() || undefined })}
          data-testid="reports-period"
          aria-label={t('o.rep.period')}
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('o.common.filterStatus')}
          value={status}
          onChange={(v?: string) => update({ status: v })}
          options={REPORT_STATUSES.map((s) => ({ value: s, label: label('repStatus', s) }))}
          data-testid="reports-status-filter"
        />
        <Checkbox checked={overdue} onChange={(e) => update({ overdue: e.target.checked ? 'true' : undefined })} data-testid="reports-overdue-filter">
          {t('o.rep.overdueOnly')}
        </Checkbox>
        <Checkbox
          checked={reminders}
          onChange={(e) => update({ reminders: e.target.checked ? 'true' : undefined })}
          data-testid="reports-reminders-filter"
        >
          {t('o.rep.remindersOnly')}
        </Checkbox>
      </div>
      {data ? (
        <Typography.Paragraph type="secondary" data-testid="reports-summary">
          {t('o.rep.period')} {data.period} · {t('o.rep.dueOn')} {data.due_on}
          {summary ? ` · ${t('o.rep.counts', { summary })}` : ''}
        </Typography.Paragraph>
      ) : null}
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<CarrierReportRow>
        data-testid="reports-table"
        rowKey={(r) => `${r.company_id}-${r.period}`}
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p) => update({ page: String(p) }),
        }}
      />
      {reviewing ? (
        <ReportReviewModal
          row={reviewing}
          canReview={writable && reviewing.status === 'submitted'}
          onClose={() => setReviewing(null)}
          onDone={() => {
            setReviewing(null);
            reload();
          }}
        />
      ) : null}
    </Card>
  );
}

/** ReportReviewModal shows a period's latest figures; a submitted report is accepted or returned with a comment. */
function ReportReviewModal({
  row,
  canReview,
  onClose,
  onDone,
}: {
  row: CarrierReportRow;
  canReview: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState<'accept' | 'return' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const report = useAsync((signal) => getReport(row.company_id, row.period, signal), [row.company_id, row.period]);
  const latest = report.data?.latest;

  const decide = async (decision: 'accept' | 'return') => {
    const comment = String(form.getFieldValue('comment') ?? '').trim();
    if (decision === 'return' && !comment) {
      form.setFields([{ name: 'comment', errors: [t('validation.required')] }]);
      return;
    }
    setSaving(decision);
    setProblem(null);
    try {
      await reviewReport(row.company_id, row.period, decision, comment);
      message.success(decision === 'accept' ? t('o.rep.accepted') : t('o.rep.returned'));
      onDone();
    } catch (e) {
      const f = e instanceof ApiError ? e.fieldError('comment') : undefined;
      if (f) form.setFields([{ name: 'comment', errors: [fieldMessage(f, t)] }]);
      else setProblem(errorText(e, t));
    } finally {
      setSaving(null);
    }
  };

  const rows = METRICS.map((m) => ({ ...m, value: latest?.metrics?.[m.key], explanation: latest?.explanations?.[m.key] }));

  return (
    <Modal
      open
      width={760}
      onCancel={onClose}
      title={t('o.rep.reviewTitle', { company: localizedName(lang, row), period: row.period })}
      footer={
        canReview
          ? [
              <Button key="cancel" onClick={onClose}>
                {t('common.cancel')}
              </Button>,
              <Button key="return" danger loading={saving === 'return'} onClick={() => decide('return')} data-testid="report-return">
                {t('o.rep.return')}
              </Button>,
              <Button key="accept" type="primary" loading={saving === 'accept'} onClick={() => decide('accept')} data-testid="report-accept">
                {t('o.rep.accept')}
              </Button>,
            ]
          : [
              <Button key="close" onClick={onClose}>
                {t('common.ok')}
              </Button>,
            ]
      }
    >
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="report-review-error" /> : null}
      {report.error ? <ErrorAlert error={report.error} onRetry={report.reload} /> : null}
      {report.loading && !report.data ? <Skeleton active /> : null}
      {report.data ? (
        <>
          <Space style={{ marginBottom: 8 }}>
            <OpStatusTag kind="repStatus" status={report.data.status} />
            <span>
              {t('o.rep.revision')} {report.data.revision}
            </span>
          </Space>
          {report.data.review_comment ? <Alert type="warning" message={report.data.review_comment} style={{ marginBottom: 8 }} /> : null}
          {latest ? (
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="report-figures"
              dataSource={rows}
              columns={[
                { title: t('o.rep.metric'), key: 'metric', render: (_: unknown, r) => label('metric', r.key) },
                { title: t('o.rep.entered'), key: 'value', render: (_: unknown, r) => metricText(r.value, r.kind === 'money', t) },
                { title: t('o.rep.explanation'), key: 'explanation', render: (_: unknown, r) => r.explanation || '' },
              ]}
            />
          ) : (
            <Alert type="info" message={t('o.rep.noFigures')} />
          )}
          {latest?.warnings?.length ? (
            <List
              size="small"
              header={t('o.rep.warnings')}
              dataSource={latest.warnings}
              renderItem={(w) => (
                <List.Item>
                  {t('common.fieldError', { field: label('metric', w.field.replace(/^metrics\./, '')), message: warningText(w, t) })}
                </List.Item>
              )}
            />
          ) : null}
          {canReview ? (
            <Form form={form} layout="vertical" style={{ marginTop: 12 }}>
              <Form.Item name="comment" label={t('o.rep.comment')} extra={t('o.rep.commentHelp')}>
                <Input.TextArea rows={2} maxLength={2000} data-testid="report-comment" />
              </Form.Item>
            </Form>
          ) : null}
        </>
      ) : null}
    </Modal>
  );
}
