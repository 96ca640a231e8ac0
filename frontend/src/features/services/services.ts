// Services as people read them: status words, recovery sentences, what an action's answer means. Imported only by
// the server page's Services tab and service page, so none of it is in the first download.
import { formatDuration, known, unlisted } from '../../lib/format';
import { ApiError, errorMessage } from '../../lib/http';
import type { ActionName, ProblemCode, Service, ServiceKind, ServiceList, ServiceRecovery, ServiceStatus } from '../../lib/wire';

export const STATUS_TOOLTIPS: Record<ServiceStatus, string> = {
  running: 'Running',
  down: 'Down: it should be running and is not',
  stopped: 'Stopped: not running, and not expected to (stopped on purpose)',
  unknown: 'Unknown: the agent could not tell',
};

/** Unknown words from a newer node are shown as they are, in grey. */
export function statusTooltip(status: string): string {
  return known(STATUS_TOOLTIPS, status) ?? status;
}

export const KIND_TOOLTIPS: Record<ServiceKind, string> = {
  systemd: 'A systemd unit',
  process: 'A process the agent checks (not a systemd unit)',
};

/** "up 3 h 12 min", "down for 5 min"; "—" without a time. */
export function sinceText(service: Pick<Service, 'status' | 'since'>, now: number): string {
  if (service.since === null) return '—';
  const then = Date.parse(service.since);
  if (Number.isNaN(then)) return '—';
  const elapsed = formatDuration(Math.max(0, (now - then) / 1000));
  return service.status === 'running' ? `up ${elapsed}` : `${service.status} for ${elapsed}`;
}

/** "restarting — attempt 2, next in 25 s", "gave up", "flapping", "held"; null while there is nothing to recover. */
export function recoveryText(recovery: ServiceRecovery, now: number): string | null {
  switch (recovery.state) {
    case 'idle':
      return null;
    case 'restarting': {
      // Before the first attempt there is no attempt to count yet.
      const attempt = recovery.attempts > 0 ? `restarting — attempt ${recovery.attempts}` : 'restarting';
      const next = recovery.nextAttemptAt === null ? Number.NaN : Date.parse(recovery.nextAttemptAt) - now;
      if (Number.isNaN(next)) return attempt;
      // Rounded up: "next in 25 s" until the 25th second has really passed.
      return `${attempt}${recovery.attempts > 0 ? ',' : ' —'} next ${next <= 0 ? 'due now' : `in ${formatDuration(Math.ceil(next / 1000))}`}`;
    }
    case 'gave-up':
      return 'gave up';
    case 'flapping':
      return 'flapping';
    case 'held':
      return 'held';
    default:
      return unlisted(recovery.state);
  }
}

/** Said after the state word where the word alone would puzzle. */
export const RECOVERY_NOTES: Record<ServiceRecovery['state'], string | null> = {
  idle: null,
  restarting: null,
  'gave-up': null,
  flapping: null,
  held: 'stopped by a person',
};

export function recoveryTooltip(recovery: ServiceRecovery): string {
  const last = recovery.lastResult === null ? '' : ` Last result: ${recovery.lastResult}.`;
  switch (recovery.state) {
    case 'idle':
      return recovery.lastResult === null ? 'Nothing to recover' : `Not restarting.${last}`;
    case 'restarting':
      return `Steward is restarting it: ${recovery.attempts} attempt${recovery.attempts === 1 ? '' : 's'} so far.${last}`;
    case 'gave-up':
      return `Steward stopped trying after ${recovery.attempts} attempt${recovery.attempts === 1 ? '' : 's'}; it needs a person.${last}`;
    case 'flapping':
      return `It keeps going down soon after being restarted, so Steward stopped restarting it (that would only hide a crash loop).${last}`;
    case 'held':
      return `Stopped by a person through Steward: it is left down, not restarted, until it runs again.${last}`;
    default:
      return `${unlisted(recovery.state)}.${last}`;
  }
}

/** What an action's answer means; the node's statuses tell whether anything ran. */
export type Outcome = 'done' | 'refused' | 'failed' | 'timed-out' | 'not-connected' | 'error';

export const OUTCOMES: Record<Outcome, { label: string; tooltip: string }> = {
  done: { label: 'Done', tooltip: 'The agent did it' },
  refused: { label: 'Refused', tooltip: 'The agent refused: nothing ran' },
  failed: { label: 'Failed', tooltip: 'The agent ran the command and it failed' },
  'timed-out': { label: 'Timed out', tooltip: 'No answer from the agent in time: it may still have run, check the status' },
  'not-connected': { label: 'Not connected', tooltip: 'The agent is not connected: nothing was sent' },
  error: { label: 'Error', tooltip: 'The request did not go through' },
};

export interface Result {
  outcome: Outcome;
  message: string;
}

/** What each category of failure the node names means for an action: only four say anything about the agent. */
const OUTCOME_OF_PROBLEM: Record<ProblemCode, Outcome> = {
  refused: 'refused',
  'upstream-failed': 'failed',
  'not-connected': 'not-connected',
  'timed-out': 'timed-out',
  invalid: 'error',
  'not-found': 'error',
  gone: 'error',
  conflict: 'error',
  unavailable: 'error',
  unauthenticated: 'error',
  forbidden: 'error',
  'rate-limited': 'error',
  'too-large': 'error',
  'unsupported-media-type': 'error',
  internal: 'error',
};

/** Without the node's code (a proxy's answer), the status is all there is to go by. */
function outcomeOfStatus(status: number): Outcome {
  switch (status) {
    case 409: return 'refused';
    case 502: return 'failed';
    case 503: return 'not-connected';
    case 504: return 'timed-out';
    default: return 'error';
  }
}

export function failureResult(failure: unknown): Result {
  const message = errorMessage(failure);
  if (!(failure instanceof ApiError)) return { outcome: 'error', message };
  return { outcome: failure.code !== null ? OUTCOME_OF_PROBLEM[failure.code] : outcomeOfStatus(failure.status), message };
}

/** "Refused: nginx is not in this agent's service list". */
export function resultText(result: Result): string {
  return `${OUTCOMES[result.outcome].label}: ${result.message}`;
}

export const ACTIONS: { action: ActionName; label: string; busy: string }[] = [
  { action: 'restart', label: 'Restart', busy: 'Restarting' },
  { action: 'start', label: 'Start', busy: 'Starting' },
  { action: 'stop', label: 'Stop', busy: 'Stopping' },
];

/** The confirmation's sentence: what happens, where. */
export function actionConsequence(action: ActionName, service: string, server: string): string {
  switch (action) {
    case 'restart': return `The agent on ${server} restarts ${service} now; it is briefly unavailable.`;
    case 'start': return `The agent on ${server} starts ${service} now.`;
    case 'stop': return `The agent on ${server} stops ${service} now; what it serves is unavailable until it is started again.`;
  }
}

/**
 * Whether `next` may replace what is shown: a slow GET answer must not undo a newer live frame. Equal check times
 * are taken (the node's view after an action, e.g. a new recovery state, can change between agent checks).
 */
export function isNewer(next: ServiceList, current: ServiceList | null): boolean {
  if (current === null || current.checkedAt === null) return true;
  if (next.checkedAt === null) return false;
  // Not older (an unreadable time is taken rather than freezing the view).
  return !(Date.parse(next.checkedAt) < Date.parse(current.checkedAt));
}

/** The line counts the node offers for a service's log (the `lines` query parameter; not a body on the wire). */
export type LogLineCount = 50 | 100 | 500 | 1000;

export const LOG_LINE_CHOICES: LogLineCount[] = [50, 100, 500, 1000];

