import { useCallback } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { useEvery } from '../../lib/use-every';
import { useLoad } from '../../lib/use-load';
import type { ClusterEvent, ClusterMember, ClusterView, Failover } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { LoadStatus } from '../../components/feedback';
import { clusterView } from './api';
import {
  EVENT_KINDS, failoverMillis, formatOffset, hostedCount, lookOf, MEMBER_STATES, OUTCOMES, shortAddress, typeHeading,
  type Tone,
} from './cluster-format';
import './cluster.css';

/** How often the page asks again: membership changes within seconds during a failover. */
const REFRESH_MILLIS = 5000;
/** Events listed under the failovers; the node sends more (the failovers are grouped from all it sends). */
const EVENTS_SHOWN = 50;

/** The cluster (admin): members with state, roles and what each hosts; failovers phase by phase; recent events. */
export default function ClusterPage() {
  const { http } = useApp();
  const view = useLoad(useCallback(() => clusterView(http), [http]));
  useEvery(REFRESH_MILLIS, view.reload);
  const data = view.data;
  return (
    <main className="page cluster-page">
      <h1>Cluster</h1>
      <LoadStatus loaded={view} failure="Could not load the cluster" lines={4} />
      {data !== null && (
        <>
          <Summary view={data} />
          {data.hostingProblem !== null && (
            <div className="banner" role="status" data-testid="hosting-problem">Some counts are unknown: {data.hostingProblem}</div>
          )}
          <Members view={data} />
          <section>
            <h2>Failovers</h2>
            {data.failovers.length === 0
              ? <p className="muted" data-testid="no-failovers">No member has been lost or has left in the recorded history.</p>
              : <ol className="failovers" data-testid="failovers">{data.failovers.map((failover) => (
                <FailoverCard key={`${failover.member}-${failover.startedAt}`} failover={failover} />))}</ol>}
          </section>
          <section>
            <h2>Recent events</h2>
            {data.events.length === 0
              ? <p className="muted">Nothing recorded yet.</p>
              : <ol className="cluster-events" data-testid="cluster-events">{data.events.slice(0, EVENTS_SHOWN).map((event, index) => (
                <EventLine key={`${event.at}-${event.kind}-${event.member}-${index}`} event={event} />))}</ol>}
          </section>
        </>
      )}
    </main>
  );
}

function Summary({ view }: { view: ClusterView }) {
  const up = view.members.filter((member) => member.status === 'up' && member.reachable).length;
  return (
    <p className="cluster-summary" data-testid="cluster-summary">
      {up} of {view.members.length} member{view.members.length === 1 ? '' : 's'} up and reachable
      {' · '}leader {view.leader === null ? <em>none</em> : <code>{shortAddress(view.leader)}</code>}
      {' · '}singletons on {view.oldest === null ? <em>none</em> : <code>{shortAddress(view.oldest)}</code>}
    </p>
  );
}

function Badge({ tone, text, tooltip, testId }: { tone: Tone; text: string; tooltip?: string; testId?: string }) {
  return <span className={`cl-badge cl-tone-${tone}`} title={tooltip} data-testid={testId}>{text}</span>;
}

function Members({ view }: { view: ClusterView }) {
  return (
    <div className="card table-card">
      <table className="data-table" data-testid="members-table">
        <thead>
          <tr>
            <th>Member</th><th>State</th><th>Roles</th><th>Up since</th>
            {view.entityTypes.map((type) => <th key={type} className="num">{typeHeading(type)}</th>)}
          </tr>
        </thead>
        <tbody>
          {view.members.map((member) => <MemberRow key={member.address} member={member} types={view.entityTypes} />)}
        </tbody>
      </table>
    </div>
  );
}

function MemberRow({ member, types }: { member: ClusterMember; types: string[] }) {
  const state = lookOf(MEMBER_STATES, member.status, { tone: 'idle' as Tone, tooltip: member.status });
  return (
    <tr data-testid={`member-${shortAddress(member.address)}`} className={member.reachable ? '' : 'unreachable'}>
      <td>
        <code title={member.address}>{shortAddress(member.address)}</code>
        {member.self && <span className="muted"> (this node)</span>}
        <span className="marks">
          {member.leader && <Badge tone="idle" text="leader" testId="leader-mark"
            tooltip="Moves members up and down; the split-brain resolver decides here" />}
          {member.oldest && <Badge tone="idle" text="oldest" testId="oldest-mark"
            tooltip="The oldest member: the cluster singletons (notifier, rollups, retention) run here" />}
        </span>
      </td>
      <td>
        <Badge tone={state.tone} text={member.status} tooltip={state.tooltip} testId="member-state" />
        {!member.reachable && <> <Badge tone="bad" text="unreachable" testId="unreachable-mark"
          tooltip="A failure detector has lost this member; it is downed if it does not come back" /></>}
      </td>
      <td>{member.roles.length === 0 ? <span className="muted">none</span> : member.roles.join(', ')}</td>
      <td>{member.upSince === null ? <span className="muted">not recorded</span> : <Ago iso={member.upSince} />}</td>
      {types.map((type) => {
        const count = hostedCount(member, type);
        return <td key={type} className="num" title={count.shards} data-testid={`hosted-${type}`}>{count.entities}</td>;
      })}
    </tr>
  );
}

function FailoverCard({ failover }: { failover: Failover }) {
  const outcome = lookOf(OUTCOMES, failover.outcome, { label: failover.outcome, tone: 'idle' as Tone });
  const took = failoverMillis(failover.startedAt, failover.endedAt);
  return (
    <li className="card failover" data-testid="failover">
      <div className="failover-head">
        <code title={failover.member}>{shortAddress(failover.member)}</code>
        <Badge tone={outcome.tone} text={outcome.label} testId="failover-outcome" />
        <span className="muted">{formatDateTime(failover.startedAt)}</span>
        {took !== null && <span className="muted">· ended after {formatOffset(took).slice(1)}</span>}
      </div>
      <ol className="phases">
        {failover.phases.map((phase, index) => {
          const kind = lookOf(EVENT_KINDS, phase.kind, { label: phase.kind, tone: 'idle' as Tone });
          return (
            <li key={`${phase.kind}-${phase.at}-${index}`} data-testid="failover-phase" data-kind={phase.kind}>
              <span className="offset" title={formatDateTime(phase.at)}>{formatOffset(phase.sinceStartMillis)}</span>
              <Badge tone={kind.tone} text={kind.label} />
              {phase.node !== failover.member && <> on <code title={phase.node}>{shortAddress(phase.node)}</code></>}
              {phase.detail !== null && <span className="muted"> — {phase.detail}</span>}
              <span className="muted recorded-by" title="The node that recorded it"> (seen by {shortAddress(phase.recordedBy)})</span>
            </li>
          );
        })}
      </ol>
    </li>
  );
}

function EventLine({ event }: { event: ClusterEvent }) {
  const kind = lookOf(EVENT_KINDS, event.kind, { label: event.kind, tone: 'idle' as Tone });
  return (
    <li data-testid="cluster-event" data-kind={event.kind}>
      <span className="muted">{formatDateTime(event.at)}</span>
      <code title={event.member}>{shortAddress(event.member)}</code>
      <Badge tone={kind.tone} text={kind.label} />
      {event.detail !== null && <span className="muted">{event.detail}</span>}
    </li>
  );
}
