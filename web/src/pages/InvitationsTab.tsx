import { MailOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Table, Tag, Typography, type ButtonProps, type TableProps } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { inviteToCarrier, listCarrierInvitations, CARRIER_ROLES, type Invitation } from '../api/members';
import { ErrorAlert } from '../components/ErrorAlert';
import { RoleTag, useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { formatDateTime } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { RoleSelect } from './RoleSelect';

interface InviteForm {
  email: string;
  role: string;
}

const INVITE_FIELDS = ['email', 'role'] as const;

export function InvitationsTab({ carrierId, canManage }: { carrierId: string; canManage: boolean }) {
  const { t } = useI18n();
  const labels = useLabels();
  const { modal } = App.useApp();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string[]>([]);
  const [form] = Form.useForm<InviteForm>();

  const { data, error, loading, reload } = useAsync(() => listCarrierInvitations(carrierId), [carrierId]);

  const invite = async (values: InviteForm) => {
    setSaving(true);
    setFormError([]);
    try {
      const inv = await inviteToCarrier(carrierId, values.email.trim(), values.role);
      setOpen(false);
      reload();
      modal.success({
        title: t('invitations.created', { email: inv.email, role: labels.role(inv.role) }),
        content: inv.accept_url ? (
          <>
            <Typography.Paragraph>{t('invitations.shareLink')}</Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: absoluteUrl(inv.accept_url) }} code data-testid="invitation-url">
              {absoluteUrl(inv.accept_url)}
            </Typography.Paragraph>
          </>
        ) : undefined,
        okText: t('common.ok'),
      });
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, INVITE_FIELDS, t);
        setFormError(e.fields.length === 0 ? [errorText(e, t)] : unplaced);
      } else setFormError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableProps<Invitation>['columns'] = [
    { title: t('members.email'), dataIndex: 'email', key: 'email' },
    { title: t('members.role'), dataIndex: 'role', key: 'role', render: (r: string) => <RoleTag role={r} /> },
    {
      title: t('invitations.status'),
      key: 'status',
      render: (_: unknown, inv) => {
        const s = invitationStatus(inv);
        return <Tag color={s === 'accepted' ? 'green' : s === 'expired' ? 'default' : 'blue'}>{t(`invitations.${s}`)}</Tag>;
      },
    },
    { title: t('invitations.expiresAt'), dataIndex: 'expires_at', key: 'expires_at', render: (v: string) => formatDateTime(v) },
    {
      title: t('invitations.link'),
      dataIndex: 'accept_url',
      key: 'accept_url',
      render: (v?: string) =>
        v ? (
          <Typography.Text copyable={{ text: absoluteUrl(v) }} ellipsis style={{ maxWidth: 260 }}>
            {absoluteUrl(v)}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <>
      {canManage && (
        <div className="page-toolbar">
          <Button
            type="primary"
            icon={<MailOutlined />}
            data-testid="invite-button"
            onClick={() => {
              setFormError([]);
              form.resetFields();
              setOpen(true);
            }}
          >
            {t('invitations.invite')}
          </Button>
        </div>
      )}
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Invitation>
        data-testid="invitations-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ showTotal: (total) => t('common.total', { total }) }}
      />
      <Modal
        open={open}
        title={t('invitations.inviteTitle')}
        okText={t('invitations.send')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'invite-submit' } as ButtonProps}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        {formError.length > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={formError.map((l) => <div key={l}>{l}</div>)} />
        )}
        <Form<InviteForm> form={form} layout="vertical" initialValues={{ role: 'park_operator' }} onFinish={invite}>
          <Form.Item
            name="email"
            label={t('members.email')}
            rules={[
              { required: true, message: t('login.emailRequired') },
              { type: 'email', message: t('login.emailInvalid') },
            ]}
          >
            <Input data-testid="invite-email" autoComplete="off" inputMode="email" />
          </Form.Item>
          <Form.Item name="role" label={t('members.role')} rules={[{ required: true, message: t('members.roleRequired') }]}>
            <RoleSelect roles={CARRIER_ROLES} data-testid="invite-role-select" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** invitationStatus tells whether an invitation was used, ran out, or still waits. */
export function invitationStatus(inv: Invitation, now = Date.now()): 'accepted' | 'expired' | 'pending' {
  if (inv.accepted_at) return 'accepted';
  const exp = Date.parse(inv.expires_at);
  return Number.isFinite(exp) && exp < now ? 'expired' : 'pending';
}

/** absoluteUrl shows a server-relative accept link as one a person can paste anywhere. */
function absoluteUrl(u: string): string {
  try {
    return new URL(u, window.location.origin).toString();
  } catch {
    return u;
  }
}
