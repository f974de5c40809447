import { UserAddOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, type ButtonProps, type TableProps } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { grantCarrierRole, listCarrierMembers, revokeCarrierRole, CARRIER_ROLES, type Member } from '../api/members';
import { ErrorAlert } from '../components/ErrorAlert';
import { RoleTag, useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { useAsync } from '../lib/useAsync';
import { RoleSelect } from './RoleSelect';

interface GrantForm {
  email: string;
  role: string;
}

const GRANT_FIELDS = ['email', 'role'] as const;

export function MembersTab({ carrierId, canManage }: { carrierId: string; canManage: boolean }) {
  const { t } = useI18n();
  const labels = useLabels();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string[]>([]);
  const [form] = Form.useForm<GrantForm>();

  const { data, error, loading, reload } = useAsync(
    () => listCarrierMembers(carrierId, { q, page: page.current, page_size: page.pageSize }),
    [carrierId, q, page.current, page.pageSize],
  );

  const revoke = async (m: Member, role: string) => {
    try {
      await revokeCarrierRole(carrierId, m.user_id, role);
      message.success(t('members.revoked', { role: labels.role(role), email: m.email }));
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const grant = async (values: GrantForm) => {
    setSaving(true);
    setFormError([]);
    try {
      await grantCarrierRole(carrierId, values.email.trim(), values.role);
      message.success(t('members.granted', { role: labels.role(values.role), email: values.email.trim() }));
      setOpen(false);
      form.resetFields();
      reload();
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, GRANT_FIELDS, t);
        // The detail repeats the field message when only fields failed; show it only otherwise.
        setFormError(e.fields.length === 0 ? [errorText(e, t)] : unplaced);
      } else setFormError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableProps<Member>['columns'] = [
    { title: t('members.name'), dataIndex: 'display_name', key: 'display_name' },
    { title: t('members.email'), dataIndex: 'email', key: 'email' },
    {
      title: t('members.roles'),
      key: 'roles',
      render: (_: unknown, m) => (
        <Space size={[8, 4]} wrap>
          {(m.roles ?? []).map((role) => (
            <Space.Compact key={role} size="small">
              <RoleTag role={role} />
              {canManage && (
                <Popconfirm
                  title={t('members.revokeConfirm', { role: labels.role(role), email: m.email })}
                  okText={t('members.revoke')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true, 'data-testid': 'revoke-confirm' } as ButtonProps}
                  onConfirm={() => revoke(m, role)}
                >
                  <Button type="link" danger size="small" data-testid={`revoke-${role}`}>
                    {t('members.revoke')}
                  </Button>
                </Popconfirm>
              )}
            </Space.Compact>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <>
      <div className="page-toolbar">
        <Input.Search
          className="grow"
          allowClear
          placeholder={t('members.searchPlaceholder')}
          aria-label={t('members.searchPlaceholder')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage((p) => ({ ...p, current: 1 }));
          }}
        />
        {canManage && (
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            data-testid="grant-role-button"
            onClick={() => {
              setFormError([]);
              form.resetFields();
              setOpen(true);
            }}
          >
            {t('members.grant')}
          </Button>
        )}
      </div>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Member>
        data-testid="members-table"
        rowKey="user_id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
      />
      <Modal
        open={open}
        title={t('members.grantTitle')}
        okText={t('members.grantSubmit')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'grant-submit' } as ButtonProps}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        {formError.length > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={formError.map((l) => <div key={l}>{l}</div>)} />
        )}
        <Form<GrantForm>
          form={form}
          layout="vertical"
          initialValues={{ role: 'park_operator' }}
          onFinish={grant}
        >
          <Form.Item
            name="email"
            label={t('members.email')}
            extra={t('members.grantHint')}
            rules={[
              { required: true, message: t('login.emailRequired') },
              { type: 'email', message: t('login.emailInvalid') },
            ]}
          >
            <Input data-testid="grant-email" autoComplete="off" inputMode="email" />
          </Form.Item>
          <Form.Item name="role" label={t('members.role')} rules={[{ required: true, message: t('members.roleRequired') }]}>
            <RoleSelect roles={CARRIER_ROLES} data-testid="grant-role-select" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
