// The fleet as the overview shows it, kept current by the live socket's fleet frames.
import { serverName } from '../../lib/format';
import type { FleetFrame, ServerSummary } from '../../lib/wire';

/** Applies a fleet frame to a map of servers by id, returning a new map (or the same one if nothing changed). */
export function applyFleetFrame(current: ReadonlyMap<string, ServerSummary>, frame: FleetFrame): Map<string, ServerSummary> {
  const next = frame.snapshot ? new Map<string, ServerSummary>() : new Map(current);
  for (const server of frame.servers) next.set(server.id, server);
  for (const id of frame.removed) next.delete(id);
  return next;
}

export type StatusFilter = 'all' | 'online' | 'offline';
export type SortKey = 'name' | 'status' | 'cpu' | 'memory' | 'disk' | 'load' | 'uptime' | 'lastSeen';

export interface FleetQuery {
  search: string;
  group: string | null;
  status: StatusFilter;
}

/** Whether a server matches the search (name, hostname, IP, tag, group; case-insensitive) and the filters. */
export function matches(server: ServerSummary, query: FleetQuery): boolean {
  if (query.status === 'online' && !server.online) return false;
  if (query.status === 'offline' && server.online) return false;
  if (query.group !== null && (server.group ?? '') !== query.group) return false;
  const needle = query.search.trim().toLowerCase();
  if (needle.length === 0) return true;
  const haystack = [serverName(server), server.hostname, server.group ?? '', ...server.tags, ...server.addresses];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

function sortValue(server: ServerSummary, key: SortKey): number | string {
  switch (key) {
    case 'name':
      return serverName(server).toLowerCase();
    case 'status':
      return server.online ? 1 : 0;
    case 'cpu':
      return server.cpuPercent ?? -1;
    case 'memory':
      return server.memoryPercent ?? -1;
    case 'disk':
      return server.diskPercent ?? -1;
    case 'load':
      return server.load1 ?? -1;
    case 'uptime':
      return server.uptimeSeconds ?? -1;
    case 'lastSeen':
      return server.lastSeen === null ? 0 : Date.parse(server.lastSeen);
  }
}

export function sortServers(servers: ServerSummary[], key: SortKey, descending: boolean): ServerSummary[] {
  const sorted = [...servers].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const order = x < y ? -1 : x > y ? 1 : serverName(a).localeCompare(serverName(b));
    return descending ? -order : order;
  });
  return sorted;
}

/** Servers grouped by group name, named groups alphabetically, ungrouped last. */
export function groupServers(servers: ServerSummary[]): [string | null, ServerSummary[]][] {
  const groups = new Map<string | null, ServerSummary[]>();
  for (const server of servers) {
    const key = server.group && server.group.length > 0 ? server.group : null;
    const list = groups.get(key);
    if (list) list.push(server);
    else groups.set(key, [server]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
}

export interface FleetCounts {
  total: number;
  online: number;
  offline: number;
  criticalAlerts: number;
  warningAlerts: number;
}

export function countFleet(servers: Iterable<ServerSummary>): FleetCounts {
  const counts: FleetCounts = { total: 0, online: 0, offline: 0, criticalAlerts: 0, warningAlerts: 0 };
  for (const server of servers) {
    counts.total++;
    if (server.online) counts.online++;
    else counts.offline++;
    counts.criticalAlerts += server.criticalAlerts;
    counts.warningAlerts += server.warningAlerts;
  }
  return counts;
}
