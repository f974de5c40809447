import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';

interface LoginForm {
  email: string;
  password: string;
}

const FIELDS = ['email', 'password'] as const;

/** safeNext only follows same-site paths, so ?next= cannot send people elsewhere. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export function LoginPage() {
  const { t } = useI18n();
  const { status, login, loadError } = useSession();
  const [form] = Form.useForm<LoginForm>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string[] | null>(null);
  const next = safeNext(params.get('next'));

  if (status === 'authenticated' && !submitting) return <Navigate to={next} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.email.trim(), values.password);
      navigate(next, { replace: true });
    } catch (e) {
      const lines: string[] = [];
      if (e instanceof ApiError) {
        lines.push(e.status === 401 && !e.problem.detail ? t('login.invalid') : errorText(e, t));
        lines.push(...applyProblemToForm(form, e, FIELDS, t));
      } else {
        lines.push(errorText(e, t));
      }
      setError(lines);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch type="default" />
      </div>
      <Card className="login-card">
        <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('login.subtitle')}
        </Typography.Paragraph>
        {loadError && !error && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={errorText(loadError, t)} data-testid="session-error" />
        )}
        {error && error.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="login-error"
            style={{ marginBottom: 16 }}
            message={error[0]}
            description={error.length > 1 ? error.slice(1).map((l) => <div key={l}>{l}</div>) : undefined}
          />
        )}
        <Form<LoginForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} disabled={submitting}>
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[
              { required: true, message: t('login.emailRequired') },
              { type: 'email', message: t('login.emailInvalid') },
            ]}
          >
            <Input
              prefix={<MailOutlined />}
              autoComplete="username"
              inputMode="email"
              data-testid="login-email"
              placeholder="name@example.com"
            />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
