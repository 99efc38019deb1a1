export type AckOutcome =
  | 'APPLIED'
  | 'DUPLICATE'
  | 'IGNORED'
  | 'RESET';

/** How long each point of an analytics answer is. Hours and days are UTC. */
export type AnalyticsBucket =
  | 'DAY'
  | 'HOUR'
  | 'MINUTE';

/** What decided a user's answer, in evaluation order. */
export type FlagAnswerReason =
  /** Neither: the flag's default. */
  | 'DEFAULT'
  /** The user's own override. */
  | 'OVERRIDE'
  /** The user's bucket is inside the rollout. */
  | 'ROLLOUT';

/** A kind of job, and its queue in apalis's table. */
export type JobKind =
  /** Post a note to the user's integration. */
  | 'POST_NOTE'
  /** Ask the LLM for a better note and publish it (PROTOCOL.md section 6.2). */
  | 'REFINE_NOTE';

/** Where a job stands in the queue. */
export type JobState =
  /** Out of tries, or given up because trying again cannot help; `retryJob` runs it again. */
  | 'DEAD'
  | 'DONE'
  /** Waiting to run, or failed with tries left (it runs again after its backoff). */
  | 'PENDING'
  | 'RUNNING';

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

/** A refinement's state (`Note.refinement.state`). */
export type RefinementState =
  | 'DONE'
  | 'FAILED'
  /** Not refined: no LLM, a cancellation, a note the gate hid, a typed note. */
  | 'NONE'
  | 'PENDING';

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
