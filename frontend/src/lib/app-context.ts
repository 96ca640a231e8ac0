import { createContext, useContext } from 'react';
import type { Api, Me } from './api';
import type { InboxStore } from '../features/inbox/inbox-store';
import type { LiveSocket } from './live-socket';

export interface AppContextValue {
  api: Api;
  live: LiveSocket;
  inbox: InboxStore;
  me: Me;
  logout: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('useApp outside the logged-in app');
  return value;
}
