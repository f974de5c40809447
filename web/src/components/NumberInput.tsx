import { Form, InputNumber, type InputNumberProps } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import { useI18n } from '../i18n';

/** isNumberText tells text a number input can take: "12", "-3.5", "1,200", or nothing. */
export function isNumberText(text: string): boolean {
  const s = text.replace(/[,\s，]/g, '');
  return s === '' || s === '-' || /^-?\d+(\.\d*)?$/.test(s);
}

/**
 * NumberInput is antd's InputNumber that says so when what was typed is not
 * a number. InputNumber silently drops such text (the value stays the last
 * number, or empty), so a person would not know why their entry vanished:
 * this puts 请输入数字 / Enter a number on the form item `field` while the
 * text is not a number, and clears it once it is.
 */
export function NumberInput({ field: name, ...props }: Omit<InputNumberProps<number>, 'name'> & { field: NamePath }) {
  const form = Form.useFormInstance();
  const { t } = useI18n();
  return (
    <InputNumber<number>
      {...props}
      onInput={(text) => {
        const ok = isNumberText(text);
        const errors = form.getFieldError(name);
        const message = t('validation.number');
        if (!ok && !errors.includes(message)) form.setFields([{ name, errors: [message] }]);
        else if (ok && errors.includes(message)) form.setFields([{ name, errors: errors.filter((e) => e !== message) }]);
      }}
    />
  );
}
