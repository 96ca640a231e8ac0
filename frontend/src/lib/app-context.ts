// What every page of the logged-in app reaches: the node's API, the live socket, who is signed in, and logging out.
import { createContext, useContext } from 'react';
import type { HttpClient } from './http';
import type { LiveSocket } from './live-socket';
import type { Me } from './wire';

export interface AppContextValue {
  http: HttpClient;
  live: LiveSocket;
  me: Me;
  logout: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('useApp outside the logged-in app');
  return value;
}
