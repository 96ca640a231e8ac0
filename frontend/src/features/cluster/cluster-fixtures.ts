// A two-member cluster that lost its third member a moment ago, as the node answers it. For the tests only.
import type { ClusterView } from '../../lib/wire';

export const NODE_1 = 'pekko://steward@10.0.0.1:25520';
export const NODE_2 = 'pekko://steward@10.0.0.2:25520';
export const NODE_3 = 'pekko://steward@10.0.0.3:25520';

export function clusterAfterAFailover(): ClusterView {
  return {
    self: NODE_1,
    leader: NODE_1,
    oldest: NODE_2,
    entityTypes: ['server', 'check'],
    members: [
      {
        address: NODE_1, status: 'up', roles: ['entities', 'ingest'], upSince: '2026-12-10T09:00:00Z', reachable: true,
        self: true, leader: true, oldest: false,
        hosted: [{ type: 'server', shards: 51, entities: 140 }, { type: 'check', shards: 9, entities: 12 }],
      },
      {
        address: NODE_2, status: 'up', roles: ['entities'], upSince: null, reachable: false,
        self: false, leader: false, oldest: true,
        hosted: [{ type: 'server', shards: null, entities: null }, { type: 'check', shards: null, entities: null }],
      },
    ],
    hostingProblem: '3 server shards on pekko://steward@10.0.0.2:25520 did not answer',
    failovers: [{
      member: NODE_3,
      startedAt: '2026-12-10T10:00:00Z',
      endedAt: '2026-12-10T10:00:08Z',
      outcome: 'failed-over',
      phases: [
        { kind: 'unreachable', at: '2026-12-10T10:00:00Z', node: NODE_3, recordedBy: NODE_1, detail: null, sinceStartMillis: 0 },
        { kind: 'downed', at: '2026-12-10T10:00:07Z', node: NODE_3, recordedBy: NODE_2, detail: null, sinceStartMillis: 7000 },
        { kind: 'removed', at: '2026-12-10T10:00:08Z', node: NODE_3, recordedBy: NODE_1, detail: 'was down', sinceStartMillis: 8000 },
        { kind: 'shards-moved', at: '2026-12-10T10:00:09Z', node: NODE_1, recordedBy: NODE_1, detail: '33 server shards', sinceStartMillis: 9000 },
        { kind: 'entities-recovered', at: '2026-12-10T10:00:11.400Z', node: NODE_1, recordedBy: NODE_1, detail: '90 server entities', sinceStartMillis: 11400 },
      ],
    }],
    events: [
      { member: NODE_1, kind: 'entities-recovered', at: '2026-12-10T10:00:11.400Z', recordedBy: NODE_1, detail: '90 server entities' },
      { member: NODE_3, kind: 'removed', at: '2026-12-10T10:00:08Z', recordedBy: NODE_1, detail: 'was down' },
      { member: NODE_3, kind: 'unreachable', at: '2026-12-10T10:00:00Z', recordedBy: NODE_1, detail: null },
      { member: NODE_1, kind: 'up', at: '2026-12-10T09:00:00Z', recordedBy: NODE_1, detail: 'roles entities, ingest' },
    ],
  };
}
