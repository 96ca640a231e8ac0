// The cluster (admin): members with their state, roles and entities, the failover history and recent events.
import type { HttpClient } from '../../lib/http';
import type { ClusterView } from '../../lib/wire';

export function clusterView(http: HttpClient): Promise<ClusterView> {
  return http.get('/api/cluster');
}
