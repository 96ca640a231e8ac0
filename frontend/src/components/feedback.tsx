import { Component, type ReactNode } from 'react';
import type { Loaded } from '../lib/use-load';

/** A failure the user can act on: what went wrong, and a Retry button. Never a blank page. */
export function ErrorPanel({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <div className="error-panel" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {onRetry && <button type="button" onClick={onRetry} title="Try the request again">Retry</button>}
    </div>
  );
}

export function Skeleton({ lines = 3, className = '' }: { lines?: number; className?: string }) {
  return (
    <div className={`skeleton ${className}`} aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => <div key={i} className="skeleton-line" />)}
    </div>
  );
}

/**
 * What a load shows while it has nothing else to: its failure with a Retry (which stays over the last answer when
 * a reload failed), or a skeleton of `lines` lines before the first answer.
 */
export function LoadStatus({ loaded, failure, lines }: {
  loaded: Pick<Loaded<unknown>, 'data' | 'error' | 'reload'>; failure: string; lines: number;
}) {
  if (loaded.error !== null) return <ErrorPanel title={failure} message={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === null) return <Skeleton className="card" lines={lines} />;
  return null;
}

interface BoundaryState {
  error: Error | null;
}

/** Catches a rendering bug in one page and shows it instead of an empty screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  override render() {
    if (this.state.error !== null) {
      return <ErrorPanel title="This page failed to render" message={this.state.error.message}
        onRetry={() => this.setState({ error: null })} />;
    }
    return this.props.children;
  }
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  return (
    <button type="button" className="secondary" title="Copy to the clipboard"
      onClick={(event) => {
        const button = event.currentTarget;
        void navigator.clipboard?.writeText(text).then(
          () => { button.textContent = 'Copied'; setTimeout(() => { button.textContent = label; }, 1500); },
          () => { button.textContent = 'Select and copy'; },
        );
      }}>
      {label}
    </button>
  );
}
