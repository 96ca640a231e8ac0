// The certificate a check's target serves: how long it has left, who issued it for whom, its fingerprint, the
// chain's expiry, whether it is trusted, and a warning when vantages or addresses are served different ones.
import { formatDateTime } from '../../lib/format';
import { certificateTone, formatDaysLeft } from './check-format';
import type { CertificateInfo } from './types';

export function CertificateCard({ certificate }: { certificate: CertificateInfo | null | undefined }) {
  if (certificate == null) {
    return (
      <section className="card pad" data-testid="certificate">
        <h2>Certificate</h2>
        <p className="muted">No result with a certificate yet.</p>
      </section>
    );
  }
  const tone = certificateTone(certificate.daysLeft);
  const chainTone = certificateTone(certificate.chainDaysLeft);
  return (
    <section className="card pad" data-testid="certificate">
      <h2>Certificate</h2>
      {certificate.mismatch && (
        <p className="ck-notice" role="status" data-testid="certificate-mismatch">
          ⚠ Vantages or addresses are served different certificates.</p>
      )}
      <dl className="facts">
        <div><dt>Expires in</dt><dd><span className={`ck-badge ck-tone-${tone}`} data-testid="certificate-days-left" data-tone={tone}>
          {formatDaysLeft(certificate.daysLeft)}</span></dd></div>
        <div><dt>Not after</dt><dd>{formatDateTime(certificate.notAfter)}</dd></div>
        <div><dt>Trusted</dt><dd data-testid="certificate-trusted" className={certificate.trusted ? 'ck-text-ok' : 'ck-text-bad'}>
          {certificate.trusted ? 'yes' : 'no: not signed by a trusted authority (or not for this name)'}</dd></div>
        <div><dt>Subject</dt><dd className="mono">{certificate.subject}</dd></div>
        <div><dt>Issuer</dt><dd className="mono">{certificate.issuer}</dd></div>
        <div><dt>Chain expires in</dt><dd>
          {certificate.chainDaysLeft == null ? '—' : <span className={`ck-text-${chainTone}`}>{formatDaysLeft(certificate.chainDaysLeft)}</span>}
          {certificate.chainNotAfter && <span className="muted small"> ({formatDateTime(certificate.chainNotAfter)})</span>}
        </dd></div>
        <div className="ck-wide"><dt>SHA-256 fingerprint</dt><dd className="mono" data-testid="certificate-fingerprint">{certificate.fingerprint}</dd></div>
      </dl>
    </section>
  );
}
