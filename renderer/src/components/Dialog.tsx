// A modal built on <dialog>: the browser traps focus, Escape closes it and the rest of the page becomes inert.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Dialog({
  title,
  open,
  onClose,
  children,
  actions,
  describedBy,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  actions: ReactNode;
  describedBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // A body that scrolls must be reachable by keyboard (it may hold only text): it joins the Tab order then.
  useEffect(() => {
    const body = bodyRef.current;
    if (!open || !body) return;
    const sync = () => {
      const scrolls = body.scrollHeight > body.clientHeight + 1;
      if (scrolls) body.tabIndex = 0;
      else body.removeAttribute('tabindex');
    };
    sync();
    const observer = new ResizeObserver(sync);
    observer.observe(body);
    for (const child of body.children) observer.observe(child);
    return () => observer.disconnect();
  });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <div ref={bodyRef} className="dialog__body" aria-labelledby={titleId} role="group">
            {children}
          </div>
          <div className="dialog__actions">{actions}</div>
        </>
      )}
    </dialog>
  );
}
