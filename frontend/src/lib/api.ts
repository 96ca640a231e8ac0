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

// Alerting (see the alerting API contract): rules, active alerts and their history, silences, channels,
// deliveries and the per-user inbox behind the bell.

export type Severity = 'warning' | 'critical';
export type Comparison = 'above' | 'below';
export type ScopeKind = 'global' | 'group' | 'tag' | 'server';

export interface RuleScope {
  kind: ScopeKind;
  value: string | null;
}

export interface AlertRule {
  id: string;
  name: string;
  metric: string;
  comparison: Comparison;
  threshold: number;
  recovery: number;
  /** ISO-8601 duration, e.g. "PT5M". */
  for: string;
  severity: Severity;
  scope: RuleScope;
  enabled: boolean;
  /** How the rule reads: "cpu.percent > 90". */
  condition: string;
}

export interface AlertRuleInput {
  name: string;
  metric: string;
  comparison: Comparison;
  threshold: number;
  recovery?: number;
  for?: string;
  severity: Severity;
  scope?: RuleScope;
  enabled?: boolean;
}

export interface Acknowledgement {
  by: string;
  at: string;
  comment: string | null;
}

export interface ActiveAlert {
  serverId: string;
  serverName: string;
  /** Identifies the alert within its server; opaque (may hold `|{}=/`). */
  key: string;
  ruleId: string;
  ruleName: string;
  series: string;
  severity: Severity;
  phase: 'pending' | 'firing';
  since: string;
  value: number | null;
  condition: string;
  acknowledged: Acknowledgement | null;
  silencedUntil: string | null;
}

export interface AlertEpisode {
  id: string | number;
  serverId: string;
  serverName: string;
  ruleId: string;
  ruleName: string;
  series: string;
  severity: Severity;
  condition: string;
  firedAt: string;
  firedValue: number | null;
  resolvedAt: string | null;
  resolvedValue: number | null;
  resolveReason: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  ackComment: string | null;
}

export interface HistoryQuery {
  server?: string;
  severity?: Severity;
  limit?: number;
}

export interface Silence {
  id: string;
  serverId: string | null;
  ruleId: string | null;
  until: string;
  comment: string | null;
  by: string;
  createdAt: string;
}

export interface SilenceInput {
  serverId?: string;
  ruleId?: string;
  minutes: number;
  comment?: string;
}

export type ChannelType = 'email' | 'telegram' | 'slack' | 'discord' | 'webhook';

export interface ChannelHealth {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  failing: boolean;
}

/** Non-secret settings; which keys apply depends on the type. */
export type ChannelSettings = Record<string, string | number | string[] | null | undefined>;

export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  severities: Severity[];
  groups: string[];
  tags: string[];
  remindEveryHours: number | null;
  settings: ChannelSettings;
  /** Names of the secrets that have a stored value; the values themselves are never sent back. */
  secretsSet: string[];
  health: ChannelHealth;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelInput {
  name: string;
  type: ChannelType;
  enabled?: boolean;
  severities?: Severity[];
  groups?: string[];
  tags?: string[];
  remindEveryHours?: number | null;
  settings: ChannelSettings;
  /** Absent or "" keeps a stored secret (on PUT). */
  secrets: Record<string, string>;
}

export interface Delivery {
  id: string | number;
  channelId: string;
  channelName: string;
  serverId: string | null;
  serverName: string | null;
  kind: 'firing' | 'resolved' | 'reminder' | 'test';
  severity: Severity | null;
  subject: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DeliveryAttempt {
  at: string;
  ok: boolean;
  error: string | null;
  millis: number;
}

export interface InboxItem {
  /** Increasing: "read up to" is a watermark on it. */
  id: number;
  at: string;
  serverId: string | null;
  serverName: string | null;
  severity: Severity | null;
  kind: 'firing' | 'resolved' | 'channel-failing';
  text: string;
}

export interface Inbox {
  unread: number;
  items: InboxItem[];
}

// Services (see the services API contract): what the agent watches on a server, controlling them, their logs.

export type ServiceKind = 'systemd' | 'process';
export type ServiceStatus = 'running' | 'down' | 'stopped' | 'unknown';
export type RecoveryState = 'idle' | 'restarting' | 'gave-up' | 'flapping';
export type ServiceAction = 'start' | 'stop' | 'restart';

/** Steward's own automatic restarts of a service that went down. */
export interface ServiceRecovery {
  state: RecoveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastResult: string | null;
}

export interface Service {
  name: string;
  kind: ServiceKind;
  status: ServiceStatus;
  /** "active/running", "pid 123; port 8080 answers". */
  detail: string | null;
  description: string | null;
  mainPid: number | null;
  memoryBytes: number | null;
  cpuPercent: number | null;
  /** The service manager's own restart count (systemd NRestarts). */
  restarts: number | null;
  /** Running since, or down since. */
  since: string | null;
  /** False for a discovered service: Steward only watches it (no actions). */
  controllable: boolean;
  autoRestart: boolean;
  recovery: ServiceRecovery;
}

export interface ServiceList {
  /** When the agent last checked; null if it never reported services. */
  checkedAt: string | null;
  services: Service[];
}

export interface ServiceActionAnswer {
  ok: boolean;
  message: string;
}

export type LogLineCount = 50 | 100 | 500 | 1000;

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

