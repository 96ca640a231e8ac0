// An install over SSH as it runs on the node: its steps, its log live, the failing step named, the new server linked.
import { useEffect, useRef } from 'react';
import { onLinkClick, serverPath } from '../../lib/router';
import type { SshInstallJob, SshInstallStep } from '../../lib/wire';
import { useFollowedInstall } from './ssh-install-follow';

/** Every step in the order the node takes them (exhaustive: a step the node adds fails the type check here). */
export const STEP_LABELS: Readonly<Record<SshInstallStep, string>> = {
  connect: 'Connect',
  'host-key': 'Check the host key',
  authenticate: 'Log in',
  inspect: 'Inspect the server',
  privileges: 'Root or sudo',
  upload: 'Upload the agent',
  install: 'Install and start it',
  'agent-reports': 'Wait for its first report',
  done: 'Done',
};

const STEPS = Object.keys(STEP_LABELS) as SshInstallStep[];

export type StepState = 'done' | 'current' | 'failed' | 'pending';

/** Where each step stands in `job`: before the current one done, the current one running or failed, the rest to come. */
export function stepStates(job: Pick<SshInstallJob, 'state' | 'step'>): Record<SshInstallStep, StepState> {
  const reached = STEPS.indexOf(job.step);
  const states = {} as Record<SshInstallStep, StepState>;
  STEPS.forEach((step, index) => {
    if (job.state === 'succeeded' || index < reached) states[step] = 'done';
    else if (index === reached) states[step] = job.state === 'failed' ? 'failed' : 'current';
    else states[step] = 'pending';
  });
  return states;
}

const MARKS: Record<StepState, string> = { done: '✓', current: '…', failed: '✗', pending: '' };

export function SshInstallProgress({ started, onLeave, onRetry }: {
  started: SshInstallJob; onLeave: () => void; onRetry: () => void;
}) {
  const job = useFollowedInstall(started);
  const states = stepStates(job);
  const log = useRef<HTMLPreElement>(null);
  // Follow the end of the log as lines arrive, as a terminal would.
  useEffect(() => {
    const element = log.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, [job.lines.length]);
  const where = `${job.user}@${job.host}${job.port === 22 ? '' : `:${job.port}`}`;

  return (
    <div className="ssh-install-progress" data-testid="ssh-install-progress" data-state={job.state}>
      <h3>Installing on {where}</h3>
      <ol className="ssh-steps" aria-label="Install steps" data-testid="ssh-install-steps">
        {STEPS.filter((step) => step !== 'done').map((step) => (
          <li key={step} data-step={step} data-state={states[step]} aria-current={states[step] === 'current' ? 'step' : undefined}>
            <span className="ssh-step-mark" aria-hidden="true">{MARKS[states[step]]}</span>
            {STEP_LABELS[step]}
            {states[step] !== 'pending' && <span className="sr-only"> ({states[step]})</span>}
          </li>
        ))}
      </ol>
      <p role="status" data-testid="ssh-install-status">
        {job.state === 'running' && <>Running: {STEP_LABELS[job.step]}… <span className="muted small">(it goes on on the node if
          this dialog is closed)</span></>}
        {job.state === 'succeeded' && <>Installed: the agent reports to this node.</>}
        {job.state === 'failed' && <>The install stopped.</>}
      </p>
      {job.state === 'failed' && (
        <div className="form-error" role="alert" data-testid="ssh-install-error">
          Failed at “{STEP_LABELS[job.step]}”: {job.error ?? 'no reason given'}
        </div>
      )}
      <pre className="ssh-log" ref={log} tabIndex={0} aria-label="Install log" data-testid="ssh-install-log">
        {job.lines.join('\n')}
      </pre>
      <div className="form-actions">
        {job.state === 'succeeded' && job.serverId !== null && (
          <a href={serverPath(job.serverId)} data-testid="ssh-install-server-link"
            onClick={(event) => { onLinkClick(event); onLeave(); }}>Open the server&apos;s page</a>
        )}
        {job.state === 'failed' && (
          <button type="button" className="secondary" onClick={onRetry} data-testid="ssh-install-retry"
            title="Back to the form (the password or key has to be entered again)">Change and try again</button>
        )}
      </div>
    </div>
  );
}
