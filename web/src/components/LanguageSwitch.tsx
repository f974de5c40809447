import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../i18n';

/** LanguageSwitch toggles between 中文 and English; it names the language it switches to. */
export function LanguageSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Button
      type={type}
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      aria-label={t('lang.switch')}
      title={t('lang.switch')}
      onClick={() => setLang(next)}
    >
      {next === 'en' ? t('lang.en') : t('lang.zh')}
    </Button>
  );
}
