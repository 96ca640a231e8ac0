// Following an install over SSH as the node runs it: its server-sent events while they flow, polling its log from
// the last line held when they cannot (a proxy that buffers event streams, a dropped connection).
import { useEffect, useState } from 'react';
import { useApp } from '../../lib/app-context';
import type { SshInstallJob } from '../../lib/wire';
import { sshInstall, sshInstallEventsPath } from './api';

/** Between two polls of a running install once its events failed. */
export const POLL_INTERVAL_MS = 1000;

/** The `state` event: the install without its lines. */
type StateEvent = Omit<SshInstallJob, 'lines'>;

/**
 * The install as it is now, with every log line from the first. `started` is the node's answer to the start (or any
 * view of the install from line 0); the events replay the log from line 0, so lines already held are skipped.
 */
export function useFollowedInstall(started: SshInstallJob): SshInstallJob {
  const { http } = useApp();
  const [job, setJob] = useState<SshInstallJob>(started);

  useEffect(() => {
    let current: SshInstallJob = started;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let events: EventSource | null = null;
    const publish = (next: SshInstallJob) => {
      current = next;
      if (!stopped) setJob(next);
    };

    const poll = () => {
      sshInstall(http, started.id, current.lines.length).then((view) => {
        if (stopped) return;
        publish({ ...view, lines: [...current.lines.slice(0, view.from), ...view.lines] });
        if (view.state === 'running') timer = setTimeout(poll, POLL_INTERVAL_MS);
      }, () => {
        // The node is unreachable for a moment (a restart, the network): the install goes on there; keep asking.
        if (!stopped) timer = setTimeout(poll, POLL_INTERVAL_MS);
      });
    };

    if (started.state === 'running') {
      if (typeof EventSource === 'undefined') {
        poll();
      } else {
        // Same origin: the session cookie goes with it (withCredentials is only for other origins).
        events = new EventSource(sshInstallEventsPath(started.id));
        let streamed = 0;
        events.addEventListener('line', (event) => {
          const index = streamed++;
          if (index >= current.lines.length) publish({ ...current, lines: [...current.lines, (event as MessageEvent<string>).data] });
        });
        events.addEventListener('state', (event) => {
          const state = JSON.parse((event as MessageEvent<string>).data) as StateEvent;
          publish({ ...current, ...state, from: 0, lines: current.lines });
        });
        events.addEventListener('end', () => {
          events?.close();
          events = null;
        });
        // An EventSource reconnects by itself and would replay the log; polling from the last line held is simpler.
        events.onerror = () => {
          events?.close();
          events = null;
          if (!stopped && current.state === 'running') poll();
        };
      }
    }
    return () => {
      stopped = true;
      events?.close();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [http, started]);

  return job;
}
