// An SSH host key's fingerprint, for a person to compare with the host's own before trusting it (backup destinations,
// servers an agent is installed on over SSH).

/** What to run on the host to print its own fingerprint of a key of `type` (ed25519 when unknown: what is offered first). */
export function fingerprintCommand(type: string | null): string {
  const file = type === null ? 'ed25519' : /rsa/i.test(type) ? 'rsa' : /ecdsa/i.test(type) ? 'ecdsa' : 'ed25519';
  return `ssh-keygen -lf /etc/ssh/ssh_host_${file}_key.pub`;
}

/** The fingerprint shown big enough to compare character by character. */
export function Fingerprint({ value, testId }: { value: string; testId: string }) {
  return <code className="fingerprint" data-testid={testId}>{value}</code>;
}
