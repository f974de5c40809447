import { Alert, App, Button, Col, Descriptions, Divider, Form, Input, Row, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { fileReport, getReport, METRICS, MONEY_UNITS, reviseReport, type MetricDef, type MetricReport, type ReportRevision, type ReportWarning } from '../../api/reports';
import type { Company } from '../../api/companies';
import { LoadFailure } from '../../components/ErrorAlert';
import { NumberInput } from '../../components/NumberInput';
import { isMessageKey, useI18n, type MessageKey } from '../../i18n';
import { errorText, labelledMessage, type FieldLabels } from '../../lib/formErrors';
import { warningText } from '../../lib/reportWarnings';

export { warningText };
import { formatDateTime } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CodeTag, CompanyShell, useLabel } from './CompanyShell';
import { DEFAULT_MONEY_UNIT, fromRevision, groupFieldErrors, isPeriod, periodEnd, toReportBody, type ReportFormValues } from './lib';

/**
 * ReportFormPage files or revises the company's metric report for a period
 * (/company/:companyId/reports/:period): every indicator, money with its unit
 * (千元 unless changed), server errors under each indicator, and the
 * plausibility warnings, each with the explanation a submission needs.
 */
export function ReportFormPage() {
  return <CompanyShell section="reports">{(company) => <ReportForm company={company} />}</CompanyShell>;
}

function ReportForm({ company }: { company: Company }) {
  const { period: raw = '' } = useParams();
  const period = raw.toUpperCase();
  const { t } = useI18n();
  const loaded = useAsync(
    async (signal) => {
      if (!isPeriod(period)) return { report: undefined as MetricReport | undefined };
      try {
        return { report: await getReport(company.id, period, signal) };
      } catch (e) {
        // Not filed yet: the form starts empty.
        if (e instanceof ApiError && e.status === 404) return { report: undefined };
        throw e;
      }
    },
    [company.id, period],
  );
  if (!isPeriod(period)) return <Alert type="error" showIcon message={t('s.report.badPeriod')} data-testid="report-bad-period" />;
  if (loaded.error) return <LoadFailure error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Spin />;
  return <ReportEditor key={period} company={company} period={period} report={loaded.data.report} reload={loaded.reload} />;
}

