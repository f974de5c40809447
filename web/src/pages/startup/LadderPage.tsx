import { Alert, App, Button, Col, Divider, Form, Input, Row, Select, Space, Steps, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { ApiError } from '../../api/client';
import { CERTIFICATE_STEPS, LADDER_STEPS, listLadder, recordLadderStep, type LadderEntry, type LadderInput } from '../../api/ladder';
import type { Company } from '../../api/companies';
import { listCompanyDocuments, listDocumentTypes, type Document } from '../../api/documents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DocumentPicker, isLiveDocument } from '../../components/FileAnswer';
import { useI18n } from '../../i18n';
import { applyProblemToForm, errorText } from '../../lib/formErrors';
import { useAsync } from '../../lib/useAsync';
import { CodeTag, CompanyShell, useLabel } from './CompanyShell';
import { chinaToday } from './lib';

const LADDER_FIELDS = ['step', 'certificate_no', 'date', 'expiry', 'evidence_document_id'] as const;

/** ladderSummary gives, per step, its latest record (steps without one are absent). */
export function ladderSummary(entries: readonly LadderEntry[]): Map<string, LadderEntry> {
  const out = new Map<string, LadderEntry>();
  for (const e of entries) {
    const prev = out.get(e.step);
    if (!prev || e.date > prev.date || (e.date === prev.date && e.recorded_at > prev.recorded_at)) out.set(e.step, e);
  }
  return out;
}

/** LadderPage shows the company's cultivation ladder and records a step. */
export function LadderPage() {
  return <CompanyShell section="ladder">{(company) => <Ladder company={company} />}</CompanyShell>;
}

function Ladder({ company }: { company: Company }) {
  const { t } = useI18n();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<Partial<LadderInput>>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string>();
  const { data, error, loading, reload } = useAsync((signal) => listLadder(company.id, signal), [company.id]);
  const entries = data?.items ?? [];
  const latest = ladderSummary(entries);
  const topRank = entries.reduce((m, e) => Math.max(m, e.step_rank || LADDER_STEPS.indexOf(e.step as never) + 1), 0);
  const step = Form.useWatch('step', form);
  // Evidence is one of the company's documents (or a new upload).
  const docTypes = useAsync(
    async (signal) => (await listDocumentTypes(company.region_id, signal).catch(() => undefined))?.items,
    [company.region_id],
  );
  const companyDocs = useAsync((signal) => listCompanyDocuments(company.id, { page_size: 100 }, signal), [company.id]);
  const [uploadedDocs, setUploadedDocs] = useState<Document[]>([]);
  const documents = useMemo(() => {
    if (!companyDocs.data && uploadedDocs.length === 0) return undefined;
    const listed = companyDocs.data?.items ?? [];
    return [...uploadedDocs.filter((d) => !listed.some((x) => x.id === d.id)), ...listed].filter(isLiveDocument);
  }, [companyDocs.data, uploadedDocs]);

  const record = async (v: Partial<LadderInput>) => {
    setSaving(true);
    setFormError(undefined);
    const body: LadderInput = {
      step: v.step ?? '',
      certificate_no: (v.certificate_no ?? '').trim(),
      date: v.date ?? '',
      expiry: v.expiry ?? '',
      evidence_document_id: (v.evidence_document_id ?? '').trim(),
    };
    try {
      const e = await recordLadderStep(company.id, body);
      message.success(t('s.ladder.recorded', { step: label('s.ladderStep', e.step) }));
      form.resetFields();
      reload();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const unplaced = applyProblemToForm(form, e, LADDER_FIELDS, t);
        setFormError([e.message, ...unplaced].join(' · '));
      } else setFormError(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('s.ladder.hint')}
      </Typography.Paragraph>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Steps
        direction="vertical"
        size="small"
        data-testid="ladder-steps"
        current={Math.max(0, topRank - 1)}
        items={LADDER_STEPS.map((s, i) => {
          const e = latest.get(s);
          const state = e ? (e.expired ? 'expired' : e.status) : 'notReached';
          return {
            title: <span data-testid={`ladder-step-${s}`}>{label('s.ladderStep', s)}</span>,
            status: e ? (e.expired ? 'error' : i + 1 === topRank ? 'process' : 'finish') : 'wait',
            description: (
              <Space wrap size={[8, 0]}>
                <CodeTag prefix="s.ladderStatus" code={state} testId={`ladder-step-${s}-status`} />
                {e ? <span>{t('s.ladder.latest', { date: e.date })}</span> : null}
                {e?.certificate_no ? <span>{e.certificate_no}</span> : null}
                {e?.expiry ? (
                  <span>
                    {t('s.ladder.expiry')}{t('common.colon')}{e.expiry}
                  </span>
                ) : null}
              </Space>
            ),
          };
        })}
      />
      <Divider orientation="left" plain>
        {t('s.ladder.records')}
      </Divider>
      <Table<LadderEntry>
        data-testid="ladder-table"
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={[...entries].reverse()}
        locale={{ emptyText: t('s.ladder.empty') }}
        columns={[
          { key: 'step', title: t('s.ladder.step'), render: (_, e) => label('s.ladderStep', e.step) },
          { key: 'cert', title: t('s.ladder.certificateNo'), dataIndex: 'certificate_no' },
          { key: 'date', title: t('s.ladder.date'), dataIndex: 'date' },
          { key: 'expiry', title: t('s.ladder.expiry'), dataIndex: 'expiry' },
          {
            key: 'status',
            title: t('s.ladder.status'),
            render: (_, e) => <CodeTag prefix="s.ladderStatus" code={e.expired ? 'expired' : e.status} />,
          },
        ]}
      />
      <Divider orientation="left" plain>
        {t('s.ladder.recordTitle')}
      </Divider>
      {formError ? <Alert type="error" showIcon message={formError} data-testid="ladder-error" /> : null}
      <Form form={form} layout="vertical" onFinish={record} data-testid="ladder-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="step" label={t('s.ladder.step')} rules={[{ required: true, message: t('s.ladder.stepRequired') }]}>
              <Select
                data-testid="ladder-step"
                options={LADDER_STEPS.map((s) => ({ value: s, label: label('s.ladderStep', s) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="certificate_no"
              label={t('s.ladder.certificateNo')}
              extra={t('s.ladder.certificateHint')}
              required={CERTIFICATE_STEPS.includes(step as never)}
            >
              <Input data-testid="ladder-certificate" maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="date" label={t('s.ladder.date')} rules={[{ required: true, message: t('s.ladder.dateRequired') }]}>
              <Input type="date" data-testid="ladder-date" max={chinaToday()} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="expiry" label={t('s.ladder.expiry')} extra={t('s.ladder.expiryHint')}>
              <Input type="date" data-testid="ladder-expiry" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="evidence_document_id" label={t('s.ladder.evidence')} extra={t('s.ladder.evidenceHint')}>
              <DocumentPicker
                testId="ladder-evidence"
                title={t('s.ladder.evidence')}
                companyId={company.id}
                documents={documents}
                loading={companyDocs.loading}
                error={companyDocs.error}
                types={docTypes.data}
                regionId={company.region_id}
                onUploaded={(d) => setUploadedDocs((xs) => [d, ...xs])}
              />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="ladder-submit">
          {t('s.ladder.record')}
        </Button>
      </Form>
    </Space>
  );
}
