/** Edit and Delete of one row of a list (`what`: "rule", "channel"; the test ids are edit-<what>, delete-<what>). */
export function EditDeleteButtons({ name, what, onEdit, onDelete }: { name: string; what: string; onEdit: () => void; onDelete: () => void }) {
  return (
    <>
      <button type="button" className="secondary small-button" onClick={onEdit} title={`Edit ${name}`} data-testid={`edit-${what}`}>Edit</button>
      <button type="button" className="secondary small-button danger-text" onClick={onDelete}
        title={`Delete ${name}`} data-testid={`delete-${what}`}>Delete</button>
    </>
  );
}
