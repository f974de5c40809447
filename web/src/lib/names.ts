import dayjs from 'dayjs';
import type { Lang } from '../i18n';

export interface Named {
  name_zh?: string;
  name_en?: string;
}

/** localizedName shows the English name in English when there is one, the Chinese name otherwise. */
export function localizedName(lang: Lang, n: Named | undefined | null): string {
  if (!n) return '';
  if (lang === 'en' && n.name_en) return n.name_en;
  return n.name_zh || n.name_en || '';
}

export function formatDateTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : iso;
}
