// The token pair's IO: chrome.storage.local, the two auth endpoints and the refresh alarm.
// The rules are in tokens.ts.

import type { ExtensionState } from '@/shared/messages';

import { deviceId } from '../settings';
import {
  classifyTokenAnswer,
  refreshAt,
  refreshDue,
  refreshExpired,
  type TokenAnswer,
  type TokenSet,
} from './tokens';

export const REFRESH_ALARM = 'lossy-token-refresh';
const AUTH_KEY = 'auth';
/** After a failure to reach the server, try the refresh again this much later. */
const RETRY_MS = 30_000;

export type SignedOutReason = Extract<ExtensionState['auth'], { kind: 'signed-out' }>['reason'];

export type AuthState =
  | { kind: 'signed-in'; tokens: TokenSet; deviceId: string }
  | { kind: 'signed-out'; reason: SignedOutReason; message: string | null };

interface Stored {
  tokens?: TokenSet;
  signedOut?: { reason: SignedOutReason; message: string | null };
}

export interface SignInOutcome {
  ok: boolean;
  /** True when the user must sign in on the web app first (no session cookie). */
  needsWebSignIn: boolean;
  message: string | null;
}

async function post(url: string, body: unknown, withCookie: boolean): Promise<TokenAnswer> {
  const endpoint = url.endsWith('/refresh') ? 'refresh' : 'extension_token';
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: withCookie ? 'include' : 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return classifyTokenAnswer(endpoint, 0, null);
  }
  const json: unknown = await response.json().catch(() => null);
  return classifyTokenAnswer(endpoint, response.status, json);
}

export class AuthSession {
  state: AuthState = { kind: 'signed-out', reason: 'never', message: null };
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly server: () => string,
    private readonly changed: () => void,
  ) {}

  async load(): Promise<void> {
    const stored = (await chrome.storage.local.get(AUTH_KEY))[AUTH_KEY] as Stored | undefined;
    if (stored?.tokens) {
      this.state = { kind: 'signed-in', tokens: stored.tokens, deviceId: await deviceId() };
      this.schedule();
    } else if (stored?.signedOut) {
      this.state = { kind: 'signed-out', ...stored.signedOut };
    }
  }

  get signedIn(): boolean {
    return this.state.kind === 'signed-in';
  }

  /**
   * Asks the server for a token pair with the web session cookie. `interactive` comes from a
   * user's "sign in": then a missing web session opens the web app's sign-in page.
   */
  async signIn(interactive: boolean): Promise<SignInOutcome> {
    let id = await deviceId();
    const ask = () =>
      post(
        `${this.server()}/api/auth/extension_token`,
        { deviceId: id, deviceName: deviceName(), requestedVersion: 2 },
        true,
      );
    let answer = await ask();
    if (answer.kind === 'revoked' && interactive) {
      // A revoked device stays revoked; signing in again registers a new one.
      id = await deviceId(true);
      answer = await ask();
    }
    if (answer.kind === 'tokens') {
      await this.become({ kind: 'signed-in', tokens: answer.tokens, deviceId: id });
      return { ok: true, needsWebSignIn: false, message: null };
    }
    if (answer.kind === 'no-session' && interactive) {
      await chrome.tabs.create({ url: `${this.server()}/sign-in` });
    }
    if (interactive && this.state.kind === 'signed-out') {
      await this.become({ ...this.state, message: answer.message });
    }
    return { ok: false, needsWebSignIn: answer.kind === 'no-session', message: answer.message };
  }

  async signOut(reason: SignedOutReason, message: string | null): Promise<void> {
    await this.become({ kind: 'signed-out', reason, message });
  }

  /** A token for `connection_init`, refreshed first when due; null when signed out. */
  async token(): Promise<string | null> {
    if (this.state.kind === 'signed-in' && refreshDue(this.state.tokens, Date.now())) {
      await this.refresh();
    }
    return this.state.kind === 'signed-in' ? this.state.tokens.token : null;
  }

  /** Spends the refresh token once, however many callers ask at the same time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const state = this.state;
    if (state.kind !== 'signed-in') return;
    if (refreshExpired(state.tokens, Date.now())) {
      await this.signOut('refresh-failed', 'the sign-in has expired; sign in again');
      return;
    }
    const answer = await post(
      `${this.server()}/api/auth/refresh`,
      { deviceId: state.deviceId, refreshToken: state.tokens.refreshToken, requestedVersion: 2 },
      false,
    );
    switch (answer.kind) {
      case 'tokens':
        await this.become({ ...state, tokens: answer.tokens });
        return;
      case 'revoked':
        await this.signOut('revoked', answer.message);
        return;
      case 'refused':
      case 'no-session':
      case 'forbidden':
        await this.signOut('refresh-failed', answer.message);
        return;
      case 'retry':
        // Keep the pair: the server may be down. The alarm comes back.
        await chrome.alarms.create(REFRESH_ALARM, { when: Date.now() + RETRY_MS });
        return;
    }
  }

  private async become(state: AuthState): Promise<void> {
    this.state = state;
    const stored: Stored =
      state.kind === 'signed-in'
        ? { tokens: state.tokens }
        : { signedOut: { reason: state.reason, message: state.message } };
    await chrome.storage.local.set({ [AUTH_KEY]: stored });
    this.schedule();
    this.changed();
  }

  /** Service workers sleep: an alarm, not a timer, wakes us for the refresh. */
  private schedule(): void {
    if (this.state.kind === 'signed-in') {
      void chrome.alarms.create(REFRESH_ALARM, {
        when: Math.max(Date.now() + 1_000, refreshAt(this.state.tokens)),
      });
    } else {
      void chrome.alarms.clear(REFRESH_ALARM);
    }
  }
}

function deviceName(): string {
  const platform = (navigator as Navigator & { userAgentData?: { platform?: string } })
    .userAgentData?.platform;
  return platform ? `Lossy for Chrome on ${platform}` : 'Lossy for Chrome';
}
