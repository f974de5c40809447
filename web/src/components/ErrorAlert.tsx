import { Alert, Button, Result } from 'antd';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { errorText } from '../lib/formErrors';

/** ErrorAlert shows a failed load inline, with a retry when one is offered. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      message={errorText(error, t)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/** LoadFailure turns a 404 into a "not found" page and anything else into an alert. */
export function LoadFailure({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 404) {
    return <Result status="404" title={t('error.notFoundTitle')} subTitle={t('error.notFound')} />;
  }
  return <ErrorAlert error={error} onRetry={onRetry} />;
}
