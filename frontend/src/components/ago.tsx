import { memo } from 'react';
import { useNow } from '../lib/clock';
import { formatAgo, formatDateTime } from '../lib/format';

/** "12 s ago", ticking; the exact time in the tooltip. */
export const Ago = memo(function Ago({ iso }: { iso: string | null | undefined }) {
  const now = useNow();
  return <time title={iso ? formatDateTime(iso) : 'never'}>{formatAgo(iso, now)}</time>;
});
