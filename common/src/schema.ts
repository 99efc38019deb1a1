export type AckOutcome =
  | 'APPLIED'
  | 'DUPLICATE'
  | 'IGNORED'
  | 'RESET';

/** The eight note categories of PROTOCOL.md section 6. */
export type NoteCategory =
  /** Sound, music, dialogue levels, noise ("too loud", "music drowns her"). */
  | 'AUDIO'
  /** Grading, colour balance, exposure in the grade ("too warm", "skin tones"). */
  | 'COLOR'
  /** Story, script, facts, claims, names ("that date is wrong", "cut this line"). */
  | 'CONTENT'
  /** Cuts, transitions, shot order, trims ("jump cut", "cut earlier"). */
  | 'EDITING'
  /** Anything else. */
  | 'GENERAL'
  /** Titles, captions, lower thirds, on-screen text, logos ("typo in the title"). */
  | 'GRAPHICS'
  /** Rhythm, speed, length of shots and scenes ("drags", "too slow", "tighten"). */
  | 'PACING'
  /** Framing, composition, focus, lighting, camera ("reframe", "out of focus"). */
  | 'VISUAL';

export type NoteStatus =
  /** The reviewer took the utterance back. */
  | 'CANCELLED'
  | 'FAILED'
  /** Kept by the reviewer. */
  | 'FIRMED'
  /** New, not yet looked at. */
  | 'GHOST'
  /** Posting needs the reviewer (a login, a permission). */
  | 'NEEDS_INTERVENTION'
  | 'POSTED'
  | 'POSTING'
  /** Waiting to be posted to the video's platform. */
  | 'QUEUED'
  /** Dealt with. */
  | 'RESOLVED'
  /** Hidden by the quality gate; kept with its reason and shown on request. */
  | 'SUPPRESSED';

export type QualityDecision =
  | 'KEPT'
  | 'SUPPRESSED';

export type Role =
  | 'ADMIN'
  | 'USER';

export type SpeechEndReason =
  | 'FORCED_END'
  | 'MAX_DURATION'
  | 'NATURAL_END'
  | 'PUSH_TO_TALK_RELEASE'
  | 'STUCK_STATE';

/** How much an event matters. */
export type TelemetryLevel =
  | 'DEBUG'
  | 'ERROR'
  | 'INFO'
  | 'WARN';

/** Where an event comes from. */
export type TelemetrySource =
  | 'CLIENT'
  | 'SERVER';

/** Where the user's devices turn speech into text. */
export type TranscriptionMode =
  /**
   * By the OpenAI-compatible API at `transcriptionEndpoint`, called from the device (which
   * keeps the API key, if one is needed).
   */
  | 'ENDPOINT'
  /** In the browser, on the device that hears the speech. */
  | 'ON_DEVICE';

export type VideoContextEventKind =
  | 'CONTEXT_AVAILABLE'
  | 'CONTEXT_CLEARED'
  | 'CONTEXT_TAKEN'
  | 'CONTEXT_UPDATED';

/** Whether a video is in the user's working list. */
export type VideoStatus =
  | 'ACTIVE'
  | 'ARCHIVED';

export type VoiceCommand =
  | 'PAUSE_VIDEO'
  | 'RESET_SESSION'
  | 'RESTART_CAPTURE'
  | 'RESUME_VIDEO'
  | 'STOP_CAPTURE'
  | 'STOP_UTTERANCE';

export type VoiceEventKind =
  | 'ERROR'
  | 'HEARTBEAT'
  | 'SPEECH_END'
  | 'SPEECH_START';

export type VoiceState =
  | 'CLOSED'
  | 'COOLDOWN'
  | 'DISCONNECTED'
  | 'ERROR'
  | 'IDLE'
  | 'OBSERVING'
  | 'RECONNECTING'
  | 'RECORDING';
