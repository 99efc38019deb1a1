import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

type Step = 'idle' | 'confirming' | 'working';

/**
 * A button that asks before it acts: "Disable", then "Disable ada@example.com? Yes / Cancel".
 * Focus goes to Cancel (the safe choice) when asked and back to the button after; Escape
 * cancels. `onConfirm` answers an error message, or null when it worked.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  workingLabel,
  danger = false,
  onConfirm,
}: {
  /** The button; may hold visually hidden words naming the object. */
  label: ReactNode;
  question: string;
  confirmLabel: string;
  workingLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<string | null>;
}) {
  const [step, setStep] = useState<Step>('idle');
  const [error, setError] = useState<string | null>(null);
  const questionId = useId();
  const actButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const [focusTarget, setFocusTarget] = useState<'act' | 'cancel' | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (focusTarget === 'cancel') cancelButton.current?.focus();
    if (focusTarget === 'act') actButton.current?.focus();
  }, [focusTarget, step]);

  const cancel = () => {
    setStep('idle');
    setFocusTarget('act');
  };
  const onEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && step === 'confirming') cancel();
  };
  const confirm = async () => {
    setStep('working');
    const failed = await onConfirm();
    if (!mounted.current) return;
    setError(failed);
    setStep('idle');
    setFocusTarget('act');
  };
  const buttonClass = danger ? 'button danger' : 'button';

  return (
    <div className="confirm-action">
      {step === 'idle' ? (
        <button
          ref={actButton}
          type="button"
          className={buttonClass}
          onClick={() => {
            setError(null);
            setStep('confirming');
            setFocusTarget('cancel');
          }}
          aria-describedby={error ? `${questionId}-error` : undefined}
        >
          {label}
        </button>
      ) : (
        <div className="confirm-question" role="group" aria-labelledby={questionId}>
          <p id={questionId}>{question}</p>
          <button
            type="button"
            className={buttonClass}
            onClick={() => void confirm()}
            onKeyDown={onEscape}
            disabled={step === 'working'}
          >
            {step === 'working' ? workingLabel : confirmLabel}
          </button>
          <button
            ref={cancelButton}
            type="button"
            className="button"
            onClick={cancel}
            onKeyDown={onEscape}
            disabled={step === 'working'}
          >
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert" id={`${questionId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
