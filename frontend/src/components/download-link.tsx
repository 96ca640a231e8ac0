import type { ReactNode } from 'react';

/**
 * A download from the node's API as a plain link: the browser sends the session cookie with a GET and saves the
 * streamed file under the name the node gives it (Content-Disposition), so nothing large passes through the page.
 */
export function DownloadLink({ href, title, testId, children }: {
  href: string; title: string; testId?: string; children: ReactNode;
}) {
  return (
    <a className="download-link" href={href} download title={title} data-testid={testId}>{children}</a>
  );
}
