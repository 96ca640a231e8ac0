// What the server page shows under its Backups tab: the jobs, or one job's page. Loaded lazily by the server page.
import { BackupsTab } from './backups-tab';
import { JobView } from './job-view';

export default function BackupsSection({ serverId, serverName, online, jobId }: {
  serverId: string; serverName: string; online: boolean; jobId: string | null;
}) {
  return jobId === null
    ? <BackupsTab serverId={serverId} serverName={serverName} online={online} />
    : <JobView key={jobId} serverId={serverId} serverName={serverName} online={online} jobId={jobId} />;
}
