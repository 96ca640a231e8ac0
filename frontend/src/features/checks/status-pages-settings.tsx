// Admins publish a group's status page: on or off, and its title. The public page needs no sign-in.
import { useCallback, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { statusPath } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useLoad } from '../../lib/use-load';
import { LoadStatus } from '../../components/feedback';
import { Switch } from '../../components/switch';
import { listStatusPages, updateStatusPage } from './api';
import type { StatusPageSetting } from './types';

/** `groups`: the groups the checks name, listed even before the node has a setting for them. */
export function StatusPagesSettings({ groups }: { groups: string[] }) {
  const { http } = useApp();
  const pages = useLoad(useCallback(() => listStatusPages(http).then((answer) => answer.pages), [http]));
  const known = new Set((pages.data ?? []).map((p) => p.group));
  const rows: StatusPageSetting[] = [
    ...(pages.data ?? []),
    ...groups.filter((g) => !known.has(g)).map((group) => ({ group, title: group, enabled: false })),
  ].sort((a, b) => a.group.localeCompare(b.group));
  const saved = (page: StatusPageSetting) =>
    pages.setData((list) => [...(list ?? []).filter((p) => p.group !== page.group), page]);

  return (
    <section className="ck-section" data-testid="status-pages">
      <div className="section-head"><h2>Public status pages</h2></div>
      <p className="muted small">A published group's page shows its checks' states and 90 days of uptime to anyone with the link, without signing in.</p>
      <LoadStatus loaded={pages} failure="Could not load the status pages" lines={2} />
      {pages.data !== null && rows.length === 0 && <p className="muted">Give checks a group to publish its status page.</p>}
      {pages.data !== null && rows.length > 0 && (
        <div className="card table-card">
          <table className="data-table">
            <thead><tr><th>Group</th><th>Title</th><th>Published</th><th>Public page</th></tr></thead>
            <tbody>{rows.map((page) => <StatusPageRow key={page.group} page={page} onSaved={saved} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function StatusPageRow({ page, onSaved }: { page: StatusPageSetting; onSaved: (page: StatusPageSetting) => void }) {
  const { http } = useApp();
  const [title, setTitle] = useState(page.title);
  const action = useAction();
  const save = (update: { title: string; enabled: boolean }) =>
    action.run(() => updateStatusPage(http, page.group, update), (answer) => onSaved(answer ?? { group: page.group, ...update }));
  const changed = title.trim() !== page.title;
  return (
    <tr data-testid="status-page-row" data-group={page.group}>
      <td>{page.group}</td>
      <td>
        <form className="ck-inline-form" onSubmit={(e) => { e.preventDefault(); if (title.trim() !== '') save({ title: title.trim(), enabled: page.enabled }); }}>
          <input value={title} onChange={(e) => setTitle(e.target.value)} aria-label={`Title of the ${page.group} status page`}
            data-testid="status-page-title" maxLength={120} />
          {changed && <button type="submit" className="small-button" disabled={action.busy || title.trim() === ''}
            data-testid="status-page-save">Save</button>}
        </form>
        {action.error !== null && <div className="form-error small" role="alert">{action.error}</div>}
      </td>
      <td>
        <Switch checked={page.enabled} disabled={action.busy} onChange={() => save({ title: title.trim() || page.title, enabled: !page.enabled })}
          label={`Publish the ${page.group} status page`} testId="status-page-enabled"
          title={page.enabled ? 'Published: click to take the page down' : 'Not published: click to publish'} />
      </td>
      <td>
        {page.enabled
          ? <a href={statusPath(page.group)} target="_blank" rel="noopener" data-testid="status-page-link" title="Open the public page in a new tab">{statusPath(page.group)}</a>
          : <span className="muted">not published</span>}
      </td>
    </tr>
  );
}
