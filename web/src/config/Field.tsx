import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import type { FieldError } from './validate';

/** A labelled control with its error (or hint) under it. */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: FieldError; hint?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {t(error.key, error.vars)}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export const describedBy = (id: string, error?: FieldError, hint?: boolean) => (error ? `${id}-error` : hint ? `${id}-hint` : undefined);