  alertRules(): Promise<AlertRule[]> {
    return this.call('GET', '/api/alert-rules');
  }

  createAlertRule(rule: AlertRuleInput): Promise<AlertRule> {
    return this.call('POST', '/api/alert-rules', rule);
  }

  updateAlertRule(id: string, rule: AlertRuleInput): Promise<AlertRule> {
    return this.call('PUT', `/api/alert-rules/${encodeURIComponent(id)}`, rule);
  }

  deleteAlertRule(id: string): Promise<unknown> {
    return this.call('DELETE', `/api/alert-rules/${encodeURIComponent(id)}`);
  }

  alerts(): Promise<ActiveAlert[]> {
    return this.call('GET', '/api/alerts');
  }

  acknowledgeAlert(serverId: string, key: string, comment?: string): Promise<ActiveAlert> {
    return this.call('POST', '/api/alerts/ack', comment ? { serverId, key, comment } : { serverId, key });
  }

  alertHistory(query: HistoryQuery = {}): Promise<AlertEpisode[]> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 200) });
    if (query.server) params.set('server', query.server);
    if (query.severity) params.set('severity', query.severity);
    return this.call('GET', `/api/alerts/history?${params.toString()}`);
  }

  silences(): Promise<Silence[]> {
    return this.call('GET', '/api/silences');
  }

  createSilence(silence: SilenceInput): Promise<Silence> {
    return this.call('POST', '/api/silences', silence);
  }

  endSilence(id: string): Promise<unknown> {
    return this.call('DELETE', `/api/silences/${encodeURIComponent(id)}`);
  }

  channels(): Promise<Channel[]> {
    return this.call('GET', '/api/channels');
  }

  createChannel(channel: ChannelInput): Promise<Channel> {
    return this.call('POST', '/api/channels', channel);
  }

  updateChannel(id: string, channel: ChannelInput): Promise<Channel> {
    return this.call('PUT', `/api/channels/${encodeURIComponent(id)}`, channel);
  }

  deleteChannel(id: string): Promise<unknown> {
    return this.call('DELETE', `/api/channels/${encodeURIComponent(id)}`);
  }

  /** Sends a test message now; a channel that fails answers 502 with the reason (an ApiError). */
  testChannel(id: string): Promise<{ ok: boolean }> {
    return this.call('POST', `/api/channels/${encodeURIComponent(id)}/test`);
  }

  deliveries(channelId: string | null = null, limit = 100): Promise<Delivery[]> {
    const params = new URLSearchParams({ limit: String(limit) });
    if (channelId !== null) params.set('channel', channelId);
    return this.call('GET', `/api/notifications?${params.toString()}`);
  }

  deliveryAttempts(id: string | number): Promise<DeliveryAttempt[]> {
    return this.call('GET', `/api/notifications/${encodeURIComponent(String(id))}/attempts`);
  }

  inbox(): Promise<Inbox> {
    return this.call('GET', '/api/inbox');
  }

  /** Marks every item with an id up to `upTo` read for this user; answers what is still unread. */
  markInboxRead(upTo: number): Promise<{ unread: number }> {
    return this.call('POST', '/api/inbox/read', { upTo });
  }

  services(id: string): Promise<ServiceList> {
    return this.call('GET', `/api/servers/${encodeURIComponent(id)}/services`);
  }

  /** Runs through the agent: an ApiError 409 (refused, nothing ran), 502 (ran and failed), 503 (agent not connected), 504 (no answer). */
  serviceAction(id: string, name: string, action: ServiceAction): Promise<ServiceActionAnswer> {
    return this.call('POST', `${servicePath(id, name)}/actions`, { action });
  }

  /** The service's newest log lines, oldest first. */
  serviceLogs(id: string, name: string, lines: LogLineCount): Promise<{ lines: string[] }> {
    return this.call('GET', `${servicePath(id, name)}/logs?lines=${lines}`);
  }

  /** Every process on the server, asked from the agent now (reports carry only the heaviest 10). */
  allProcesses(id: string): Promise<{ collectedAt: string; processes: ProcessInfo[] }> {
    return this.call('GET', `/api/servers/${encodeURIComponent(id)}/processes`);
  }

  setAutoRestart(id: string, name: string, enabled: boolean): Promise<Service> {
    return this.call('PUT', `${servicePath(id, name)}/auto-restart`, { enabled });
  }
}

function servicePath(id: string, name: string): string {
  return `/api/servers/${encodeURIComponent(id)}/services/${encodeURIComponent(name)}`;
}

/** The server's name as people call it. */
export function serverName(server: Pick<ServerSummary, 'displayName' | 'hostname'>): string {
  return server.displayName && server.displayName.length > 0 ? server.displayName : server.hostname;
}
