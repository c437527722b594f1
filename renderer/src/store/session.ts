import { create } from 'zustand';
import type { Identity, OfficeStatus } from '../../../shared/contract/types';
import { call, setSessionToken } from '../api/client';

const SESSION_KEY = 'jardem.session';

interface SessionState {
  identity: Identity | null;
  status: OfficeStatus | null;
  restoring: boolean;
  signedIn: (token: string, identity: Identity) => void;
  signOut: () => Promise<void>;
  restore: () => Promise<void>;
  refreshStatus: () => Promise<void>;
}

/**
 * The signed-in person. The token lives in this tab's sessionStorage so a reload keeps the session while the
 * services run; the key file and its password are never kept anywhere in the renderer.
 */
export const useSession = create<SessionState>((set) => ({
  identity: null,
  status: null,
  restoring: true,
  signedIn: (token, identity) => {
    sessionStorage.setItem(SESSION_KEY, token);
    setSessionToken(token);
    set({ identity });
  },
  signOut: async () => {
    await call('session.signOut', {});
    sessionStorage.removeItem(SESSION_KEY);
    // Drafts hold applicants' personal data: they do not outlive the session.
    for (const key of Object.keys(localStorage)) if (key.startsWith('jardem.draft.')) localStorage.removeItem(key);
    setSessionToken(undefined);
    set({ identity: null });
  },
  restore: async () => {
    const token = sessionStorage.getItem(SESSION_KEY);
    if (token) {
      setSessionToken(token);
      const me = await call('session.current', {});
      if (me.ok) set({ identity: me.value });
      else {
        sessionStorage.removeItem(SESSION_KEY);
        setSessionToken(undefined);
      }
    }
    const status = await call('office.status', {});
    set({ status: status.ok ? status.value : null, restoring: false });
  },
  refreshStatus: async () => {
    const status = await call('office.status', {});
    if (status.ok) set({ status: status.value });
  },
}));
