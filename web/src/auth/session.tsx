import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, setUnauthorizedHandler } from '../api/client';
import * as endpoints from '../api/auth';
import type { Me } from '../api/auth';
import { defaultRegionId } from './roles';

type Status = 'loading' | 'anonymous' | 'authenticated';

interface SessionValue {
  status: Status;
  me: Me | null;
  /** loadError is set when /auth/me failed for a reason other than 401. */
  loadError: ApiError | null;
  login: (email: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  /** regionId is the region the header switcher and the menu point at. */
  regionId: string | undefined;
  setRegionId: (id: string | undefined) => void;
  /** signedOut is true after a deliberate sign-out, so the page left behind
   * is not remembered as where the next person to sign in should go. */
  signedOut: boolean;
}

const SessionContext = createContext<SessionValue | null>(null);
const REGION_KEY = 'incuchain.region';

function readRemembered(): string | undefined {
  try {
    return globalThis.localStorage?.getItem(REGION_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [regionId, setRegionIdState] = useState<string | undefined>(undefined);

  const setRegionId = useCallback((id: string | undefined) => {
    setRegionIdState(id);
    try {
      if (id) globalThis.localStorage?.setItem(REGION_KEY, id);
      else globalThis.localStorage?.removeItem(REGION_KEY);
    } catch {
      // Remembering the region is a convenience only.
    }
  }, []);

  const adopt = useCallback((m: Me) => {
    const normalized: Me = { user: m.user, assignments: Array.isArray(m.assignments) ? m.assignments : [] };
    setMe(normalized);
    setRegionIdState(defaultRegionId(normalized.assignments, readRemembered()));
    setLoadError(null);
    setStatus('authenticated');
    return normalized;
  }, []);

  const refresh = useCallback(async () => {
    try {
      adopt(await endpoints.getMe());
    } catch (e) {
      setMe(null);
      if (e instanceof ApiError && e.status !== 401) setLoadError(e);
      setStatus('anonymous');
    }
  }, [adopt]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    // A 401 from any call means the session ended (expired or logged out elsewhere).
    setUnauthorizedHandler(() => {
      setMe(null);
      setStatus('anonymous');
    });
    return () => setUnauthorizedHandler(undefined);
  }, []);

  const login = useCallback(
    async (email: string, password: string) => {
      await endpoints.login(email, password);
      return adopt(await endpoints.getMe());
    },
    [adopt],
  );

  const [signedOut, setSignedOut] = useState(false);
  const logout = useCallback(async () => {
    try {
      await endpoints.logout();
    } finally {
      setSignedOut(true);
      setMe(null);
      setStatus('anonymous');
    }
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ status, me, loadError, login, logout, refresh, regionId, setRegionId, signedOut }),
    [status, me, loadError, login, logout, refresh, regionId, setRegionId, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession must be used inside <SessionProvider>');
  return v;
}
