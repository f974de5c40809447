import { App as AntdApp, ConfigProvider } from 'antd';
// The ES module builds of antd's locales: the CommonJS ones ('antd/locale/…')
// lose their Pagination texts in the production bundle's interop, and
// tables then read "20 / page" in Chinese (the walks' text check saw it).
import enUS from 'antd/es/locale/en_US';
import zhCNLocale from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/en';
import 'dayjs/locale/zh-cn';
import { useEffect, type ReactNode } from 'react';
import { SessionProvider } from './auth/session';
import { I18nProvider, useI18n } from './i18n';

function LocalizedAntd({ children }: { children: ReactNode }) {
  const { lang, t } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);
  // dayjs must switch before children render dates, so it is also set here synchronously.
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCNLocale : enUS} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}

/** AppProviders wires language, antd locale and the session; the router is added by the caller. */
export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <I18nProvider>
      <LocalizedAntd>
        <SessionProvider>{children}</SessionProvider>
      </LocalizedAntd>
    </I18nProvider>
  );
}
