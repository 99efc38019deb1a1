/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminAuthEvents($first: Int, $after: String, $kind: String, $outcome: String) {\n    authEvents(first: $first, after: $after, kind: $kind, outcome: $outcome) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        occurredAt\n        kind\n        outcome\n        reason\n        userId\n        deviceId\n        email\n        ip\n      }\n    }\n  }\n": typeof types.AdminAuthEventsDocument,
    "\n  fragment AdminFlagFields on FeatureFlag {\n    name\n    description\n    defaultEnabled\n    rolloutPercent\n    updatedAt\n    overrides {\n      userId\n      email\n      enabled\n    }\n  }\n": typeof types.AdminFlagFieldsFragmentDoc,
    "\n  query AdminFeatureFlags {\n    featureFlags {\n      ...AdminFlagFields\n    }\n  }\n": typeof types.AdminFeatureFlagsDocument,
    "\n  query AdminFeatureFlagPreview($input: FeatureFlagPreviewInput!) {\n    featureFlagPreview(input: $input) {\n      name\n      usersConsidered\n      changedCount\n      turningOn\n      turningOff\n      changes {\n        user {\n          id\n          email\n        }\n        before\n        after\n        reason\n      }\n      user {\n        user {\n          id\n          email\n        }\n        enabled\n        reason\n        bucket\n      }\n    }\n  }\n": typeof types.AdminFeatureFlagPreviewDocument,
    "\n  mutation AdminSetFeatureFlag($input: SetFeatureFlagInput!) {\n    setFeatureFlag(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n": typeof types.AdminSetFeatureFlagDocument,
    "\n  mutation AdminSetFeatureFlagOverride($input: SetFeatureFlagOverrideInput!) {\n    setFeatureFlagOverride(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n": typeof types.AdminSetFeatureFlagOverrideDocument,
    "\n  fragment AdminLiveSessionsFields on LiveSessions {\n    at\n    total\n    byState {\n      state\n      count\n    }\n    sessions {\n      id\n      user {\n        id\n        email\n      }\n      videoId\n      videoTitle\n      state\n      startedAt\n      lastEventAt\n      node\n    }\n  }\n": typeof types.AdminLiveSessionsFieldsFragmentDoc,
    "\n  query AdminLiveSessions($first: Int) {\n    liveSessions(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n": typeof types.AdminLiveSessionsDocument,
    "\n  subscription AdminLiveSessionsChanged($first: Int) {\n    liveSessionsChanged(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n": typeof types.AdminLiveSessionsChangedDocument,
    "\n  query AdminServerHealth {\n    serverHealth {\n      version\n      node\n      startedAt\n      uptimeSeconds\n      database {\n        backend\n        ok\n        latencyMs\n        error\n      }\n      jobs {\n        pending\n        running\n        done\n        dead\n      }\n      openSockets\n      liveSessions\n    }\n  }\n": typeof types.AdminServerHealthDocument,
    "\n  query AdminLastHour($from: DateTime!, $to: DateTime!) {\n    analytics(from: $from, to: $to, bucket: MINUTE) {\n      from\n      to\n      total {\n        noteDelivery {\n          count\n          p50Ms\n          p95Ms\n          p99Ms\n        }\n        voiceEvents\n        errors\n        resets\n        disconnects\n        notesCreated\n      }\n    }\n  }\n": typeof types.AdminLastHourDocument,
    "\n  query AdminJobCounts($kind: JobKind) {\n    jobCounts(kind: $kind) {\n      pending\n      running\n      done\n      dead\n    }\n  }\n": typeof types.AdminJobCountsDocument,
    "\n  query AdminJobs($first: Int, $after: String, $state: JobState, $kind: JobKind) {\n    jobs(first: $first, after: $after, state: $state, kind: $kind) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        kind\n        state\n        attempts\n        maxAttempts\n        noteId\n        runAt\n        doneAt\n        lastResult\n      }\n    }\n  }\n": typeof types.AdminJobsDocument,
    "\n  mutation AdminRetryJob($id: ID!) {\n    retryJob(id: $id) {\n      id\n      kind\n      state\n      attempts\n      maxAttempts\n      noteId\n      runAt\n      doneAt\n      lastResult\n    }\n  }\n": typeof types.AdminRetryJobDocument,
    "\n  query AdminQualitySummary($from: DateTime, $to: DateTime, $userId: ID) {\n    noteQualitySummary(from: $from, to: $to, userId: $userId) {\n      decision\n      reason\n      category\n      count\n    }\n  }\n": typeof types.AdminQualitySummaryDocument,
    "\n  query AdminLearnedThresholds($userId: ID, $platform: String) {\n    learnedThresholds(userId: $userId, platform: $platform) {\n      id\n      userId\n      user {\n        id\n        email\n      }\n      platform\n      category\n      thresholdDelta\n      enabled\n      reason\n      updatedAt\n    }\n  }\n": typeof types.AdminLearnedThresholdsDocument,
    "\n  mutation AdminResetLearnedThresholds($userId: ID!, $platform: String) {\n    resetLearnedThresholds(userId: $userId, platform: $platform)\n  }\n": typeof types.AdminResetLearnedThresholdsDocument,
    "\n  query AdminFindUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      nodes {\n        id\n        email\n        name\n      }\n    }\n  }\n": typeof types.AdminFindUsersDocument,
    "\n  query AdminTelemetryNames {\n    telemetryNames\n  }\n": typeof types.AdminTelemetryNamesDocument,
    "\n  query AdminTelemetryEvents(\n    $first: Int\n    $after: String\n    $name: String\n    $level: TelemetryLevel\n    $userId: ID\n    $deviceId: ID\n    $sessionId: ID\n    $source: TelemetrySource\n    $from: DateTime\n    $to: DateTime\n  ) {\n    telemetryEvents(\n      first: $first\n      after: $after\n      name: $name\n      level: $level\n      userId: $userId\n      deviceId: $deviceId\n      sessionId: $sessionId\n      source: $source\n      from: $from\n      to: $to\n    ) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        clientKey\n        eventId\n        source\n        name\n        level\n        userId\n        deviceId\n        sessionId\n        occurredAt\n        receivedAt\n        properties\n        clientVersion\n      }\n    }\n  }\n": typeof types.AdminTelemetryEventsDocument,
    "\n  fragment AdminAnalyticsPointFields on AnalyticsPoint {\n    at\n    noteDelivery {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    voiceEvent {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    notesCreated\n    notesSuppressed\n    voiceEvents\n    errors\n    resets\n    disconnects\n    reconnects\n    activeSessions\n    activeUsers\n    telemetryAccepted\n    telemetryDuplicates\n    telemetryDropped\n  }\n": typeof types.AdminAnalyticsPointFieldsFragmentDoc,
    "\n  query AdminAnalytics($from: DateTime!, $to: DateTime!, $bucket: AnalyticsBucket!) {\n    analytics(from: $from, to: $to, bucket: $bucket) {\n      from\n      to\n      bucket\n      points {\n        ...AdminAnalyticsPointFields\n      }\n      total {\n        ...AdminAnalyticsPointFields\n      }\n    }\n  }\n": typeof types.AdminAnalyticsDocument,
    "\n  fragment AdminUserFields on User {\n    id\n    email\n    name\n    role\n    createdAt\n    disabled\n    disabledAt\n  }\n": typeof types.AdminUserFieldsFragmentDoc,
    "\n  query AdminUsers($first: Int, $after: String, $search: String, $role: Role, $disabled: Boolean) {\n    users(first: $first, after: $after, search: $search, role: $role, disabled: $disabled) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...AdminUserFields\n      }\n    }\n  }\n": typeof types.AdminUsersDocument,
    "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...AdminUserFields\n    }\n  }\n": typeof types.AdminCreateUserDocument,
    "\n  mutation AdminSetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      ...AdminUserFields\n    }\n  }\n": typeof types.AdminSetUserRoleDocument,
    "\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      ...AdminUserFields\n    }\n  }\n": typeof types.AdminSetUserDisabledDocument,
    "\n  query AdminUserDevices($userId: ID!) {\n    userDevices(userId: $userId) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n": typeof types.AdminUserDevicesDocument,
    "\n  mutation AdminRevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n": typeof types.AdminRevokeDeviceDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      name\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  query DevicesPage {\n    devices {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n": typeof types.DevicesPageDocument,
    "\n  mutation RevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n": typeof types.RevokeDeviceDocument,
    "\n  query LibraryVideos(\n    $first: Int\n    $after: String\n    $platform: String\n    $status: VideoStatus\n    $search: String\n  ) {\n    videos(first: $first, after: $after, platform: $platform, status: $status, search: $search) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        platform\n        canonicalUrl\n        title\n        thumbnailUrl\n        status\n        lastViewedAt\n        noteSummary {\n          totalCount\n          countsByCategory {\n            category\n            count\n          }\n        }\n      }\n    }\n  }\n": typeof types.LibraryVideosDocument,
    "\n  fragment NoteFields on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    createdAt\n    deletedAt\n    quality {\n      decision\n      reason\n    }\n  }\n": typeof types.NoteFieldsFragmentDoc,
    "\n  fragment NoteSummaryFields on NoteSummary {\n    totalCount\n    countsByCategory {\n      category\n      count\n    }\n    countsByStatus {\n      status\n      count\n    }\n  }\n": typeof types.NoteSummaryFieldsFragmentDoc,
    "\n  query NotesPage(\n    $videoId: ID!\n    $first: Int!\n    $after: String\n    $filter: NoteFilterInput!\n    $withSummary: Boolean!\n  ) {\n    video(id: $videoId) @include(if: $withSummary) {\n      id\n      noteSummary {\n        ...NoteSummaryFields\n      }\n    }\n    notes(videoId: $videoId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...NoteFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n      offset\n    }\n  }\n": typeof types.NotesPageDocument,
    "\n  query Note($id: ID!) {\n    note(id: $id) {\n      ...NoteFields\n    }\n  }\n": typeof types.NoteDocument,
    "\n  subscription NoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n        videoId\n        totalCount\n        countsByCategory {\n          category\n          count\n        }\n        countsByStatus {\n          status\n          count\n        }\n      }\n    }\n  }\n": typeof types.NoteEventsDocument,
    "\n  mutation CreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...NoteFields\n    }\n  }\n": typeof types.CreateNoteDocument,
    "\n  mutation UpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...NoteFields\n    }\n  }\n": typeof types.UpdateNoteDocument,
    "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id) {\n      ...NoteFields\n    }\n  }\n": typeof types.DeleteNoteDocument,
    "\n  mutation RestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...NoteFields\n    }\n  }\n": typeof types.RestoreNoteDocument,
    "\n  query Video($id: ID!) {\n    video(id: $id) {\n      id\n      platform\n      externalId\n      canonicalUrl\n      embedUrl\n      lastUrl\n      title\n      durationSeconds\n    }\n  }\n": typeof types.VideoDocument,
    "\n  query VideoDeepLink($id: ID!, $seconds: Float!) {\n    video(id: $id) {\n      id\n      deepLink(seconds: $seconds)\n    }\n  }\n": typeof types.VideoDeepLinkDocument,
    "\n  fragment SettingsFields on UserSettings {\n    cooldownMs\n    mergeWithinMs\n    minSpeechMs\n    maxSpeechMs\n    autoPauseVideo\n    autoResumeDelayMs\n    idleStopMs\n    heartbeatIntervalMs\n    heartbeatTimeoutMs\n    maxRestarts\n    restartWindowMs\n    sessionTtlMs\n    startThreshold\n    endThreshold\n    minSilenceMs\n    preRollMs\n    minConfidence\n    preferredProtocolVersion\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n    updatedAt\n  }\n": typeof types.SettingsFieldsFragmentDoc,
    "\n  query SettingsPage {\n    me {\n      id\n    }\n    settings {\n      ...SettingsFields\n    }\n  }\n": typeof types.SettingsPageDocument,
    "\n  mutation UpdateSettingsPage($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      ...SettingsFields\n    }\n  }\n": typeof types.UpdateSettingsPageDocument,
    "\n  subscription SettingsPageChanged {\n    settingsChanged {\n      ...SettingsFields\n    }\n  }\n": typeof types.SettingsPageChangedDocument,
};
const documents: Documents = {
    "\n  query AdminAuthEvents($first: Int, $after: String, $kind: String, $outcome: String) {\n    authEvents(first: $first, after: $after, kind: $kind, outcome: $outcome) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        occurredAt\n        kind\n        outcome\n        reason\n        userId\n        deviceId\n        email\n        ip\n      }\n    }\n  }\n": types.AdminAuthEventsDocument,
    "\n  fragment AdminFlagFields on FeatureFlag {\n    name\n    description\n    defaultEnabled\n    rolloutPercent\n    updatedAt\n    overrides {\n      userId\n      email\n      enabled\n    }\n  }\n": types.AdminFlagFieldsFragmentDoc,
    "\n  query AdminFeatureFlags {\n    featureFlags {\n      ...AdminFlagFields\n    }\n  }\n": types.AdminFeatureFlagsDocument,
    "\n  query AdminFeatureFlagPreview($input: FeatureFlagPreviewInput!) {\n    featureFlagPreview(input: $input) {\n      name\n      usersConsidered\n      changedCount\n      turningOn\n      turningOff\n      changes {\n        user {\n          id\n          email\n        }\n        before\n        after\n        reason\n      }\n      user {\n        user {\n          id\n          email\n        }\n        enabled\n        reason\n        bucket\n      }\n    }\n  }\n": types.AdminFeatureFlagPreviewDocument,
    "\n  mutation AdminSetFeatureFlag($input: SetFeatureFlagInput!) {\n    setFeatureFlag(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n": types.AdminSetFeatureFlagDocument,
    "\n  mutation AdminSetFeatureFlagOverride($input: SetFeatureFlagOverrideInput!) {\n    setFeatureFlagOverride(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n": types.AdminSetFeatureFlagOverrideDocument,
    "\n  fragment AdminLiveSessionsFields on LiveSessions {\n    at\n    total\n    byState {\n      state\n      count\n    }\n    sessions {\n      id\n      user {\n        id\n        email\n      }\n      videoId\n      videoTitle\n      state\n      startedAt\n      lastEventAt\n      node\n    }\n  }\n": types.AdminLiveSessionsFieldsFragmentDoc,
    "\n  query AdminLiveSessions($first: Int) {\n    liveSessions(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n": types.AdminLiveSessionsDocument,
    "\n  subscription AdminLiveSessionsChanged($first: Int) {\n    liveSessionsChanged(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n": types.AdminLiveSessionsChangedDocument,
    "\n  query AdminServerHealth {\n    serverHealth {\n      version\n      node\n      startedAt\n      uptimeSeconds\n      database {\n        backend\n        ok\n        latencyMs\n        error\n      }\n      jobs {\n        pending\n        running\n        done\n        dead\n      }\n      openSockets\n      liveSessions\n    }\n  }\n": types.AdminServerHealthDocument,
    "\n  query AdminLastHour($from: DateTime!, $to: DateTime!) {\n    analytics(from: $from, to: $to, bucket: MINUTE) {\n      from\n      to\n      total {\n        noteDelivery {\n          count\n          p50Ms\n          p95Ms\n          p99Ms\n        }\n        voiceEvents\n        errors\n        resets\n        disconnects\n        notesCreated\n      }\n    }\n  }\n": types.AdminLastHourDocument,
    "\n  query AdminJobCounts($kind: JobKind) {\n    jobCounts(kind: $kind) {\n      pending\n      running\n      done\n      dead\n    }\n  }\n": types.AdminJobCountsDocument,
    "\n  query AdminJobs($first: Int, $after: String, $state: JobState, $kind: JobKind) {\n    jobs(first: $first, after: $after, state: $state, kind: $kind) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        kind\n        state\n        attempts\n        maxAttempts\n        noteId\n        runAt\n        doneAt\n        lastResult\n      }\n    }\n  }\n": types.AdminJobsDocument,
    "\n  mutation AdminRetryJob($id: ID!) {\n    retryJob(id: $id) {\n      id\n      kind\n      state\n      attempts\n      maxAttempts\n      noteId\n      runAt\n      doneAt\n      lastResult\n    }\n  }\n": types.AdminRetryJobDocument,
    "\n  query AdminQualitySummary($from: DateTime, $to: DateTime, $userId: ID) {\n    noteQualitySummary(from: $from, to: $to, userId: $userId) {\n      decision\n      reason\n      category\n      count\n    }\n  }\n": types.AdminQualitySummaryDocument,
    "\n  query AdminLearnedThresholds($userId: ID, $platform: String) {\n    learnedThresholds(userId: $userId, platform: $platform) {\n      id\n      userId\n      user {\n        id\n        email\n      }\n      platform\n      category\n      thresholdDelta\n      enabled\n      reason\n      updatedAt\n    }\n  }\n": types.AdminLearnedThresholdsDocument,
    "\n  mutation AdminResetLearnedThresholds($userId: ID!, $platform: String) {\n    resetLearnedThresholds(userId: $userId, platform: $platform)\n  }\n": types.AdminResetLearnedThresholdsDocument,
    "\n  query AdminFindUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      nodes {\n        id\n        email\n        name\n      }\n    }\n  }\n": types.AdminFindUsersDocument,
    "\n  query AdminTelemetryNames {\n    telemetryNames\n  }\n": types.AdminTelemetryNamesDocument,
    "\n  query AdminTelemetryEvents(\n    $first: Int\n    $after: String\n    $name: String\n    $level: TelemetryLevel\n    $userId: ID\n    $deviceId: ID\n    $sessionId: ID\n    $source: TelemetrySource\n    $from: DateTime\n    $to: DateTime\n  ) {\n    telemetryEvents(\n      first: $first\n      after: $after\n      name: $name\n      level: $level\n      userId: $userId\n      deviceId: $deviceId\n      sessionId: $sessionId\n      source: $source\n      from: $from\n      to: $to\n    ) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        clientKey\n        eventId\n        source\n        name\n        level\n        userId\n        deviceId\n        sessionId\n        occurredAt\n        receivedAt\n        properties\n        clientVersion\n      }\n    }\n  }\n": types.AdminTelemetryEventsDocument,
    "\n  fragment AdminAnalyticsPointFields on AnalyticsPoint {\n    at\n    noteDelivery {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    voiceEvent {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    notesCreated\n    notesSuppressed\n    voiceEvents\n    errors\n    resets\n    disconnects\n    reconnects\n    activeSessions\n    activeUsers\n    telemetryAccepted\n    telemetryDuplicates\n    telemetryDropped\n  }\n": types.AdminAnalyticsPointFieldsFragmentDoc,
    "\n  query AdminAnalytics($from: DateTime!, $to: DateTime!, $bucket: AnalyticsBucket!) {\n    analytics(from: $from, to: $to, bucket: $bucket) {\n      from\n      to\n      bucket\n      points {\n        ...AdminAnalyticsPointFields\n      }\n      total {\n        ...AdminAnalyticsPointFields\n      }\n    }\n  }\n": types.AdminAnalyticsDocument,
    "\n  fragment AdminUserFields on User {\n    id\n    email\n    name\n    role\n    createdAt\n    disabled\n    disabledAt\n  }\n": types.AdminUserFieldsFragmentDoc,
    "\n  query AdminUsers($first: Int, $after: String, $search: String, $role: Role, $disabled: Boolean) {\n    users(first: $first, after: $after, search: $search, role: $role, disabled: $disabled) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...AdminUserFields\n      }\n    }\n  }\n": types.AdminUsersDocument,
    "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...AdminUserFields\n    }\n  }\n": types.AdminCreateUserDocument,
    "\n  mutation AdminSetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      ...AdminUserFields\n    }\n  }\n": types.AdminSetUserRoleDocument,
    "\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      ...AdminUserFields\n    }\n  }\n": types.AdminSetUserDisabledDocument,
    "\n  query AdminUserDevices($userId: ID!) {\n    userDevices(userId: $userId) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n": types.AdminUserDevicesDocument,
    "\n  mutation AdminRevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n": types.AdminRevokeDeviceDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      name\n      role\n    }\n  }\n": types.MeDocument,
    "\n  query DevicesPage {\n    devices {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n": types.DevicesPageDocument,
    "\n  mutation RevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n": types.RevokeDeviceDocument,
    "\n  query LibraryVideos(\n    $first: Int\n    $after: String\n    $platform: String\n    $status: VideoStatus\n    $search: String\n  ) {\n    videos(first: $first, after: $after, platform: $platform, status: $status, search: $search) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        platform\n        canonicalUrl\n        title\n        thumbnailUrl\n        status\n        lastViewedAt\n        noteSummary {\n          totalCount\n          countsByCategory {\n            category\n            count\n          }\n        }\n      }\n    }\n  }\n": types.LibraryVideosDocument,
    "\n  fragment NoteFields on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    createdAt\n    deletedAt\n    quality {\n      decision\n      reason\n    }\n  }\n": types.NoteFieldsFragmentDoc,
    "\n  fragment NoteSummaryFields on NoteSummary {\n    totalCount\n    countsByCategory {\n      category\n      count\n    }\n    countsByStatus {\n      status\n      count\n    }\n  }\n": types.NoteSummaryFieldsFragmentDoc,
    "\n  query NotesPage(\n    $videoId: ID!\n    $first: Int!\n    $after: String\n    $filter: NoteFilterInput!\n    $withSummary: Boolean!\n  ) {\n    video(id: $videoId) @include(if: $withSummary) {\n      id\n      noteSummary {\n        ...NoteSummaryFields\n      }\n    }\n    notes(videoId: $videoId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...NoteFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n      offset\n    }\n  }\n": types.NotesPageDocument,
    "\n  query Note($id: ID!) {\n    note(id: $id) {\n      ...NoteFields\n    }\n  }\n": types.NoteDocument,
    "\n  subscription NoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n        videoId\n        totalCount\n        countsByCategory {\n          category\n          count\n        }\n        countsByStatus {\n          status\n          count\n        }\n      }\n    }\n  }\n": types.NoteEventsDocument,
    "\n  mutation CreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...NoteFields\n    }\n  }\n": types.CreateNoteDocument,
    "\n  mutation UpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...NoteFields\n    }\n  }\n": types.UpdateNoteDocument,
    "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id) {\n      ...NoteFields\n    }\n  }\n": types.DeleteNoteDocument,
    "\n  mutation RestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...NoteFields\n    }\n  }\n": types.RestoreNoteDocument,
    "\n  query Video($id: ID!) {\n    video(id: $id) {\n      id\n      platform\n      externalId\n      canonicalUrl\n      embedUrl\n      lastUrl\n      title\n      durationSeconds\n    }\n  }\n": types.VideoDocument,
    "\n  query VideoDeepLink($id: ID!, $seconds: Float!) {\n    video(id: $id) {\n      id\n      deepLink(seconds: $seconds)\n    }\n  }\n": types.VideoDeepLinkDocument,
    "\n  fragment SettingsFields on UserSettings {\n    cooldownMs\n    mergeWithinMs\n    minSpeechMs\n    maxSpeechMs\n    autoPauseVideo\n    autoResumeDelayMs\n    idleStopMs\n    heartbeatIntervalMs\n    heartbeatTimeoutMs\n    maxRestarts\n    restartWindowMs\n    sessionTtlMs\n    startThreshold\n    endThreshold\n    minSilenceMs\n    preRollMs\n    minConfidence\n    preferredProtocolVersion\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n    updatedAt\n  }\n": types.SettingsFieldsFragmentDoc,
    "\n  query SettingsPage {\n    me {\n      id\n    }\n    settings {\n      ...SettingsFields\n    }\n  }\n": types.SettingsPageDocument,
    "\n  mutation UpdateSettingsPage($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      ...SettingsFields\n    }\n  }\n": types.UpdateSettingsPageDocument,
    "\n  subscription SettingsPageChanged {\n    settingsChanged {\n      ...SettingsFields\n    }\n  }\n": types.SettingsPageChangedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAuthEvents($first: Int, $after: String, $kind: String, $outcome: String) {\n    authEvents(first: $first, after: $after, kind: $kind, outcome: $outcome) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        occurredAt\n        kind\n        outcome\n        reason\n        userId\n        deviceId\n        email\n        ip\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminAuthEvents($first: Int, $after: String, $kind: String, $outcome: String) {\n    authEvents(first: $first, after: $after, kind: $kind, outcome: $outcome) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        occurredAt\n        kind\n        outcome\n        reason\n        userId\n        deviceId\n        email\n        ip\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminFlagFields on FeatureFlag {\n    name\n    description\n    defaultEnabled\n    rolloutPercent\n    updatedAt\n    overrides {\n      userId\n      email\n      enabled\n    }\n  }\n"): (typeof documents)["\n  fragment AdminFlagFields on FeatureFlag {\n    name\n    description\n    defaultEnabled\n    rolloutPercent\n    updatedAt\n    overrides {\n      userId\n      email\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminFeatureFlags {\n    featureFlags {\n      ...AdminFlagFields\n    }\n  }\n"): (typeof documents)["\n  query AdminFeatureFlags {\n    featureFlags {\n      ...AdminFlagFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminFeatureFlagPreview($input: FeatureFlagPreviewInput!) {\n    featureFlagPreview(input: $input) {\n      name\n      usersConsidered\n      changedCount\n      turningOn\n      turningOff\n      changes {\n        user {\n          id\n          email\n        }\n        before\n        after\n        reason\n      }\n      user {\n        user {\n          id\n          email\n        }\n        enabled\n        reason\n        bucket\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminFeatureFlagPreview($input: FeatureFlagPreviewInput!) {\n    featureFlagPreview(input: $input) {\n      name\n      usersConsidered\n      changedCount\n      turningOn\n      turningOff\n      changes {\n        user {\n          id\n          email\n        }\n        before\n        after\n        reason\n      }\n      user {\n        user {\n          id\n          email\n        }\n        enabled\n        reason\n        bucket\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetFeatureFlag($input: SetFeatureFlagInput!) {\n    setFeatureFlag(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetFeatureFlag($input: SetFeatureFlagInput!) {\n    setFeatureFlag(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetFeatureFlagOverride($input: SetFeatureFlagOverrideInput!) {\n    setFeatureFlagOverride(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetFeatureFlagOverride($input: SetFeatureFlagOverrideInput!) {\n    setFeatureFlagOverride(input: $input) {\n      ...AdminFlagFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminLiveSessionsFields on LiveSessions {\n    at\n    total\n    byState {\n      state\n      count\n    }\n    sessions {\n      id\n      user {\n        id\n        email\n      }\n      videoId\n      videoTitle\n      state\n      startedAt\n      lastEventAt\n      node\n    }\n  }\n"): (typeof documents)["\n  fragment AdminLiveSessionsFields on LiveSessions {\n    at\n    total\n    byState {\n      state\n      count\n    }\n    sessions {\n      id\n      user {\n        id\n        email\n      }\n      videoId\n      videoTitle\n      state\n      startedAt\n      lastEventAt\n      node\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminLiveSessions($first: Int) {\n    liveSessions(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n"): (typeof documents)["\n  query AdminLiveSessions($first: Int) {\n    liveSessions(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AdminLiveSessionsChanged($first: Int) {\n    liveSessionsChanged(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n"): (typeof documents)["\n  subscription AdminLiveSessionsChanged($first: Int) {\n    liveSessionsChanged(first: $first) {\n      ...AdminLiveSessionsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminServerHealth {\n    serverHealth {\n      version\n      node\n      startedAt\n      uptimeSeconds\n      database {\n        backend\n        ok\n        latencyMs\n        error\n      }\n      jobs {\n        pending\n        running\n        done\n        dead\n      }\n      openSockets\n      liveSessions\n    }\n  }\n"): (typeof documents)["\n  query AdminServerHealth {\n    serverHealth {\n      version\n      node\n      startedAt\n      uptimeSeconds\n      database {\n        backend\n        ok\n        latencyMs\n        error\n      }\n      jobs {\n        pending\n        running\n        done\n        dead\n      }\n      openSockets\n      liveSessions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminLastHour($from: DateTime!, $to: DateTime!) {\n    analytics(from: $from, to: $to, bucket: MINUTE) {\n      from\n      to\n      total {\n        noteDelivery {\n          count\n          p50Ms\n          p95Ms\n          p99Ms\n        }\n        voiceEvents\n        errors\n        resets\n        disconnects\n        notesCreated\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminLastHour($from: DateTime!, $to: DateTime!) {\n    analytics(from: $from, to: $to, bucket: MINUTE) {\n      from\n      to\n      total {\n        noteDelivery {\n          count\n          p50Ms\n          p95Ms\n          p99Ms\n        }\n        voiceEvents\n        errors\n        resets\n        disconnects\n        notesCreated\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminJobCounts($kind: JobKind) {\n    jobCounts(kind: $kind) {\n      pending\n      running\n      done\n      dead\n    }\n  }\n"): (typeof documents)["\n  query AdminJobCounts($kind: JobKind) {\n    jobCounts(kind: $kind) {\n      pending\n      running\n      done\n      dead\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminJobs($first: Int, $after: String, $state: JobState, $kind: JobKind) {\n    jobs(first: $first, after: $after, state: $state, kind: $kind) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        kind\n        state\n        attempts\n        maxAttempts\n        noteId\n        runAt\n        doneAt\n        lastResult\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminJobs($first: Int, $after: String, $state: JobState, $kind: JobKind) {\n    jobs(first: $first, after: $after, state: $state, kind: $kind) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        kind\n        state\n        attempts\n        maxAttempts\n        noteId\n        runAt\n        doneAt\n        lastResult\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRetryJob($id: ID!) {\n    retryJob(id: $id) {\n      id\n      kind\n      state\n      attempts\n      maxAttempts\n      noteId\n      runAt\n      doneAt\n      lastResult\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRetryJob($id: ID!) {\n    retryJob(id: $id) {\n      id\n      kind\n      state\n      attempts\n      maxAttempts\n      noteId\n      runAt\n      doneAt\n      lastResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminQualitySummary($from: DateTime, $to: DateTime, $userId: ID) {\n    noteQualitySummary(from: $from, to: $to, userId: $userId) {\n      decision\n      reason\n      category\n      count\n    }\n  }\n"): (typeof documents)["\n  query AdminQualitySummary($from: DateTime, $to: DateTime, $userId: ID) {\n    noteQualitySummary(from: $from, to: $to, userId: $userId) {\n      decision\n      reason\n      category\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminLearnedThresholds($userId: ID, $platform: String) {\n    learnedThresholds(userId: $userId, platform: $platform) {\n      id\n      userId\n      user {\n        id\n        email\n      }\n      platform\n      category\n      thresholdDelta\n      enabled\n      reason\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  query AdminLearnedThresholds($userId: ID, $platform: String) {\n    learnedThresholds(userId: $userId, platform: $platform) {\n      id\n      userId\n      user {\n        id\n        email\n      }\n      platform\n      category\n      thresholdDelta\n      enabled\n      reason\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminResetLearnedThresholds($userId: ID!, $platform: String) {\n    resetLearnedThresholds(userId: $userId, platform: $platform)\n  }\n"): (typeof documents)["\n  mutation AdminResetLearnedThresholds($userId: ID!, $platform: String) {\n    resetLearnedThresholds(userId: $userId, platform: $platform)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminFindUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      nodes {\n        id\n        email\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminFindUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      nodes {\n        id\n        email\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminTelemetryNames {\n    telemetryNames\n  }\n"): (typeof documents)["\n  query AdminTelemetryNames {\n    telemetryNames\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminTelemetryEvents(\n    $first: Int\n    $after: String\n    $name: String\n    $level: TelemetryLevel\n    $userId: ID\n    $deviceId: ID\n    $sessionId: ID\n    $source: TelemetrySource\n    $from: DateTime\n    $to: DateTime\n  ) {\n    telemetryEvents(\n      first: $first\n      after: $after\n      name: $name\n      level: $level\n      userId: $userId\n      deviceId: $deviceId\n      sessionId: $sessionId\n      source: $source\n      from: $from\n      to: $to\n    ) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        clientKey\n        eventId\n        source\n        name\n        level\n        userId\n        deviceId\n        sessionId\n        occurredAt\n        receivedAt\n        properties\n        clientVersion\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminTelemetryEvents(\n    $first: Int\n    $after: String\n    $name: String\n    $level: TelemetryLevel\n    $userId: ID\n    $deviceId: ID\n    $sessionId: ID\n    $source: TelemetrySource\n    $from: DateTime\n    $to: DateTime\n  ) {\n    telemetryEvents(\n      first: $first\n      after: $after\n      name: $name\n      level: $level\n      userId: $userId\n      deviceId: $deviceId\n      sessionId: $sessionId\n      source: $source\n      from: $from\n      to: $to\n    ) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        clientKey\n        eventId\n        source\n        name\n        level\n        userId\n        deviceId\n        sessionId\n        occurredAt\n        receivedAt\n        properties\n        clientVersion\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminAnalyticsPointFields on AnalyticsPoint {\n    at\n    noteDelivery {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    voiceEvent {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    notesCreated\n    notesSuppressed\n    voiceEvents\n    errors\n    resets\n    disconnects\n    reconnects\n    activeSessions\n    activeUsers\n    telemetryAccepted\n    telemetryDuplicates\n    telemetryDropped\n  }\n"): (typeof documents)["\n  fragment AdminAnalyticsPointFields on AnalyticsPoint {\n    at\n    noteDelivery {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    voiceEvent {\n      count\n      p50Ms\n      p95Ms\n      p99Ms\n    }\n    notesCreated\n    notesSuppressed\n    voiceEvents\n    errors\n    resets\n    disconnects\n    reconnects\n    activeSessions\n    activeUsers\n    telemetryAccepted\n    telemetryDuplicates\n    telemetryDropped\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAnalytics($from: DateTime!, $to: DateTime!, $bucket: AnalyticsBucket!) {\n    analytics(from: $from, to: $to, bucket: $bucket) {\n      from\n      to\n      bucket\n      points {\n        ...AdminAnalyticsPointFields\n      }\n      total {\n        ...AdminAnalyticsPointFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminAnalytics($from: DateTime!, $to: DateTime!, $bucket: AnalyticsBucket!) {\n    analytics(from: $from, to: $to, bucket: $bucket) {\n      from\n      to\n      bucket\n      points {\n        ...AdminAnalyticsPointFields\n      }\n      total {\n        ...AdminAnalyticsPointFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminUserFields on User {\n    id\n    email\n    name\n    role\n    createdAt\n    disabled\n    disabledAt\n  }\n"): (typeof documents)["\n  fragment AdminUserFields on User {\n    id\n    email\n    name\n    role\n    createdAt\n    disabled\n    disabledAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUsers($first: Int, $after: String, $search: String, $role: Role, $disabled: Boolean) {\n    users(first: $first, after: $after, search: $search, role: $role, disabled: $disabled) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...AdminUserFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminUsers($first: Int, $after: String, $search: String, $role: Role, $disabled: Boolean) {\n    users(first: $first, after: $after, search: $search, role: $role, disabled: $disabled) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...AdminUserFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...AdminUserFields\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...AdminUserFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      ...AdminUserFields\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      ...AdminUserFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      ...AdminUserFields\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {\n    setUserDisabled(id: $id, disabled: $disabled) {\n      ...AdminUserFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUserDevices($userId: ID!) {\n    userDevices(userId: $userId) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n"): (typeof documents)["\n  query AdminUserDevices($userId: ID!) {\n    userDevices(userId: $userId) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      name\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n      name\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DevicesPage {\n    devices {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n"): (typeof documents)["\n  query DevicesPage {\n    devices {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeDevice($id: ID!) {\n    revokeDevice(id: $id) {\n      id\n      name\n      createdAt\n      lastSeenAt\n      revokedAt\n      revokeReason\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LibraryVideos(\n    $first: Int\n    $after: String\n    $platform: String\n    $status: VideoStatus\n    $search: String\n  ) {\n    videos(first: $first, after: $after, platform: $platform, status: $status, search: $search) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        platform\n        canonicalUrl\n        title\n        thumbnailUrl\n        status\n        lastViewedAt\n        noteSummary {\n          totalCount\n          countsByCategory {\n            category\n            count\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LibraryVideos(\n    $first: Int\n    $after: String\n    $platform: String\n    $status: VideoStatus\n    $search: String\n  ) {\n    videos(first: $first, after: $after, platform: $platform, status: $status, search: $search) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        platform\n        canonicalUrl\n        title\n        thumbnailUrl\n        status\n        lastViewedAt\n        noteSummary {\n          totalCount\n          countsByCategory {\n            category\n            count\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NoteFields on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    createdAt\n    deletedAt\n    quality {\n      decision\n      reason\n    }\n  }\n"): (typeof documents)["\n  fragment NoteFields on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    createdAt\n    deletedAt\n    quality {\n      decision\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NoteSummaryFields on NoteSummary {\n    totalCount\n    countsByCategory {\n      category\n      count\n    }\n    countsByStatus {\n      status\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment NoteSummaryFields on NoteSummary {\n    totalCount\n    countsByCategory {\n      category\n      count\n    }\n    countsByStatus {\n      status\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotesPage(\n    $videoId: ID!\n    $first: Int!\n    $after: String\n    $filter: NoteFilterInput!\n    $withSummary: Boolean!\n  ) {\n    video(id: $videoId) @include(if: $withSummary) {\n      id\n      noteSummary {\n        ...NoteSummaryFields\n      }\n    }\n    notes(videoId: $videoId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...NoteFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n      offset\n    }\n  }\n"): (typeof documents)["\n  query NotesPage(\n    $videoId: ID!\n    $first: Int!\n    $after: String\n    $filter: NoteFilterInput!\n    $withSummary: Boolean!\n  ) {\n    video(id: $videoId) @include(if: $withSummary) {\n      id\n      noteSummary {\n        ...NoteSummaryFields\n      }\n    }\n    notes(videoId: $videoId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...NoteFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n      offset\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Note($id: ID!) {\n    note(id: $id) {\n      ...NoteFields\n    }\n  }\n"): (typeof documents)["\n  query Note($id: ID!) {\n    note(id: $id) {\n      ...NoteFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n        videoId\n        totalCount\n        countsByCategory {\n          category\n          count\n        }\n        countsByStatus {\n          status\n          count\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription NoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...NoteFields\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n        videoId\n        totalCount\n        countsByCategory {\n          category\n          count\n        }\n        countsByStatus {\n          status\n          count\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...NoteFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...NoteFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...NoteFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...NoteFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id) {\n      ...NoteFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id) {\n      ...NoteFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...NoteFields\n    }\n  }\n"): (typeof documents)["\n  mutation RestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...NoteFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Video($id: ID!) {\n    video(id: $id) {\n      id\n      platform\n      externalId\n      canonicalUrl\n      embedUrl\n      lastUrl\n      title\n      durationSeconds\n    }\n  }\n"): (typeof documents)["\n  query Video($id: ID!) {\n    video(id: $id) {\n      id\n      platform\n      externalId\n      canonicalUrl\n      embedUrl\n      lastUrl\n      title\n      durationSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VideoDeepLink($id: ID!, $seconds: Float!) {\n    video(id: $id) {\n      id\n      deepLink(seconds: $seconds)\n    }\n  }\n"): (typeof documents)["\n  query VideoDeepLink($id: ID!, $seconds: Float!) {\n    video(id: $id) {\n      id\n      deepLink(seconds: $seconds)\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SettingsFields on UserSettings {\n    cooldownMs\n    mergeWithinMs\n    minSpeechMs\n    maxSpeechMs\n    autoPauseVideo\n    autoResumeDelayMs\n    idleStopMs\n    heartbeatIntervalMs\n    heartbeatTimeoutMs\n    maxRestarts\n    restartWindowMs\n    sessionTtlMs\n    startThreshold\n    endThreshold\n    minSilenceMs\n    preRollMs\n    minConfidence\n    preferredProtocolVersion\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment SettingsFields on UserSettings {\n    cooldownMs\n    mergeWithinMs\n    minSpeechMs\n    maxSpeechMs\n    autoPauseVideo\n    autoResumeDelayMs\n    idleStopMs\n    heartbeatIntervalMs\n    heartbeatTimeoutMs\n    maxRestarts\n    restartWindowMs\n    sessionTtlMs\n    startThreshold\n    endThreshold\n    minSilenceMs\n    preRollMs\n    minConfidence\n    preferredProtocolVersion\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsPage {\n    me {\n      id\n    }\n    settings {\n      ...SettingsFields\n    }\n  }\n"): (typeof documents)["\n  query SettingsPage {\n    me {\n      id\n    }\n    settings {\n      ...SettingsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSettingsPage($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      ...SettingsFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSettingsPage($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      ...SettingsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SettingsPageChanged {\n    settingsChanged {\n      ...SettingsFields\n    }\n  }\n"): (typeof documents)["\n  subscription SettingsPageChanged {\n    settingsChanged {\n      ...SettingsFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;