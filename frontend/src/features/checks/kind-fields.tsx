// The fields of one kind of check: http (url, method, statuses, keyword, headers, redirects, pin), tcp (host, port),
// tls (host, port, SNI, pin) and dns (name, record type, expected answer).
import { METHODS, RECORD_TYPES, type CheckDraft } from './check-draft';
import { FormField, type Problem } from './form-field';
import type { RecordType } from './types';

type Set = <K extends keyof CheckDraft>(key: K, value: CheckDraft[K]) => void;

export function KindFields({ draft, set, problem }: { draft: CheckDraft; set: Set; problem: Problem }) {
  switch (draft.kind) {
    case 'http': return <HttpFields draft={draft} set={set} problem={problem} />;
    case 'tcp':
    case 'tls': return <SocketFields draft={draft} set={set} problem={problem} />;
    case 'dns': return <DnsFields draft={draft} set={set} problem={problem} />;
  }
}

function HttpFields({ draft, set, problem }: { draft: CheckDraft; set: Set; problem: Problem }) {
  return (
    <>
      <div className="form-grid">
        <FormField label="URL" field="url" problem={problem} className="ck-wide">
          <input name="url" type="url" value={draft.url} onChange={(e) => set('url', e.target.value)} required
            placeholder="https://example.com/health" data-testid="check-form-url" className="mono" />
        </FormField>
        <FormField label="Method" field="method" problem={problem}>
          <select name="method" value={draft.method} onChange={(e) => set('method', e.target.value)} data-testid="check-form-method">
            {METHODS.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </FormField>
        <FormField label="Expected statuses" field="expectStatus" problem={problem} hint="Comma list; empty: any 2xx">
          <input name="expectStatus" value={draft.expectStatus} onChange={(e) => set('expectStatus', e.target.value)}
            placeholder="200, 204" data-testid="check-form-expect-status" />
        </FormField>
        <FormField label="Keyword" field="keyword" problem={problem} hint="The body must contain it">
          <input name="keyword" value={draft.keyword} onChange={(e) => set('keyword', e.target.value)} data-testid="check-form-keyword" />
        </FormField>
      </div>
      <FormField label="Headers" field="headers" problem={problem} hint='One per line, "Name: value"'>
        <textarea name="headers" rows={3} value={draft.headers} onChange={(e) => set('headers', e.target.value)}
          className="mono" placeholder="Authorization: Bearer …" data-testid="check-form-headers" />
      </FormField>
      <label className="check">
        <input type="checkbox" name="followRedirects" checked={draft.followRedirects} onChange={(e) => set('followRedirects', e.target.checked)}
          data-testid="check-form-follow-redirects" /> Follow redirects
      </label>
      <FingerprintField draft={draft} set={set} problem={problem} />
    </>
  );
}

function SocketFields({ draft, set, problem }: { draft: CheckDraft; set: Set; problem: Problem }) {
  return (
    <>
      <div className="form-grid">
        <FormField label="Host" field="host" problem={problem}>
          <input name="host" value={draft.host} onChange={(e) => set('host', e.target.value)} required
            placeholder="db.example.com" data-testid="check-form-host" />
        </FormField>
        <FormField label="Port" field="port" problem={problem} hint={draft.kind === 'tls' ? 'Empty: 443' : undefined}>
          <input name="port" type="number" min={1} max={65535} value={draft.port} onChange={(e) => set('port', e.target.value)}
            required={draft.kind === 'tcp'} placeholder={draft.kind === 'tls' ? '443' : '5432'} data-testid="check-form-port" />
        </FormField>
        {draft.kind === 'tls' && (
          <FormField label="Server name (SNI)" field="serverName" problem={problem} hint="Empty: the host">
            <input name="serverName" value={draft.serverName} onChange={(e) => set('serverName', e.target.value)}
              data-testid="check-form-server-name" />
          </FormField>
        )}
      </div>
      {draft.kind === 'tls' && <FingerprintField draft={draft} set={set} problem={problem} />}
    </>
  );
}

function DnsFields({ draft, set, problem }: { draft: CheckDraft; set: Set; problem: Problem }) {
  return (
    <div className="form-grid">
      <FormField label="Name" field="host" problem={problem}>
        <input name="host" value={draft.host} onChange={(e) => set('host', e.target.value)} required
          placeholder="example.com" data-testid="check-form-host" />
      </FormField>
      <FormField label="Record type" field="recordType" problem={problem}>
        <select name="recordType" value={draft.recordType} onChange={(e) => set('recordType', e.target.value as RecordType)}
          data-testid="check-form-record-type">
          {RECORD_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </FormField>
      <FormField label="Expected answer" field="expect" problem={problem} hint="Empty: any answer">
        <input name="expect" value={draft.expect} onChange={(e) => set('expect', e.target.value)} placeholder="93.184.216.34"
          data-testid="check-form-expect" />
      </FormField>
    </div>
  );
}

function FingerprintField({ draft, set, problem }: { draft: CheckDraft; set: Set; problem: Problem }) {
  return (
    <FormField label="Accept certificate fingerprint" field="acceptFingerprint" problem={problem}
      hint="SHA-256 (AB:CD:…): trusts this one certificate, e.g. a self-signed one">
      <input name="acceptFingerprint" value={draft.acceptFingerprint} onChange={(e) => set('acceptFingerprint', e.target.value)}
        className="mono" data-testid="check-form-accept-fingerprint" />
    </FormField>
  );
}
