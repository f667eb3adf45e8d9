import { createContext, useContext } from 'react';
import type { SessionInfo } from '../api/client.js';

export interface Session extends SessionInfo {
  /** responder or admin: may run incident commands. */
  canAct: boolean;
  isAdmin: boolean;
}

export const sessionOf = (info: SessionInfo): Session => ({
  ...info,
  canAct: info.role === 'responder' || info.role === 'admin',
  isAdmin: info.role === 'admin',
});

export const SessionContext = createContext<Session | null>(null);

/** The signed-in user; scenes render only inside a session. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}
