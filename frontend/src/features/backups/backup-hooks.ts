// The jobs of one server, live: one GET when shown (and on reload), then every `backups` frame replaces the list and
// every `backup-progress` frame moves one job's bar.
import { useCallback, useEffect, useRef } from 'react';
import { useApp } from '../../lib/app-context';
import { removeById, upsertById, useLoad, type Loaded } from '../../lib/use-load';
import type { BackupJob } from '../../lib/wire';
import { listBackupJobs } from './api';
import { isNewerList, withProgress, type JobList } from './backups';

export interface LoadedJobs extends Loaded<JobList> {
  /** Puts a job the node answered (created, saved, trusted) in place. */
  put: (job: BackupJob) => void;
  remove: (jobId: string) => void;
}

export function useBackupJobs(serverId: string): LoadedJobs {
  const { http, live } = useApp();
  const frames = useRef(0);
  const load = useCallback(() => {
    const seen = frames.current;
    return listBackupJobs(http, serverId).then((jobs): JobList => ({ jobs, frame: seen }));
  }, [http, serverId]);
  const loaded = useLoad(load, isNewerList);
  const { accept, setData } = loaded;
  useEffect(() => live.watchBackups(serverId, (frame) => {
    if (frame.type === 'backups') {
      frames.current += 1;
      accept({ jobs: frame.jobs, frame: frames.current });
    } else {
      setData((current) => (current === null ? current : { ...current, jobs: withProgress(current.jobs, frame.jobId, frame.progress) }));
    }
  }), [live, serverId, accept, setData]);
  const put = useCallback((job: BackupJob) => setData((current) => ({ jobs: upsertById(current?.jobs ?? null, job), frame: current?.frame ?? 0 })), [setData]);
  const remove = useCallback((jobId: string) => setData((current) => ({ jobs: removeById(current?.jobs ?? null, jobId), frame: current?.frame ?? 0 })), [setData]);
  return { ...loaded, put, remove };
}
