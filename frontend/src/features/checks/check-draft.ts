// The check form as typed, and turning it into the definition the node takes, checking what the node would refuse.
// Problems are worded as the node words them ("interval: …", the field first), so one place shows either next to
// its field.
import { isoToSecondsText, watchesCertificate } from './check-format';
import type { Check, CheckDefinition, CheckKind, RecordType, VantageKind } from './types';

export const RECORD_TYPES: RecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'];
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Numbers and lists stay text, so a refused save gives back exactly what was typed. */
export interface CheckDraft {
  name: string;
  kind: CheckKind;
  url: string;
  method: string;
  /** "200, 301": empty for any 2xx. */
  expectStatus: string;
  keyword: string;
  /** One "Name: value" per line. */
  headers: string;
  followRedirects: boolean;
  acceptFingerprint: string;
  host: string;
  port: string;
  serverName: string;
  recordType: RecordType;
  expect: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  retries: string;
  vantageKind: VantageKind;
  /** The chosen server ids (vantageKind "servers"). */
  vantageServers: string[];
  /** The group or the tag (vantageKind "group" or "tag"). */
  vantageValue: string;
  /** "30, 14, 7": days before expiry to warn at. */
  warnDays: string;
  group: string;
  /** Not edited here; sent back as it came so saving does not drop it. */
  jsonCondition?: unknown;
}

export const NEW_CHECK: CheckDraft = {
  name: '', kind: 'http', url: '', method: 'GET', expectStatus: '', keyword: '', headers: '', followRedirects: true,
  acceptFingerprint: '', host: '', port: '', serverName: '', recordType: 'A', expect: '', intervalSeconds: '60',
  timeoutSeconds: '10', retries: '2', vantageKind: 'all', vantageServers: [], vantageValue: '', warnDays: '30, 14, 7, 3, 1', group: '',
};

/** The form of an existing check (or a new one). */
export function checkDraftOf(check: Check | null): CheckDraft {
  if (check === null) return { ...NEW_CHECK };
  const selection = check.vantageSelection ?? { kind: 'all' };
  const values = selection.values ?? [];
  return {
    name: check.name,
    kind: check.kind,
    url: check.url ?? '',
    method: check.method ?? 'GET',
    expectStatus: (check.expectStatus ?? []).join(', '),
    keyword: check.keyword ?? '',
    headers: Object.entries(check.headers ?? {}).map(([name, value]) => `${name}: ${value}`).join('\n'),
    followRedirects: check.followRedirects ?? true,
    acceptFingerprint: check.acceptFingerprint ?? '',
    host: check.host ?? '',
    port: check.port === undefined || check.port === null ? '' : String(check.port),
    serverName: check.serverName ?? '',
    recordType: check.recordType ?? 'A',
    expect: check.expect ?? '',
    intervalSeconds: isoToSecondsText(check.interval),
    timeoutSeconds: isoToSecondsText(check.timeout),
    retries: String(check.retries ?? 2),
    vantageKind: selection.kind,
    vantageServers: selection.kind === 'servers' ? values : [],
    vantageValue: selection.kind === 'group' || selection.kind === 'tag' ? values[0] ?? '' : '',
    warnDays: (check.warnDays ?? []).join(', '),
    group: check.group ?? '',
    ...(check.jsonCondition === undefined || check.jsonCondition === null ? {} : { jsonCondition: check.jsonCondition }),
  };
}

/** "200, 301 ,404" → [200, 301, 404]; null when an entry is not a whole number. */
function numberList(text: string): number[] | null {
  const parts = text.split(/[,\s]+/).map((p) => p.trim()).filter((p) => p.length > 0);
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isInteger(n)) ? numbers : null;
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** "Name: value" lines as an object; a problem naming the line otherwise. */
function headerObject(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  for (const [index, line] of lines.entries()) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (colon < 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return `headers: line ${index + 1} must read "Name: value"`;
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return new URL(text).hostname.length > 0;
  } catch {
    return false;
  }
}

type Checked = { definition: CheckDefinition } | { error: string };

