// The signed-in user's inbox (the bell).
import type { HttpClient } from '../../lib/http';
import type { Inbox, InboxReadAnswer, InboxReadRequest } from '../../lib/wire';

/** The newest items (the node keeps 50) and the unread count. */
export function inbox(http: HttpClient): Promise<Inbox> {
  return http.get('/api/inbox');
}

/** Marks every item with an id up to `upTo` read for this user; answers what is still unread. */
export function markInboxRead(http: HttpClient, upTo: number): Promise<InboxReadAnswer> {
  return http.post('/api/inbox/read', { upTo } satisfies InboxReadRequest);
}
