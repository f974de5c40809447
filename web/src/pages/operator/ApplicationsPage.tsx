import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, type FieldError } from '../../api/client';
import { decideApplications, INBOX_STATUSES, listApplications, type Application, type Decision } from '../../api/applications';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n } from '../../i18n';
import { errorText, fieldMessage } from '../../lib/formErrors';
import { formatDateTime } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CarrierHeading } from './CarrierHeading';
import { idErrors, OpStatusTag, useCanOperate, useOpLabel } from './common';

const DECIDABLE = new Set(['submitted', 'reviewing']);
const PAGE_SIZE = 20;

/**
 * ApplicationsPage is a carrier's application inbox: filter by status and
 * search, select rows and admit or reject them at once. A bulk decision is
 * all or nothing; when some cannot be decided, each failing row shows why.
 */
export function ApplicationsPage() {
  const { carrierId = '' } = useParams();
  const { t } = useI18n();
  const label = useOpLabel();
  const { message } = App.useApp();
  const writable = useCanOperate(carrierId);
  const [sp, setSp] = useSearchParams();
  const status = sp.get('status') ?? undefined;
  const q = sp.get('q') ?? undefined;
  const page = Number(sp.get('page')) || 1;
  const [selected, setSelected] = useState<string[]>([]);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, FieldError[]>>({});
  const [bulkProblem, setBulkProblem] = useState<string | null>(null);

  const { data, error, loading, reload } = useAsync(
    (signal) => listApplications(carrierId, { status, q, page, page_size: PAGE_SIZE }, signal),
    [carrierId, status, q, page],
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

  const columns: TableProps<Application>['columns'] = [
    {
      title: t('o.app.company'),
      key: 'company',
      render: (_: unknown, a) => (
        <Link to={`/applications/${a.id}`} data-testid="application-link">
          {a.company_name_zh || a.company_id}
        </Link>
      ),
    },
    { title: t('o.app.call'), dataIndex: 'call_title_zh', key: 'call', responsive: ['md'] },
    {
      title: t('o.common.status'),
      key: 'status',
      render: (_: unknown, a) => <OpStatusTag kind="appStatus" status={a.status} testId="application-status" />,
    },
    {
      title: t('o.app.submittedAt'),
      key: 'submitted_at',
      responsive: ['lg'],
      render: (_: unknown, a) => formatDateTime(a.submitted_at),
    },
    {
      title: '',
      key: 'errors',
      render: (_: unknown, a) =>
        rowErrors[a.id] ? (
          <Space direction="vertical" size={0}>
            {rowErrors[a.id].map((f) => (
              <Tag color="red" key={f.code} data-testid="application-row-error">
                {fieldMessage(f, t)}
              </Tag>
            ))}
          </Space>
        ) : null,
    },
  ];

  return (
    <Card>
      <CarrierHeading carrierId={carrierId} titleKey="o.app.pageTitle" />
      <div className="page-toolbar">
        <Input.Search
          className="grow"
          allowClear
          defaultValue={q}
          key={q ?? ''}
          placeholder={t('o.app.search')}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          data-testid="applications-search"
          aria-label={t('o.app.search')}
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('o.common.filterStatus')}
          value={status}
          onChange={(v?: string) => update({ status: v })}
          options={INBOX_STATUSES.map((s) => ({ value: s, label: label('appStatus', s) }))}
          data-testid="applications-status-filter"
        />
      </div>
      {writable ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <span data-testid="applications-selected">{t('o.app.selected', { count: selected.length })}</span>
          <Button type="primary" disabled={selected.length === 0} onClick={() => setDeciding('admit')} data-testid="applications-bulk-admit">
            {t('o.app.admitSelected')}
          </Button>
          <Button danger disabled={selected.length === 0} onClick={() => setDeciding('reject')} data-testid="applications-bulk-reject">
            {t('o.app.rejectSelected')}
          </Button>
        </Space>
      ) : null}
      {bulkProblem ? (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setBulkProblem(null)}
          style={{ marginBottom: 12 }}
          message={bulkProblem}
          data-testid="applications-bulk-error"
        />
      ) : null}
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Application>
        data-testid="applications-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        rowClassName={(a) => (rowErrors[a.id] ? 'op-row-error' : '')}
        rowSelection={
          writable
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                getCheckboxProps: (a) => ({ disabled: !DECIDABLE.has(a.status), 'data-testid': 'application-select' }) as object,
              }
            : undefined
        }
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p) => update({ page: String(p) }),
        }}
      />
      {deciding ? (
        <DecisionModal
          decision={deciding}
          count={selected.length}
          onClose={() => setDeciding(null)}
          submit={(reason) => decideApplications(carrierId, selected, deciding, reason)}
          onDone={(res) => {
            setDeciding(null);
            if (res.ok) {
              setRowErrors({});
              setBulkProblem(null);
              setSelected([]);
              message.success(t('o.app.decided', { count: res.count }));
              reload();
            } else {
              setRowErrors(res.rowErrors);
              setBulkProblem(res.message);
            }
          }}
        />
      ) : null}
    </Card>
  );
}

type BulkResult = { ok: true; count: number } | { ok: false; message: string; rowErrors: Record<string, FieldError[]> };

/**
 * DecisionModal asks for the reason the applicants will read. Errors about the
 * reason stay in the modal; per-id failures close it and mark the rows.
 */
function DecisionModal({
  decision,
  count,
  onClose,
  submit,
  onDone,
}: {
  decision: Decision;
  count: number;
  onClose: () => void;
  submit: (reason: string) => Promise<{ items: Application[] }>;
  onDone: (r: BulkResult) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const finish = async ({ reason }: { reason: string }) => {
    setSaving(true);
    setProblem(null);
    try {
      const res = await submit(reason.trim());
      onDone({ ok: true, count: res?.items?.length ?? count });
    } catch (e) {
      if (e instanceof ApiError) {
        const perId = idErrors(e);
        if (Object.keys(perId).length > 0) {
          onDone({ ok: false, message: e.message, rowErrors: perId });
          return;
        }
        const reasonErr = e.fieldError('reason');
        if (reasonErr) {
          form.setFields([{ name: 'reason', errors: [fieldMessage(reasonErr, t)] }]);
          return;
        }
      }
      setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      onCancel={onClose}
      title={decision === 'admit' ? t('o.app.admitTitle', { count }) : t('o.app.rejectTitle', { count })}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={decision === 'reject'}
          loading={saving}
          onClick={() => form.submit()}
          data-testid="decision-submit"
        >
          {decision === 'admit' ? t('o.app.admit') : t('o.app.reject')}
        </Button>,
      ]}
    >
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={finish}>
        <Form.Item
          name="reason"
          label={t('o.app.reason')}
          extra={t('o.app.reasonHelp')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export { DecisionModal };
