// Typed client of the node's /api, mirroring the JSON the node writes (see README, "HTTP API").

export type Role = 'ADMIN' | 'VIEWER';

export interface Me {
  username: string;
  role: Role;
}

export interface ServerSummary {
  id: string;
  hostname: string;
  displayName: string | null;
  group: string | null;
  tags: string[];
  notes: string | null;
  online: boolean;
  lastSeen: string | null;
  agentVersion: string | null;
  registeredAt: string;
  osName?: string | null;
  addresses?: string[];
  cpuPercent: number | null;
  memoryPercent: number | null;
  diskPercent: number | null;
  load1: number | null;
  uptimeSeconds?: number | null;
  criticalAlerts?: number;
  warningAlerts?: number;
}

export interface HostInfo {
  hostname: string;
  osName: string | null;
  osVersion: string | null;
  kernel: string | null;
  architecture: string | null;
  cpuModel: string | null;
  logicalCpus: number;
  bootTime: string | null;
  uptimeSeconds: number;
}

export interface FilesystemStats {
  mount: string;
  device: string | null;
  type: string | null;
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
  percent: number;
  inodesTotal: number;
  inodesUsed: number;
  inodesPercent: number;
}

export interface DiskStats {
  name: string;
  readBytesPerSecond: number;
  writeBytesPerSecond: number;
  readOpsPerSecond: number;
  writeOpsPerSecond: number;
}

export interface NetworkStats {
  name: string;
  ipv4: string[];
  ipv6: string[];
  mac: string | null;
  up: boolean;
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
  rxPacketsPerSecond: number;
  txPacketsPerSecond: number;
  rxErrors: number;
  txErrors: number;
}

export interface ProcessInfo {
  pid: number;
  name: string;
  user: string | null;
  cpuPercent: number;
  rssBytes: number;
  memoryPercent: number;
}

export interface MetricsReport {
  collectedAt: string;
  intervalMillis: number;
  host: HostInfo;
  cpu: { percent: number; perCore: number[]; load1: number; load5: number; load15: number };
  memory: {
    totalBytes: number;
    usedBytes: number;
    availableBytes: number;
    percent: number;
    swapTotalBytes: number;
    swapUsedBytes: number;
    swapPercent: number;
  };
  filesystems: FilesystemStats[];
  disks: DiskStats[];
  interfaces: NetworkStats[];
  processes: { count: number; threadCount: number; topByCpu: ProcessInfo[]; topByMemory: ProcessInfo[] };
  droppedReports: number;
}

export interface SystemIdentity {
  osName: string | null;
  osVersion: string | null;
  kernel: string | null;
  architecture: string | null;
  cpuModel: string | null;
  logicalCpus: number;
  addresses?: string[];
}

export interface WindowPoint {
  at: string;
  cpuPercent: number;
  memoryPercent: number;
  swapPercent: number;
  load1: number;
  diskPercent: number;
  networkRxBytesPerSecond: number;
  networkTxBytesPerSecond: number;
}

export interface ServerDetail extends ServerSummary {
  system: SystemIdentity | null;
  latest: MetricsReport | null;
  recent: WindowPoint[];
  lastEventSequence: number;
}

export interface SeriesAnswer {
  name: string;
  resolution: 'raw' | '1m' | '1h';
  from: string;
  to: string;
  points: [number, number][];
}

export interface ServerEvent {
  sequence: number;
  type: string;
  at: string;
  details: Record<string, unknown>;
}

export interface EventPage {
  events: ServerEvent[];
  nextBefore: number | null;
}

export interface EnrollmentToken {
  token: string;
  expiresAt: string;
  maxUses: number;
  hub: string;
  command: string;
  systemdUnit?: string;
}

export interface DetailsPatch {
  displayName?: string | null;
  group?: string | null;
  tags?: string[];
  notes?: string | null;
}

/** A failed API call, with the node's own message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unauthenticated(): boolean {
    return this.status === 401;
  }
}

type Fetch = typeof fetch;

/** Everything the dashboard asks of the node. `onUnauthenticated` runs on any 401 (the session is gone). */
export class Api {
  constructor(
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
    private readonly onUnauthenticated: () => void = () => {},
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'The Steward node cannot be reached. Check that it is running and your network.');
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!response.ok) {
      const message =
        parsed !== null && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string'
          ? parsed.error
          : `The node answered ${response.status} ${response.statusText}`.trim();
      const retry = response.headers.get('Retry-After');
      const error = new ApiError(response.status, message, retry === null ? null : Number(retry));
      if (error.unauthenticated && !path.startsWith('/api/auth/')) {
        this.onUnauthenticated();
      }
      throw error;
    }
    return parsed as T;
  }

  login(username: string, password: string, remember: boolean): Promise<Me> {
    return this.call('POST', '/api/auth/login', { username, password, remember });
  }

  logout(): Promise<unknown> {
    return this.call('POST', '/api/auth/logout');
  }

  me(): Promise<Me> {
    return this.call('GET', '/api/auth/me');
  }

  servers(): Promise<ServerSummary[]> {
    return this.call('GET', '/api/servers');
  }

  server(id: string): Promise<ServerDetail> {
    return this.call('GET', `/api/servers/${encodeURIComponent(id)}`);
  }

  series(id: string, name: string, from: Date, to: Date): Promise<SeriesAnswer> {
    const query = new URLSearchParams({ name, from: from.toISOString(), to: to.toISOString() });
    return this.call('GET', `/api/servers/${encodeURIComponent(id)}/metrics?${query.toString()}`);
  }

  events(id: string, before: number | null, limit = 50): Promise<EventPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (before !== null) query.set('before', String(before));
    return this.call('GET', `/api/servers/${encodeURIComponent(id)}/events?${query.toString()}`);
  }

  updateServer(id: string, patch: DetailsPatch): Promise<ServerSummary> {
    return this.call('PATCH', `/api/servers/${encodeURIComponent(id)}`, patch);
  }

  deleteServer(id: string): Promise<unknown> {
    return this.call('DELETE', `/api/servers/${encodeURIComponent(id)}`);
  }

  createEnrollmentToken(ttl = 'PT24H', maxUses = 1): Promise<EnrollmentToken> {
    return this.call('POST', '/api/enrollment-tokens', { ttl, maxUses });
  }
}

/** The server's name as people call it. */
export function serverName(server: Pick<ServerSummary, 'displayName' | 'hostname'>): string {
  return server.displayName && server.displayName.length > 0 ? server.displayName : server.hostname;
}
