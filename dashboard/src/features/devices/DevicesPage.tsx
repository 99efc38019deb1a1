import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useMutation, useQuery } from 'urql';
import { EmptyState, ErrorState, LoadingState } from '@lossy/common/ui';

import { RelativeTime } from '@/components/RelativeTime';
import type { DevicesPageQuery } from '@/gql/graphql';
import { serverError } from '@/lib/graphql/errors';

import { DevicesDocument, RevokeDeviceDocument } from './api';
import { revokeReasonText, splitDevices, withUpdates } from './devices';
import './devices.css';

type Device = DevicesPageQuery['devices'][number];

export function DevicesPage() {
  const [result, reexecute] = useQuery({ query: DevicesDocument });
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);
  // A revoke's answer moves the device at once; the list's own refetch follows.
  const [updates, setUpdates] = useState<ReadonlyMap<string, Device>>(new Map());
  const [announcement, setAnnouncement] = useState('');
  const onRevoked = useCallback((device: Device) => {
    setUpdates((current) => new Map(current).set(device.id, device));
    setAnnouncement(`${device.name} was revoked. Its extension has been signed out.`);
  }, []);

  let body;
  if (result.data) {
    const { live, revoked } = splitDevices(withUpdates(result.data.devices, updates));
    body =
      live.length + revoked.length === 0 ? (
        <EmptyState title="No devices yet">
          <p>
            Devices appear here after you connect the Lossy extension: install it in Chrome, sign in
            to Lossy in the same browser, and open the extension. Each browser it runs in is one
            device.
          </p>
        </EmptyState>
      ) : (
        <>
          <DeviceList title="Connected devices" devices={live} onRevoked={onRevoked}>
            <p className="hint">
              No connected devices. Devices appear here after you connect the Lossy extension.
            </p>
          </DeviceList>
          {revoked.length > 0 && (
            <DeviceList title="Revoked devices" devices={revoked} onRevoked={onRevoked} />
          )}
        </>
      );
  } else if (result.error) {
    body = (
      <ErrorState
        title="Your devices could not be loaded"
        message={serverError(result.error).message}
        onRetry={retry}
      />
    );
  } else {
    body = <LoadingState label="Loading your devices" />;
  }

  return (
    <>
      <h1>Devices</h1>
      <p className="hint">
        Each browser where the Lossy extension is signed in. Revoke one you no longer use or no
        longer trust: it is signed out at once and cannot connect until it signs in again.
      </p>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {body}
    </>
  );
}

function DeviceList({
  title,
  devices,
  onRevoked,
  children,
}: {
  title: string;
  devices: Device[];
  onRevoked: (device: Device) => void;
  children?: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="device-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {devices.length === 0 ? (
        children
      ) : (
        <ul className="device-list">
          {devices.map((device) => (
            <li key={device.id} className="card device">
              <DeviceRow device={device} onRevoked={onRevoked} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DeviceRow({ device, onRevoked }: { device: Device; onRevoked: (device: Device) => void }) {
  const reason = revokeReasonText(device.revokeReason);
  return (
    <>
      <div className="device-info">
        <h3 className="device-name">
          {device.name}
          {device.current && <span className="device-badge">This device</span>}
        </h3>
        <p className="device-meta">
          Last seen <RelativeTime iso={device.lastSeenAt} />
          <span aria-hidden="true"> · </span>
          Added <RelativeTime iso={device.createdAt} />
        </p>
        {device.revokedAt !== null && (
          <p className="device-revoked">
            <strong>Revoked</strong> <RelativeTime iso={device.revokedAt} />
            {reason && <>: {reason}</>}
          </p>
        )}
      </div>
      {device.revokedAt === null && <RevokeControl device={device} onRevoked={onRevoked} />}
    </>
  );
}

type RevokeStep = 'idle' | 'confirming' | 'revoking';

/** "Revoke", then an inline "Revoke <name>? Yes / Cancel" before anything happens. */
export function RevokeControl({
  device,
  onRevoked,
}: {
  device: Device;
  onRevoked: (device: Device) => void;
}) {
  const [step, setStep] = useState<RevokeStep>('idle');
  const [error, setError] = useState<string | null>(null);
  const [, revokeDevice] = useMutation(RevokeDeviceDocument);
  const questionId = useId();
  const revokeButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  // Focus follows the step: to Cancel (the safe choice) when asked, back to Revoke after.
  const [focusTarget, setFocusTarget] = useState<'revoke' | 'cancel' | null>(null);
  useEffect(() => {
    if (focusTarget === 'cancel') cancelButton.current?.focus();
    if (focusTarget === 'revoke') revokeButton.current?.focus();
  }, [focusTarget, step]);

  const ask = () => {
    setError(null);
    setStep('confirming');
    setFocusTarget('cancel');
  };
  const cancel = () => {
    setStep('idle');
    setFocusTarget('revoke');
  };
  // Escape on either button works like Cancel.
  const onEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && step === 'confirming') cancel();
  };
  const confirm = async () => {
    setStep('revoking');
    const answer = await revokeDevice({ id: device.id });
    if (answer.data) {
      onRevoked(answer.data.revokeDevice);
      return;
    }
    setError(
      answer.error ? serverError(answer.error).message : 'Revoking failed. Try again in a moment.',
    );
    setStep('idle');
    setFocusTarget('revoke');
  };

  return (
    <div className="device-actions">
      {step === 'idle' ? (
        <button
          ref={revokeButton}
          type="button"
          className="button danger"
          onClick={ask}
          aria-describedby={error ? `${questionId}-error` : undefined}
        >
          Revoke <span className="visually-hidden">{device.name}</span>
        </button>
      ) : (
        <div className="device-confirm" role="group" aria-labelledby={questionId}>
          <p id={questionId}>Revoke {device.name}?</p>
          <button
            type="button"
            className="button danger"
            onClick={() => void confirm()}
            onKeyDown={onEscape}
            disabled={step === 'revoking'}
          >
            {step === 'revoking' ? 'Revoking…' : 'Yes, revoke'}
          </button>
          <button
            ref={cancelButton}
            type="button"
            className="button"
            onClick={cancel}
            onKeyDown={onEscape}
            disabled={step === 'revoking'}
          >
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert" id={`${questionId}-error`}>
          {device.name} was not revoked: {error}
        </p>
      )}
    </div>
  );
}
