import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Select, Space, Table, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { CALL_STATUSES, closeIntakeCall, listIntakeCalls, openIntakeCall, type IntakeCall } from '../../api/intakeCalls';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n } from '../../i18n';
import { errorText } from '../../lib/formErrors';
import { useAsync } from '../../lib/useAsync';
import { CarrierHeading } from './CarrierHeading';
import { OpStatusTag, useCanOperate, useOpLabel } from './common';
import { IntakeCallFormModal } from './IntakeCallForm';

/** IntakeCallsPage lists a carrier's intake calls; park staff create, edit, open and close them. */
export function IntakeCallsPage() {
  const { carrierId = '' } = useParams();
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const { message } = App.useApp();
  const writable = useCanOperate(carrierId);
  const [sp, setSp] = useSearchParams();
  const status = sp.get('status') ?? undefined;
  const page = Number(sp.get('page')) || 1;
  const [editing, setEditing] = useState<{ call?: IntakeCall } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const { data, error, loading, reload } = useAsync(
    (signal) => listIntakeCalls(carrierId, { status, page, page_size: 20, sort: '-opens_on' }, signal),
    [carrierId, status, page],
  );

  const act = async (c: IntakeCall, what: 'open' | 'close') => {
    setBusy(`${what}-${c.id}`);
    try {
      await (what === 'open' ? openIntakeCall(c.id) : closeIntakeCall(c.id));
      message.success(what === 'open' ? t('o.intake.opened') : t('o.intake.closed'));
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableProps<IntakeCall>['columns'] = [
    {
      title: t('o.intake.title'),
      key: 'title',
      render: (_: unknown, c) => (
        <span data-testid="intake-call-title">{lang === 'en' && c.title_en ? c.title_en : c.title_zh}</span>
      ),
    },
    { title: t('o.intake.opensOn'), dataIndex: 'opens_on', key: 'opens_on' },
    { title: t('o.intake.closesOn'), dataIndex: 'closes_on', key: 'closes_on' },
    { title: t('o.intake.capacity'), dataIndex: 'capacity', key: 'capacity', responsive: ['md'] },
    {
      title: t('o.intake.questions'),
      key: 'questions',
      responsive: ['lg'],
      render: (_: unknown, c) => (c.questions ?? []).length,
    },
    {
      title: t('o.common.status'),
      key: 'status',
      render: (_: unknown, c) => <OpStatusTag kind="callStatus" status={c.status} testId="intake-call-status" />,
    },
    {
      title: t('o.common.actions'),
      key: 'actions',
      render: (_: unknown, c) => (
        <Space wrap size={4}>
          <Link to={`/carriers/${carrierId}/applications`} data-testid="intake-call-applications">
            {t('o.intake.viewApplications')}
          </Link>
          {writable && c.status !== 'closed' ? (
            <Button size="small" onClick={() => setEditing({ call: c })} data-testid="intake-call-edit">
              {t('common.edit')}
            </Button>
          ) : null}
          {writable && c.status === 'draft' ? (
            <Button
              size="small"
              type="primary"
              loading={busy === `open-${c.id}`}
              onClick={() => act(c, 'open')}
              data-testid="intake-call-open"
            >
              {t('o.intake.open')}
            </Button>
          ) : null}
          {writable && c.status === 'open' ? (
            <Popconfirm
              title={t('o.intake.closeConfirm')}
              onConfirm={() => act(c, 'close')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={{ 'data-testid': 'intake-call-close-confirm' }}
            >
              <Button size="small" danger loading={busy === `close-${c.id}`} data-testid="intake-call-close">
                {t('o.intake.close')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Card>
      <CarrierHeading
        carrierId={carrierId}
        titleKey="o.intake.pageTitle"
        extra={
          writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="intake-call-create">
              {t('o.intake.create')}
            </Button>
          ) : null
        }
      />
      <div className="page-toolbar">
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('o.common.filterStatus')}
          value={status}
          onChange={(v?: string) => {
            const next = new URLSearchParams(sp);
            if (v) next.set('status', v);
            else next.delete('status');
            next.delete('page');
            setSp(next, { replace: true });
          }}
          options={CALL_STATUSES.map((s) => ({ value: s, label: label('callStatus', s) }))}
          data-testid="intake-status-filter"
        />
      </div>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<IntakeCall>
        data-testid="intake-calls-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: 20,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p) => {
            const next = new URLSearchParams(sp);
            next.set('page', String(p));
            setSp(next, { replace: true });
          },
        }}
      />
      {editing ? (
        <IntakeCallFormModal
          carrierId={carrierId}
          call={editing.call}
          open
          onClose={() => setEditing(null)}
          onSaved={() => {
            message.success(t('o.common.saved'));
            setEditing(null);
            reload();
          }}
        />
      ) : null}
    </Card>
  );
}
