import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog that is open while mounted; Escape or a Cancel button unmount it through `onClose`.
 * Removing an open modal <dialog> from the page closes it. Narrow unless `wide`.
 */
export function Modal({ title, onClose, children, testId, wide = false }: {
  title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className={wide ? 'dialog' : 'dialog dialog-narrow'} onClose={onClose} data-testid={testId}
      aria-label={title}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}
