// The newest failures in the range: when, from which vantage, why; the response excerpt folded away. The excerpt is
// whatever the target answered: React puts it in as text, never as HTML.
import { formatDateTime } from '../../lib/format';
import type { CheckFailure } from './types';

export function FailureList({ failures, names }: { failures: CheckFailure[]; names: ReadonlyMap<string, string> }) {
  return (
    <section className="card pad" data-testid="check-failures">
      <h2>Recent failures</h2>
      {failures.length === 0 ? <p className="muted" data-testid="check-failures-empty">No failure in this range.</p> : (
        <ul className="ck-failures">
          {failures.map((f, i) => (
            <li key={`${f.at}-${f.vantage}-${i}`} className="ck-failure" data-testid="check-failure" data-reason={f.reason}>
              <div className="ck-failure-head">
                <time dateTime={f.at}>{formatDateTime(f.at)}</time>
                <span className="muted">{names.get(f.vantage) ?? f.vantage}</span>
                <span className="mono ck-text-bad">{f.reason}</span>
                {f.statusCode != null && <span className="mono" title="HTTP status code">{f.statusCode}</span>}
                {f.address && <span className="mono muted" title="The address it reached">{f.address}</span>}
              </div>
              <div>{f.message}</div>
              {f.excerpt && (
                <details className="ck-excerpt">
                  <summary>Response excerpt</summary>
                  <pre data-testid="check-failure-excerpt">{f.excerpt}</pre>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
