import { useEffect, useRef, useState } from 'react';
import { getCompany, type Company } from '../api/companies';

/**
 * useCompanies looks up the companies behind a list's company ids (documents
 * carry only the id), once per id while the component lives. An id that
 * cannot be read maps to null, and the page shows the id instead.
 */
export function useCompanies(ids: readonly string[]): Record<string, Company | null> {
  const [known, setKnown] = useState<Record<string, Company | null>>({});
  const asked = useRef(new Set<string>());
  const live = useRef(true);
  const key = [...new Set(ids.filter(Boolean))].sort().join('\n');

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  useEffect(() => {
    for (const id of key ? key.split('\n') : []) {
      if (asked.current.has(id)) continue;
      asked.current.add(id);
      getCompany(id).then(
        (c) => live.current && setKnown((k) => ({ ...k, [id]: c })),
        () => live.current && setKnown((k) => ({ ...k, [id]: null })),
      );
    }
  }, [key]);

  return known;
}
