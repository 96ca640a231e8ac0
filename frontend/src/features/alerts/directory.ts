// Servers and rules by id, to name what silences refer to.
import { useEffect, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { serverName } from '../../lib/format';
import type { AlertRule, ServerSummary } from '../../lib/wire';
import { listServers } from '../fleet/api';
import { listAlertRules } from '../rules/api';

export interface Directory {
  servers: ServerSummary[];
  rules: AlertRule[];
  serverNames: ReadonlyMap<string, string>;
  ruleNames: ReadonlyMap<string, string>;
}

/** Best effort: while it loads, or if it fails, ids are shown instead of names. */
export function useDirectory(): Directory {
  const { http } = useApp();
  const [directory, setDirectory] = useState<Directory>({ servers: [], rules: [], serverNames: new Map(), ruleNames: new Map() });
  useEffect(() => {
    let cancelled = false;
    void Promise.all([listServers(http).catch(() => []), listAlertRules(http).catch(() => [])]).then(([servers, rules]) => {
      if (cancelled) return;
      setDirectory({
        servers: [...servers].sort((a, b) => serverName(a).localeCompare(serverName(b))),
        rules,
        serverNames: new Map(servers.map((s) => [s.id, serverName(s)])),
        ruleNames: new Map(rules.map((r) => [r.id, r.name])),
      });
    });
    return () => { cancelled = true; };
  }, [http]);
  return directory;
}
