import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Table, Typography, type ButtonProps, type TableProps } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { createRegion, listRegions, type Region } from '../api/regions';
import { isPlatformAdmin } from '../auth/roles';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { formatDateTime } from '../lib/names';
import { useAsync } from '../lib/useAsync';

type RegionForm = Pick<Region, 'code' | 'name_zh' | 'name_en'>;
const REGION_FIELDS = ['code', 'name_zh', 'name_en'] as const;

export function RegionsPage() {
  const { t } = useI18n();
  const { me, setRegionId } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string[]>([]);
  const [form] = Form.useForm<RegionForm>();
  const { data, error, loading, reload } = useAsync(() => listRegions({ page_size: 100 }), []);
  const canCreate = isPlatformAdmin(me?.assignments ?? []);

  const openRegion = (r: Region) => {
    setRegionId(r.id);
    navigate(`/regions/${r.id}/dashboard`);
  };

  const create = async (values: RegionForm) => {
    setSaving(true);
    setFormError([]);
    try {
      await createRegion({ code: values.code.trim(), name_zh: values.name_zh.trim(), name_en: (values.name_en ?? '').trim() });
      message.success(t('regions.created'));
      setOpen(false);
      reload();
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, REGION_FIELDS, t);
        setFormError(e.fields.length === 0 ? [errorText(e, t)] : unplaced);
      } else setFormError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableProps<Region>['columns'] = [
    { title: t('regions.code'), dataIndex: 'code', key: 'code' },
    {
      title: t('regions.nameZh'),
      dataIndex: 'name_zh',
      key: 'name_zh',
      render: (v: string, r) => (
        <Typography.Link onClick={() => openRegion(r)} data-testid="region-link">
          {v}
        </Typography.Link>
      ),
    },
    { title: t('regions.nameEn'), dataIndex: 'name_en', key: 'name_en' },
    { title: t('carrier.createdAt'), dataIndex: 'created_at', key: 'created_at', render: (v: string) => formatDateTime(v), responsive: ['md'] },
  ];

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t('regions.title')}</Typography.Title>}
      extra={
        canCreate ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setFormError([]);
              form.resetFields();
              setOpen(true);
            }}
            data-testid="region-new"
          >
            {t('regions.new')}
          </Button>
        ) : undefined
      }
    >
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Region>
        data-testid="regions-table"
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ showTotal: (total) => t('common.total', { total }) }}
      />
      <Modal
        open={open}
        title={t('regions.new')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'region-submit' } as ButtonProps}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        {formError.length > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={formError.map((l) => <div key={l}>{l}</div>)} />
        )}
        <Form<RegionForm> form={form} layout="vertical" onFinish={create}>
          <Form.Item name="code" label={t('regions.code')} extra={t('regions.codeHint')} rules={[{ required: true, message: t('regions.codeRequired') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="name_zh" label={t('regions.nameZh')} rules={[{ required: true, message: t('carrierForm.nameRequired') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name_en" label={t('regions.nameEn')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
