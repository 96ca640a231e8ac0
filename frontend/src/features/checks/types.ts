// The checks API (issue 13) as the node speaks it, written by hand after the contract (notes/checks-api.md) while the
// node's records are being built; once they exist these move to the generated wire types. Names follow the contract:
// a definition is what a person writes, a Check what the node answers (the definition with defaults filled, and
// what the vantages saw). Instants are ISO-8601 strings, durations ISO-8601 ("PT60S"), result times epoch millis.

export type CheckKind = 'http' | 'tcp' | 'tls' | 'dns';

/** The judgement over every vantage: "partial" when some reach it and some do not. */
export type CheckState = 'up' | 'partial' | 'down' | 'pending' | 'maintenance';

/** One vantage's view: "abstained" when it cannot reach its own reference, so its failures are not counted. */
export type VantageState = 'up' | 'retrying' | 'down' | 'abstained' | 'pending';

export type VantageKind = 'all' | 'servers' | 'group' | 'tag' | 'local';

export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS';

export type Phase = 'dns' | 'connect' | 'tls' | 'firstByte' | 'total';

/** Which agents run the check: every one, chosen servers, a group's, a tag's, or the node's own (local). */
export interface VantageSelection {
  kind: VantageKind;
  /** Server ids, a group or a tag (one), by `kind`; absent for all and local. */
  values?: string[];
}

/** The request body of POST /api/checks and PUT /api/checks/{id}; each kind reads its own fields. */
export interface CheckDefinition {
  name: string;
  kind: CheckKind;
  // http
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Empty or absent: any 2xx. */
  expectStatus?: number[];
  keyword?: string;
  /** Edited nowhere in the page (imports may set one); kept as it came when a check is saved back. */
  jsonCondition?: unknown;
  followRedirects?: boolean;
  /** SHA-256 fingerprint ("AB:CD:…") that pins a self-signed certificate (http with https, tls). */
  acceptFingerprint?: string;
  // tcp, tls, dns
  host?: string;
  /** tcp: required; tls: 443 by default. */
  port?: number;
  /** tls: the SNI name. */
  serverName?: string;
  /** dns: A by default. */
  recordType?: RecordType;
  /** dns: the answer expected. */
  expect?: string;
  // every kind
  interval: string;
  retries: number;
  timeout: string;
  vantages: VantageSelection;
  /** Days before expiry to warn at (http with https, tls). */
  warnDays?: number[];
  group?: string;
}

/** What one vantage saw last. */
export interface VantageStatus {
  serverId: string;
  serverName?: string | null;
  state: VantageState;
  /** "dns", "connect-refused", "timeout", "tls-handshake", "certificate-invalid", "status", "keyword", … */
  reason?: string | null;
  latencyMillis?: number | null;
  address?: string | null;
  message?: string | null;
  /** When its latest result came. */
  at?: string | null;
}

/** The served certificate (http with https, tls); null until a result was seen. */
export interface CertificateInfo {
  daysLeft: number;
  notAfter: string;
  issuer: string;
  subject: string;
  fingerprint: string;
  chainDaysLeft?: number | null;
  chainNotAfter?: string | null;
  trusted: boolean;
  /** Vantages or addresses were served different certificates. */
  mismatch: boolean;
}

/** Fractions of judged time up (maintenance excluded), each null without data. */
export interface Uptime {
  day: number | null;
  week: number | null;
  month: number | null;
}

/** GET /api/checks/{id}, and each entry of the lists: every definition field (defaults filled) and the state. */
export interface Check extends Omit<CheckDefinition, 'vantages'> {
  id: string;
  state: CheckState;
  /** The last state change. */
  since: string | null;
  /** The definition's `vantages` (here `vantages` is the state of each). */
  vantageSelection: VantageSelection;
  vantages: VantageStatus[];
  failingAddresses: string[];
  certificate?: CertificateInfo | null;
  uptime: Uptime | null;
  /** Median total latency of the judging vantages' latest results. */
  latencyMillis: number | null;
}

export interface CheckList {
  checks: Check[];
}

export interface CheckDeleted {
  deleted: string;
}

/** POST /api/checks/{id}/run: the connected vantages asked to run it now. */
export interface RunRequested {
  requested: string[];
}

// ---- Results: GET /api/checks/{id}/results?from&to ----------------------------------------------------------------

export interface ResultPoint {
  /** Epoch millis. */
  t: number;
  v: number;
}

export interface LatencySeries {
  vantage: string;
  phase: Phase;
  points: ResultPoint[];
}

/** 1 or 0 per result, or the fraction up in a rolled-up bucket. */
export interface UpSeries {
  vantage: string;
  points: ResultPoint[];
}

export interface PhaseStats {
  vantage: string;
  phase: Phase;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  count: number;
}

export interface CheckFailure {
  at: string;
  vantage: string;
  reason: string;
  message: string;
  statusCode?: number | null;
  address?: string | null;
  /** The start of the response body: untrusted text, never to be rendered as HTML. */
  excerpt?: string | null;
}

export interface CheckResults {
  from: string;
  to: string;
  /** "raw", "1m", "1h", … */
  resolution: string;
  latency: LatencySeries[];
  up: UpSeries[];
  stats: PhaseStats[];
  /** Newest first, at most 50. */
  failures: CheckFailure[];
}

// ---- Maintenance windows -------------------------------------------------------------------------------------------

export type WindowSpec =
  | { kind: 'once'; start: string; end: string }
  | { kind: 'recurring'; cron: string; timeZone: string; duration: string };

/** The body of POST and PUT /api/maintenance: no checks and no group covers every check. */
export interface MaintenanceWindowInput {
  name: string;
  window: WindowSpec;
  checks: string[];
  group?: string | null;
}

export interface MaintenanceWindow extends MaintenanceWindowInput {
  id: string;
  /** Now inside the window. */
  active: boolean;
}

export interface MaintenanceList {
  windows: MaintenanceWindow[];
}

// ---- Public status pages -------------------------------------------------------------------------------------------

export interface StatusPageSetting {
  group: string;
  title: string;
  enabled: boolean;
}

export interface StatusPageList {
  pages: StatusPageSetting[];
}

export interface StatusPageUpdate {
  title: string;
  enabled: boolean;
}

export interface StatusDay {
  /** "2026-12-01" */
  day: string;
  uptime: number | null;
}

export interface PublicCheckStatus {
  name: string;
  state: CheckState;
  since: string | null;
  /** 90 entries, oldest first. */
  days: StatusDay[];
}

/** GET /api/status/{group}: public, 404 unless the group's page is enabled. */
export interface PublicStatus {
  group: string;
  title: string;
  /** The worst of the checks. */
  state: CheckState;
  checks: PublicCheckStatus[];
}

// ---- Import --------------------------------------------------------------------------------------------------------

export type ImportFormat = 'uptime-kuma' | 'gatus';

export interface ImportRequest {
  format: ImportFormat;
  content: string;
  dryRun?: boolean;
  /** Applied to every imported check. */
  vantages?: VantageSelection;
}

export interface ImportSkipped {
  name: string;
  reason: string;
}

/** `created` holds the checks made, or on a dry run the definitions that would be. */
export interface ImportAnswer {
  created: (Check | CheckDefinition)[];
  skipped: ImportSkipped[];
}
