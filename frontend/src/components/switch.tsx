/** An on/off switch (a styled checkbox); `title` says what on and off mean. */
export function Switch({ checked, disabled, onChange, title, label, testId }: {
  checked: boolean; disabled: boolean; onChange: () => void; title: string; label: string; testId: string;
}) {
  return (
    <label className="switch" title={title}>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={onChange} data-testid={testId} aria-label={label} />
      <span className="switch-track" aria-hidden="true" />
    </label>
  );
}
