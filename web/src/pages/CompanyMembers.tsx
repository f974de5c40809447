import { UserAddOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Table, type ButtonProps, type TableProps } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { inviteCompanyMember, listCompanyMembers, removeCompanyMember, COMPANY_ROLES, type Company, type CompanyMember, type CompanyRole } from '../api/companies';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { CompanyRoleTag, MembershipTag, useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { formatDateTime, localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

interface InviteForm {
  email: string;
  role: CompanyRole;
}

const INVITE_FIELDS = ['email', 'role'] as const;

/**
 * CompanyMembers is a company's member table. Company admins invite and remove
 * members; an active member may leave (the server refuses to let the last admin go).
 */
export function CompanyMembers({
  company,
  canManage,
  canLeave,
  onLeft,
}: {
  company: Company;
  canManage: boolean;
  canLeave: boolean;
  onLeft: () => void;
}) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { message } = App.useApp();
  const { me, refresh } = useSession();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string[]>([]);
  const [form] = Form.useForm<InviteForm>();
  const myId = me?.user.id;
  const name = localizedName(lang, company);

  const { data, error, loading, reload } = useAsync((signal) => listCompanyMembers(company.id, signal), [company.id]);
  // Former members stay in the server's history, not in this table.
  const members = (data?.items ?? []).filter((m) => m.status !== 'left');

  const remove = async (m: CompanyMember) => {
    const self = m.user_id === myId;
    try {
      await removeCompanyMember(company.id, m.user_id);
      if (self) {
        message.success(t('companyMembers.left', { name }));
        // Leaving ends the startup member role.
        await refresh();
        onLeft();
        return;
      }
      message.success(t('companyMembers.removed', { email: m.email }));
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const invite = async (values: InviteForm) => {
    setSaving(true);
    setFormError([]);
    try {
      const email = values.email.trim().toLowerCase();
      await inviteCompanyMember(company.id, email, values.role);
      message.success(t('companyMembers.invited', { email }));
      setOpen(false);
      form.resetFields();
      reload();
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, INVITE_FIELDS, t);
        setFormError(e.fields.length === 0 ? [errorText(e, t)] : unplaced);
      } else setFormError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  const actionFor = (m: CompanyMember) => {
    const self = m.user_id === myId;
    if (self && canLeave) {
      return (
        <Popconfirm
          title={t('companyMembers.leaveConfirm', { name })}
          okText={t('companyMembers.leave')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true, 'data-testid': 'company-leave-confirm' } as ButtonProps}
          onConfirm={() => remove(m)}
        >
          <Button type="link" danger size="small" data-testid="company-leave">
            {t('companyMembers.leave')}
          </Button>
        </Popconfirm>
      );
    }
    if (!self && canManage) {
      return (
        <Popconfirm
          title={t('companyMembers.removeConfirm', { email: m.email })}
          okText={t('companyMembers.remove')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true, 'data-testid': 'company-remove-confirm' } as ButtonProps}
          onConfirm={() => remove(m)}
        >
          <Button type="link" danger size="small" data-testid="company-remove-member">
            {t('companyMembers.remove')}
          </Button>
        </Popconfirm>
      );
    }
    return null;
  };

  const columns: TableProps<CompanyMember>['columns'] = [
    {
      title: t('members.name'),
      dataIndex: 'display_name',
      key: 'display_name',
      render: (v: string, m) => (
        <span>
          {v || '—'}
          {m.user_id === myId ? <span className="muted"> {t('companyMembers.you')}</span> : null}
        </span>
      ),
    },
    { title: t('members.email'), dataIndex: 'email', key: 'email' },
    { title: t('members.role'), key: 'role', render: (_: unknown, m) => <CompanyRoleTag role={m.role} /> },
    { title: t('companyMembers.status'), key: 'status', render: (_: unknown, m) => <MembershipTag status={m.status} /> },
    {
      title: t('company.updatedAt'),
      dataIndex: 'updated_at',
      key: 'updated_at',
      responsive: ['md'],
      render: (v: string) => formatDateTime(v),
    },
    ...(canManage || canLeave
      ? [{ title: t('companyMembers.actions'), key: 'actions', render: (_: unknown, m: CompanyMember) => actionFor(m) }]
      : []),
  ];

  return (
    <>
      {canManage && (
        <div className="page-toolbar">
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            data-testid="invite-member-button"
            onClick={() => {
              setFormError([]);
              form.resetFields();
              setOpen(true);
            }}
          >
            {t('companyMembers.invite')}
          </Button>
        </div>
      )}
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<CompanyMember>
        data-testid="company-members-table"
        rowKey="user_id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={members}
        scroll={{ x: 'max-content' }}
        pagination={members.length > 20 ? { pageSize: 20, showTotal: (total) => t('common.total', { total }) } : false}
      />
      <Modal
        open={open}
        title={t('companyMembers.inviteTitle')}
        okText={t('companyMembers.inviteSubmit')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'invite-member-submit' } as ButtonProps}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        {formError.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="invite-member-error"
            message={formError.map((l) => <div key={l}>{l}</div>)}
          />
        )}
        <Form<InviteForm> form={form} layout="vertical" initialValues={{ role: 'member' }} onFinish={invite}>
          <Form.Item
            name="email"
            label={t('members.email')}
            extra={t('companyMembers.inviteHint')}
            rules={[
              { required: true, message: t('login.emailRequired') },
              { type: 'email', message: t('login.emailInvalid') },
            ]}
          >
            <Input data-testid="invite-member-email" autoComplete="off" inputMode="email" />
          </Form.Item>
          <Form.Item name="role" label={t('members.role')} rules={[{ required: true, message: t('members.roleRequired') }]}>
            <Select<CompanyRole>
              data-testid="invite-member-role"
              options={COMPANY_ROLES.map((r) => ({ value: r, label: labels.companyRole(r) }))}
              optionRender={(o) => <span data-testid={`invite-member-role-${String(o.value)}`}>{o.label}</span>}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
