// The shape of every JSON the node sends or accepts, on /api and on the live socket (see README, "HTTP API").
// Types only, no logic: the feature modules import these, and they are to be generated from (or golden-checked
// against) the node's Java records, which this file will then re-export.

// ---- Errors ----------------------------------------------------------------------------------------------------

/** The body of every error answer. */
export interface ErrorBody {
  error: string;
  /** A stable, machine-readable category; not every node sends it yet. */
  code?: string;
}

// ---- Sessions --------------------------------------------------------------------------------------------------

export type Role = 'ADMIN' | 'VIEWER';

export interface Me {
  username: string;
  role: Role;
}

export interface LoginRequest {
  username: string;
  password: string;
  remember: boolean;
}

// ---- Servers ---------------------------------------------------------------------------------------------------

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

/** Every process on a server, asked from its agent (reports carry only the heaviest 10). */
export interface ProcessList {
  collectedAt: string;
  processes: ProcessInfo[];
}

/** The kinds of entry of a server's audit history: stable names, whatever the node's classes are called. */
export type ServerEventType =
  | 'registered' | 'hostname-changed' | 'agent-version-changed' | 'system-changed'
  | 'renamed' | 'regrouped' | 'retagged' | 'notes-changed'
  | 'came-online' | 'reports-dropped' | 'went-offline' | 'deleted'
  | 'alert-pending' | 'alert-fired' | 'alert-cancelled' | 'alert-resolved' | 'alert-acknowledged'
  | 'silenced' | 'silence-ended'
  | 'service-went-down' | 'service-recovered' | 'service-restart-attempted' | 'service-restart-failed'
  | 'service-recovery-gave-up' | 'service-flapping' | 'service-action-requested' | 'service-action-completed'
  | 'auto-restart-changed';

/** One entry of a server's audit history; `details` holds the event's own fields (as the node's record names them). */
export interface ServerEvent {
  sequence: number;
  type: ServerEventType;
  at: string;
  /** Who did it, when a person did. */
  by?: string | null;
  details: Record<string, unknown>;
}

export interface EventPage {
  events: ServerEvent[];
  nextBefore: number | null;
}

export interface EnrollmentTokenRequest {
  /** ISO-8601 duration, e.g. "PT24H". */
  ttl: string;
  maxUses: number;
}

export interface EnrollmentToken {
  token: string;
  expiresAt: string;
  maxUses: number;
  hub: string;
  command: string;
  systemdUnit?: string;
}

/** A PATCH of a server's details: absent fields stay, null clears. */
export interface DetailsPatch {
  displayName?: string | null;
  group?: string | null;
  tags?: string[];
  notes?: string | null;
}

// ---- Alerting: rules, active alerts and their history, silences ------------------------------------------------

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

export interface AcknowledgeRequest {
  serverId: string;
  key: string;
  comment?: string;
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

// ---- Notification channels and their deliveries ----------------------------------------------------------------

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

/** The answer to a test message that went through (one that failed is an error answer, 502). */
export interface ChannelTestAnswer {
  ok: boolean;
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

// ---- The inbox behind the bell ---------------------------------------------------------------------------------

/** An alert fired or resolved; a channel keeps failing; the notifier could not record an alert event (see the node log). */
export type InboxKind = 'firing' | 'resolved' | 'channel-failing' | 'notifier-error';

export interface InboxItem {
  /** Increasing: "read up to" is a watermark on it. */
  id: number;
  at: string;
  serverId: string | null;
  serverName: string | null;
  severity: Severity | null;
  kind: InboxKind;
  text: string;
}

export interface Inbox {
  unread: number;
  items: InboxItem[];
}

export interface InboxReadRequest {
  upTo: number;
}

/** What is still unread after a read mark (items newer than the mark). */
export interface InboxReadAnswer {
  unread: number;
}

// ---- Services: what the agent watches on a server, controlling them, their logs ---------------------------------

export type ServiceKind = 'systemd' | 'process';
export type ServiceStatus = 'running' | 'down' | 'stopped' | 'unknown';
/** `held`: a person stopped it through Steward, so it is left down until it runs again. */
export type RecoveryState = 'idle' | 'restarting' | 'gave-up' | 'flapping' | 'held';
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

export interface ServiceActionRequest {
  action: ServiceAction;
}

export interface ServiceActionAnswer {
  ok: boolean;
  message: string;
}

export interface AutoRestartRequest {
  enabled: boolean;
}

/** A service's newest log lines, oldest first. */
export interface ServiceLogs {
  lines: string[];
}

// ---- The live socket (/ws/ui) ----------------------------------------------------------------------------------

/** The fleet: a snapshot after every watch, then only what changed. */
export interface FleetFrame {
  type: 'fleet';
  snapshot: boolean;
  servers: ServerSummary[];
  removed: string[];
}

export interface ServerFrame {
  type: 'server';
  serverId: string;
  summary: ServerSummary;
  /** Null when the change carried no new measurement (renamed, went offline): keep the last report. */
  report: MetricsReport | null;
}

/** A watched server was deleted. */
export interface RemovedFrame {
  type: 'removed';
  serverId: string;
}

/** A new item of the user's inbox (the bell); every session gets these without asking. */
export interface InboxFrame {
  type: 'inbox';
  item: InboxItem;
}

/** The services of a watched server, pushed on every agent check. */
export interface ServicesFrame {
  type: 'services';
  serverId: string;
  checkedAt: string | null;
  services: Service[];
}

/** Everything the node sends on the live socket. */
export type LiveMessage =
  | FleetFrame
  | ServerFrame
  | RemovedFrame
  | InboxFrame
  | ServicesFrame
  | { type: 'welcome'; username: string }
  | { type: 'error'; message: string }
  | { type: 'session-ended' };

/** Everything the page sends on the live socket. */
export type LiveRequest =
  | { type: 'watch-fleet' }
  | { type: 'unwatch-fleet' }
  | { type: 'watch-server'; serverId: string }
  | { type: 'unwatch-server'; serverId: string };