/** The kind's own fields, or what to fix first. */
function kindFields(draft: CheckDraft): Partial<CheckDefinition> | string {
  const host = draft.host.trim();
  switch (draft.kind) {
    case 'http': {
      const url = draft.url.trim();
      if (!isHttpUrl(url)) return 'url: must be an http:// or https:// address';
      const statuses = numberList(draft.expectStatus);
      if (statuses === null || statuses.some((s) => s < 100 || s > 599)) return 'expectStatus: must be status codes from 100 to 599, separated by commas';
      const headers = headerObject(draft.headers);
      if (typeof headers === 'string') return headers;
      const fields: Partial<CheckDefinition> = { url, method: draft.method, followRedirects: draft.followRedirects };
      if (statuses.length > 0) fields.expectStatus = statuses;
      if (draft.keyword.trim() !== '') fields.keyword = draft.keyword.trim();
      if (Object.keys(headers).length > 0) fields.headers = headers;
      if (draft.acceptFingerprint.trim() !== '') fields.acceptFingerprint = draft.acceptFingerprint.trim();
      if (draft.jsonCondition !== undefined) fields.jsonCondition = draft.jsonCondition;
      return fields;
    }
    case 'tcp':
    case 'tls': {
      if (host === '') return 'host: is required';
      const port = draft.port.trim() === '' && draft.kind === 'tls' ? 443 : wholeNumber(draft.port);
      if (port === null || port < 1 || port > 65535) return 'port: must be from 1 to 65535';
      const fields: Partial<CheckDefinition> = { host, port };
      if (draft.kind === 'tls' && draft.serverName.trim() !== '') fields.serverName = draft.serverName.trim();
      if (draft.kind === 'tls' && draft.acceptFingerprint.trim() !== '') fields.acceptFingerprint = draft.acceptFingerprint.trim();
      return fields;
    }
    case 'dns': {
      if (host === '') return 'host: is required';
      const fields: Partial<CheckDefinition> = { host, recordType: draft.recordType };
      if (draft.expect.trim() !== '') fields.expect = draft.expect.trim();
      return fields;
    }
  }
}

/** The definition to send, or what to fix first (the node checks the rest and answers 400 naming the field). */
export function checkDefinitionOf(draft: CheckDraft): Checked {
  const name = draft.name.trim();
  if (name === '') return { error: 'name: is required' };
  const fields = kindFields(draft);
  if (typeof fields === 'string') return { error: fields };
  const interval = wholeNumber(draft.intervalSeconds);
  if (interval === null || interval < 10 || interval > 3600) return { error: 'interval: must be from 10 to 3600 seconds (10 s to 1 h)' };
  const timeout = wholeNumber(draft.timeoutSeconds);
  if (timeout === null || timeout < 1) return { error: 'timeout: must be a whole number of seconds, at least 1' };
  if (timeout >= interval / 2) return { error: `timeout: must be less than half the interval (under ${interval / 2} s)` };
  const retries = wholeNumber(draft.retries);
  if (retries === null || retries > 10) return { error: 'retries: must be from 0 to 10' };
  const values = draft.vantageKind === 'servers' ? draft.vantageServers
    : draft.vantageKind === 'group' || draft.vantageKind === 'tag' ? [draft.vantageValue.trim()].filter((v) => v !== '') : [];
  if (draft.vantageKind === 'servers' && values.length === 0) return { error: 'vantages: choose at least one server' };
  if ((draft.vantageKind === 'group' || draft.vantageKind === 'tag') && values.length === 0) return { error: `vantages: enter the ${draft.vantageKind}` };
  const definition: CheckDefinition = {
    name, kind: draft.kind, ...fields, interval: `PT${interval}S`, retries, timeout: `PT${timeout}S`,
    vantages: values.length > 0 ? { kind: draft.vantageKind, values } : { kind: draft.vantageKind },
  };
  if (watchesCertificate(definition) && draft.warnDays.trim() !== '') {
    const days = numberList(draft.warnDays);
    if (days === null || days.some((d) => d < 1 || d > 365)) return { error: 'warnDays: must be days from 1 to 365, separated by commas' };
    definition.warnDays = days;
  }
  if (draft.group.trim() !== '') definition.group = draft.group.trim();
  return { definition };
}

/** The form fields a problem can name ("interval: …" → "interval"; "vantages.values[0]: …" → "vantages"). */
export const DRAFT_FIELDS = [
  'name', 'kind', 'url', 'method', 'expectStatus', 'keyword', 'headers', 'followRedirects', 'acceptFingerprint', 'host',
  'port', 'serverName', 'recordType', 'expect', 'interval', 'timeout', 'retries', 'vantages', 'warnDays', 'group',
] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

/** The field a problem ("field: what is wrong") names, if the form has it; `vantageSelection` is `vantages`. */
export function fieldOfProblem(problem: string | null): DraftField | null {
  if (problem === null) return null;
  const match = /^([A-Za-z]+)[^:\s]*:/.exec(problem);
  if (match === null) return null;
  const field = match[1] === 'vantageSelection' ? 'vantages' : match[1];
  return (DRAFT_FIELDS as readonly string[]).includes(field!) ? (field as DraftField) : null;
}
