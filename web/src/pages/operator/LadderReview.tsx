import { Alert, App, Button, Card, Form, Input, List, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { listLadder, rejectLadderStep, type LadderEntry } from '../../api/ladder';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isMessageKey, useI18n } from '../../i18n';
import { applyProblemToForm, errorText } from '../../lib/formErrors';
import { useAsync } from '../../lib/useAsync';
import { OpStatusTag } from './common';

/**
 * LadderReview lists a resident's cultivation ladder for the carrier's staff;
 * a step the company claimed may be rejected with the reason it reads.
 */
export function LadderReview({ companyId, writable }: { companyId: string; writable: boolean }) {
  const { t } = useI18n();
  const { data, error, reload } = useAsync((signal) => listLadder(companyId, signal), [companyId]);
  const [rejecting, setRejecting] = useState<LadderEntry | null>(null);
  const stepName = (s: string) => (isMessageKey(`s.ladderStep.${s}`) ? t(`s.ladderStep.${s}` as 's.ladderStep.tech_sme') : s);
  return (
    <Card size="small" title={t('o.ladder.title')} data-testid="ladder-review">
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <List
        size="small"
        loading={!data && !error}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('o.ladder.empty') }}
        renderItem={(e) => (
          <List.Item
            data-testid="ladder-review-item"
            actions={
              writable && e.status === 'claimed'
                ? [
                    <Button key="reject" size="small" danger onClick={() => setRejecting(e)} data-testid={`ladder-reject-${e.step}`}>
                      {t('o.ladder.reject')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space direction="vertical" size={0}>
              <Space wrap size={[6, 2]}>
                <Typography.Text strong>{stepName(e.step)}</Typography.Text>
                <OpStatusTag kind="ladderStatus" status={e.expired ? 'expired' : e.status} testId={`ladder-review-status-${e.step}`} />
              </Space>
              <Typography.Text type="secondary">
                {e.date}
                {e.certificate_no ? ` · ${e.certificate_no}` : ''}
                {e.reject_reason ? ` · ${t('o.ladder.rejectedFor', { reason: e.reject_reason })}` : ''}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {rejecting ? (
        <RejectStepModal
          companyId={companyId}
          entry={rejecting}
          stepName={stepName(rejecting.step)}
          onClose={() => setRejecting(null)}
          onDone={() => {
            setRejecting(null);
            reload();
          }}
        />
      ) : null}
    </Card>
  );
}

/** RejectStepModal asks for the reason (required, at most 2000 characters) and rejects the step. */
export function RejectStepModal({
  companyId,
  entry,
  stepName,
  onClose,
  onDone,
}: {
  companyId: string;
  entry: LadderEntry;
  stepName: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const finish = async (v: { reason: string }) => {
    setSaving(true);
    setProblem(null);
    try {
      await rejectLadderStep(companyId, entry.step, v.reason.trim());
      message.success(t('o.ladder.rejected'));
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const rest = applyProblemToForm(form, e, ['reason'], t);
        setProblem([e.message, ...rest].join(' · '));
      } else setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('o.ladder.rejectTitle', { step: stepName })}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" danger type="primary" loading={saving} onClick={() => form.submit()} data-testid="ladder-reject-submit">
          {t('o.ladder.reject')}
        </Button>,
      ]}
    >
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="ladder-reject-error" /> : null}
      <Form form={form} layout="vertical" onFinish={finish}>
        <Form.Item
          name="reason"
          label={t('o.ladder.reason')}
          extra={t('o.ladder.reasonHelp')}
          rules={[
            { required: true, whitespace: true, message: t('o.ladder.reasonRequired') },
            { max: 2000, message: t('o.ladder.reasonTooLong') },
          ]}
        >
          <Input.TextArea rows={3} data-testid="ladder-reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
