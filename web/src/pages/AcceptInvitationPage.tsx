import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { acceptInvitation } from '../api/members';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';

interface AcceptForm {
  display_name: string;
  password: string;
  confirm: string;
}

const FIELDS = ['display_name', 'password'] as const;

/** AcceptInvitationPage lets an invited person set their name and password (no login needed). */
export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const { t } = useI18n();
  const [form] = Form.useForm<AcceptForm>();
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string[]>([]);

  const onFinish = async (v: AcceptForm) => {
    setSaving(true);
    setError([]);
    try {
      await acceptInvitation(token, v.display_name.trim(), v.password);
      setDone(true);
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, FIELDS, t);
        setError(e.fields.length === 0 ? [errorText(e, t)] : unplaced);
      } else setError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch type="default" />
      </div>
      <Card className="login-card">
        {done ? (
          <Result
            status="success"
            title={t('accept.doneTitle')}
            subTitle={t('accept.done')}
            extra={
              <Link to="/login">
                <Button type="primary">{t('accept.toLogin')}</Button>
              </Link>
            }
          />
        ) : (
          <>
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {t('accept.title')}
            </Typography.Title>
            {error.length > 0 && (
              <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error.map((l) => <div key={l}>{l}</div>)} />
            )}
            <Form<AcceptForm> form={form} layout="vertical" onFinish={onFinish} disabled={saving}>
              <Form.Item name="display_name" label={t('accept.displayName')} rules={[{ required: true, message: t('accept.displayNameRequired') }]}>
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('login.password')}
                rules={[
                  { required: true, message: t('login.passwordRequired') },
                  { min: 8, message: t('validation.too_short', { min: 8 }) },
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('accept.confirmPassword')}
                dependencies={['password']}
                rules={[
                  { required: true, message: t('login.passwordRequired') },
                  ({ getFieldValue }) => ({
                    validator: (_, value) =>
                      !value || getFieldValue('password') === value ? Promise.resolve() : Promise.reject(new Error(t('accept.mismatch'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={saving}>
                {t('accept.submit')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