function ReportEditor({
  company,
  period,
  report,
  reload,
}: {
  company: Company;
  period: string;
  report?: MetricReport;
  reload: () => void;
}) {
  const { t } = useI18n();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState<'draft' | 'submit'>();
  const [formError, setFormError] = useState<string>();
  const [warnings, setWarnings] = useState<ReportWarning[]>(report?.latest?.warnings ?? []);
  /** Indicators whose explanation the server asked for on the last submit. */
  const [needExplanation, setNeedExplanation] = useState<string[]>([]);
  const [pendingErrors, setPendingErrors] = useState<{ name: string[]; errors: string[] }[]>();
  const filed = useRef(!!report);
  const initialized = useRef(false);

  useEffect(() => {
    if (initialized.current) return;
    initialized.current = true;
    form.setFieldsValue(fromRevision(report?.latest));
  }, [form, report]);

  useEffect(() => {
    if (!pendingErrors) return;
    form.setFields(pendingErrors);
    setPendingErrors(undefined);
  }, [form, pendingErrors]);

  const explanations = Form.useWatch('explanations', form) as Record<string, string | undefined> | undefined;
  const warnedFields = new Set([...warnings.map((w) => w.field), ...needExplanation]);
  const showExplanation = (key: string) => warnedFields.has(key) || !!(explanations?.[key] ?? '').trim();

  const clearErrors = () => {
    setFormError(undefined);
    form.setFields(form.getFieldsError().filter((f) => f.errors.length > 0).map((f) => ({ name: f.name, errors: [] })));
  };

  const showProblem = (e: unknown) => {
    if (!(e instanceof ApiError) || e.fields.length === 0) {
      setFormError(errorText(e, t));
      return;
    }
    // An explanation the server asks for names its warning by code; the warning
    // itself already shows above the indicator, so the field just says what to do.
    const fields = e.fields.map((f) => (f.code === 'explanation_required' ? { ...f, message: t('s.report.explanationRequired') } : f));
    const err = new ApiError(e.status, { ...e.problem, errors: fields }, e.retryAfter);
    const g = groupFieldErrors(err, ['metrics', 'explanations'], t, metricLabels);
    const known = new Set(METRICS.map((d) => d.key));
    const metrics = g.byPrefix.metrics ?? {};
    const expl = g.byPrefix.explanations ?? {};
    setNeedExplanation(Object.keys(expl).filter((k) => known.has(k)));
    // Errors with no indicator to sit under are listed above the form, named by their labels.
    const placed = (path: string) => {
      const [prefix, key] = path.replace(/\[(\w+)\]/g, '.$1').split('.');
      return (prefix === 'metrics' || prefix === 'explanations') && known.has(key);
    };
    const unplaced = err.fields.filter((f) => !placed(f.field)).map((f) => labelledMessage(f, t, metricLabels));
    // The explanation items mount once needExplanation is set; the errors go on them after that render.
    setPendingErrors([
      ...Object.entries(metrics).filter(([k]) => known.has(k)).map(([k, errors]) => ({ name: ['metrics', k], errors })),
      ...Object.entries(expl).filter(([k]) => known.has(k)).map(([k, errors]) => ({ name: ['explanations', k], errors })),
    ]);
    setFormError([e.message || t('s.common.fixErrors'), ...unplaced].join(' · '));
  };

  const metricLabels: FieldLabels = (key) => {
    const k = `s.metric.${key}`;
    if (isMessageKey(k)) return t(k);
    return key === 'period' ? t('s.reports.period') : undefined;
  };

  const save = async (submit: boolean) => {
    clearErrors();
    setBusy(submit ? 'submit' : 'draft');
    try {
      const body = toReportBody(form.getFieldsValue(true) as ReportFormValues, submit);
      const res = filed.current ? await reviseReport(company.id, period, body) : await fileReport(company.id, period, body);
      filed.current = true;
      setWarnings(res.warnings ?? res.latest?.warnings ?? []);
      setNeedExplanation([]);
      message.success(t(submit ? 's.report.submitted' : 's.report.saved', { revision: res.revision }));
      reload();
    } catch (e) {
      showProblem(e);
    } finally {
      setBusy(undefined);
    }
  };

  const metricItem = (d: MetricDef) => {
    const name = t(`s.metric.${d.key}` as MessageKey);
    const fieldWarnings = warnings.filter((w) => w.field === d.key);
    return (
      <Col xs={24} md={12} key={d.key}>
        <Form.Item label={name} data-testid={`metric-item-${d.key}`}>
          {d.kind === 'money' ? (
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name={['metrics', d.key]} noStyle>
                <NumberInput field={['metrics', d.key]} style={{ width: '100%' }} precision={0} min={d.signed ? undefined : 0} data-testid={`metric-${d.key}`} />
              </Form.Item>
              <Form.Item name={['units', d.key]} noStyle initialValue={DEFAULT_MONEY_UNIT}>
                <Select
                  data-testid={`metric-${d.key}-unit`}
                  aria-label={t('s.report.unit')}
                  style={{ width: 130 }}
                  options={MONEY_UNITS.map((u) => ({ value: u, label: label('s.unit', u) }))}
                  popupMatchSelectWidth={false}
                />
              </Form.Item>
            </Space.Compact>
          ) : (
            <Form.Item name={['metrics', d.key]} noStyle>
              <NumberInput field={['metrics', d.key]} style={{ width: '100%' }} precision={0} min={0} data-testid={`metric-${d.key}`} />
            </Form.Item>
          )}
        </Form.Item>
        {fieldWarnings.map((w) => (
          <Alert
            key={w.code}
            type="warning"
            showIcon
            style={{ marginTop: -16, marginBottom: 8 }}
            message={warningText(w, t)}
            data-testid={`warning-${d.key}`}
          />
        ))}
        {showExplanation(d.key) ? (
          <Form.Item
            name={['explanations', d.key]}
            label={`${name} · ${t('s.report.explanation')}`}
            required={warnedFields.has(d.key)}
            extra={warnedFields.has(d.key) ? t('s.report.explanationRequired') : undefined}
          >
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 6 }}
              maxLength={1000}
              placeholder={t('s.report.explanationPlaceholder')}
              data-testid={`explanation-${d.key}`}
            />
          </Form.Item>
        ) : null}
      </Col>
    );
  };

  const status = report?.status ?? 'new';
  return (
    <div data-testid="report-form">
      <Space wrap style={{ marginBottom: 8 }}>
        <Link to={`/company/${company.id}/reports`} data-testid="report-back">
          {t('s.report.back')}
        </Link>
      </Space>
      <Typography.Title level={5} data-testid="report-title">
        {t('s.report.title', { period })}
      </Typography.Title>
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('s.reports.status')}>
          <CodeTag prefix="s.reportStatus" code={status} testId="report-status" />
        </Descriptions.Item>
        <Descriptions.Item label={t('s.reports.revision')}>
          <span data-testid="report-revision">{report ? t('s.report.revision', { revision: report.revision }) : t('s.report.new')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('s.reports.periodEnd')}>
          {report?.period_end ?? periodEnd(period)}
        </Descriptions.Item>
        {report?.due_on ? (
          <Descriptions.Item label={t('s.reports.dueOn')}>{report.due_on}</Descriptions.Item>
        ) : null}
      </Descriptions>
      {report?.status === 'returned' && report.review_comment ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('s.report.returned', { comment: report.review_comment })}
          data-testid="report-returned"
        />
      ) : null}
      {warnings.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="report-warnings"
          message={t('s.report.warningsTitle')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {warnings.map((w) => (
                <li key={`${w.field}-${w.code}`}>
                  {t('common.fieldError', { field: metricLabels(w.field) ?? '', message: warningText(w, t) })}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      {formError ? <Alert type="error" showIcon style={{ marginBottom: 16 }} message={formError} data-testid="report-error" /> : null}
      <Form form={form} layout="vertical">
        <Divider orientation="left" plain>
          {t('s.report.sectionMoney')}
        </Divider>
        <Typography.Paragraph type="secondary">{t('s.report.unitHint')}</Typography.Paragraph>
        <Row gutter={16}>{METRICS.filter((d) => d.kind === 'money').map(metricItem)}</Row>
        <Divider orientation="left" plain>
          {t('s.report.sectionCounts')}
        </Divider>
        <Row gutter={16}>{METRICS.filter((d) => d.kind === 'count').map(metricItem)}</Row>
      </Form>
      <Space wrap style={{ marginTop: 8 }}>
        <Button data-testid="report-save-draft" loading={busy === 'draft'} disabled={!!busy} onClick={() => save(false)}>
          {t('s.report.saveDraft')}
        </Button>
        <Button type="primary" data-testid="report-submit" loading={busy === 'submit'} disabled={!!busy} onClick={() => save(true)}>
          {t('s.report.submit')}
        </Button>
      </Space>
      {report?.revisions?.length ? (
        <>
          <Divider orientation="left" plain>
            {t('s.report.revisions')}
          </Divider>
          <Table<ReportRevision>
            data-testid="report-revisions"
            size="small"
            rowKey="revision"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={[...report.revisions].reverse()}
            columns={[
              { key: 'rev', title: t('s.reports.revision'), render: (_, r) => t('s.report.revision', { revision: r.revision }) },
              {
                key: 'kind',
                title: t('s.reports.status'),
                render: (_, r) => (
                  <Tag color={r.submitted ? 'blue' : 'default'}>{r.submitted ? t('s.report.revSubmitted') : t('s.report.revDraft')}</Tag>
                ),
              },
              { key: 'at', title: t('s.report.revAt'), render: (_, r) => formatDateTime(r.created_at) },
              {
                key: 'warnings',
                title: t('s.report.revWarningsTitle'),
                render: (_, r) => (r.warnings?.length ? t('s.report.revWarnings', { count: r.warnings.length }) : t('s.common.none')),
              },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
