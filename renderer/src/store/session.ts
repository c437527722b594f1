import { create } from 'zustand';
import type { Identity, OfficeStatus } from '../../../shared/contract/types';
import type { Result } from '../../../shared/errors';
import { call, setSessionToken, whenLocked } from '../api/client';

const SESSION_KEY = 'jardem.session';

interface SessionState {
  identity: Identity | null;
  status: OfficeStatus | null;
  restoring: boolean;
  /** The screen is locked (idle timeout, or asked): who is signed in, and nothing else is shown. */
  locked: { holder: string } | null;
  lock: () => Promise<void>;
  /** The locked screen's password: the session goes on where it was (drafts and open forms kept). */
  resume: (password: string) => Promise<Result<unknown>>;
  signedIn: (token: string, identity: Identity) => void;
  signOut: () => Promise<void>;
  restore: () => Promise<void>;
  refreshStatus: () => Promise<void>;
}

/**
 * The signed-in person. The token lives in this tab's sessionStorage so a reload keeps the session while the
 * services run; the key file and its password are never kept anywhere in the renderer.
 */
export const useSession = create<SessionState>((set, get) => ({
  identity: null,
  status: null,
  restoring: true,
  locked: null,
  lock: async () => {
    const who = get().identity;
    set({ locked: { holder: who ? [who.surname, who.givenName, who.patronymic].filter(Boolean).join(' ') : '' } });
    await call('session.lock', {});
  },
  resume: async (password) => {
    const r = await call('session.resume', { password });
    if (r.ok) set({ locked: null, identity: r.value.identity });
    return r;
  },
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
    set({ identity: null, locked: null });
  },
  restore: async () => {
    const token = sessionStorage.getItem(SESSION_KEY);
    if (token) {
      setSessionToken(token);
      const me = await call('session.current', {});
      if (me.ok) set({ identity: me.value });
      else if (me.error.code === 'session.locked') set({ locked: { holder: String(me.error.params?.holder ?? '') } });
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

// The services locked the session (idle): every screen gives way to the lock screen, nothing is unmounted.
whenLocked((holder) => {
  if (!useSession.getState().locked) useSession.setState({ locked: { holder } });
});
