//! Runs the migrations up, down and up again on SQLite (always) and on
//! PostgreSQL (when `LOSSY_TEST_DATABASE_URL` is set), and round-trips a
//! row of every entity through the resulting schema.

use chrono::{SubsecRound, Utc};
use lossy_entities::{
    auth_events, devices, feature_flag_overrides, feature_flags, note_quality_decisions, notes,
    prelude::*, quality_adjustments, spent_refresh_tokens, telemetry_events, user_settings, users,
    video_contexts, videos, voice_session_transitions, voice_sessions, web_sessions,
};
use lossy_migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, ModelTrait, PaginatorTrait,
};
use uuid::Uuid;

const TABLES: [&str; 16] = [
    "users",
    "web_sessions",
    "devices",
    "spent_refresh_tokens",
    "auth_events",
    "user_settings",
    "feature_flags",
    "feature_flag_overrides",
    "voice_sessions",
    "voice_session_transitions",
    "telemetry_events",
    "videos",
    "notes",
    "note_quality_decisions",
    "quality_adjustments",
    "video_contexts",
];

const FLAGS: [&str; 5] = [
    "server_voice_session",
    "server_notes_channel",
    "server_video_context",
    "server_telemetry",
    "server_platform_adapters",
];

/// up, checks, down, checks, up, checks.
async fn exercise(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    check_seeded(db).await?;
    round_trip(db).await?;
    voice_and_telemetry_round_trip(db).await?;
    videos_and_notes_round_trip(db).await?;

    Migrator::down(db, None).await?;
    let manager = SchemaManager::new(db);
    for table in TABLES {
        assert!(!manager.has_table(table).await?, "{table} left after down");
    }

    transcription_settings_default_existing_rows(db).await?;
    check_seeded(db).await?;
    round_trip(db).await?;
    voice_and_telemetry_round_trip(db).await?;
    videos_and_notes_round_trip(db).await
}

/// Migrates up to just before the transcription settings, stores a settings row the old way,
/// then applies the rest: the row reads back with the protocol's transcription defaults.
async fn transcription_settings_default_existing_rows(
    db: &DatabaseConnection,
) -> Result<(), DbErr> {
    use lossy_migration::{Alias, Query};
    let before = Migrator::migrations().len() as u32 - 1;
    Migrator::up(db, Some(before)).await?;
    let now = Utc::now().trunc_subsecs(6);
    let user = users::Model {
        id: Uuid::new_v4(),
        email: "early@example.com".into(),
        password_hash: "$argon2id$v=19$...".into(),
        name: "Early".into(),
        role: "user".into(),
        created_at: now,
        updated_at: now,
        disabled_at: None,
    };
    user.clone().into_active_model().insert(db).await?;
    let columns = [
        "user_id",
        "cooldown_ms",
        "merge_within_ms",
        "min_speech_ms",
        "max_speech_ms",
        "auto_pause_video",
        "auto_resume_delay_ms",
        "idle_stop_ms",
        "heartbeat_interval_ms",
        "heartbeat_timeout_ms",
        "max_restarts",
        "restart_window_ms",
        "session_ttl_ms",
        "vad_start_threshold",
        "vad_end_threshold",
        "vad_min_silence_ms",
        "vad_pre_roll_ms",
        "min_confidence",
        "preferred_protocol_version",
        "client_preferences",
        "version",
        "created_at",
        "updated_at",
    ];
    let insert = Query::insert()
        .into_table(Alias::new("user_settings"))
        .columns(columns.map(Alias::new))
        .values_panic([
            user.id.into(),
            500.into(),
            250.into(),
            200.into(),
            15000.into(),
            true.into(),
            500.into(),
            180_000.into(),
            5000.into(),
            15000.into(),
            3.into(),
            60000.into(),
            600_000.into(),
            0.6.into(),
            0.35.into(),
            650.into(),
            500.into(),
            0.3.into(),
            2.into(),
            serde_json::json!({}).into(),
            1i64.into(),
            now.into(),
            now.into(),
        ])
        .to_owned();
    db.execute(&insert).await?;

    Migrator::up(db, None).await?;
    let row = UserSettings::find_by_id(user.id).one(db).await?.unwrap();
    assert_eq!(row.transcription_mode, "on_device");
    assert_eq!(row.transcription_endpoint, None);
    assert_eq!(row.transcription_model, "whisper-base.en");
    assert_eq!(row.cooldown_ms, 500);
    user.delete(db).await?;
    Ok(())
}

async fn check_seeded(db: &DatabaseConnection) -> Result<(), DbErr> {
    let manager = SchemaManager::new(db);
    for table in TABLES {
        assert!(manager.has_table(table).await?, "{table} missing after up");
    }
    assert_eq!(FeatureFlags::find().count(db).await?, 5);
    for name in FLAGS {
        let flag = FeatureFlags::find_by_id(name)
            .one(db)
            .await?
            .unwrap_or_else(|| panic!("flag {name} not seeded"));
        assert!(flag.default_enabled, "{name} should be enabled by default");
        assert_eq!(flag.rollout_percent, 0, "{name} rollout");
        assert!(!flag.description.is_empty(), "{name} description");
        assert_eq!(flag.created_at, flag.updated_at);
    }
    Ok(())
}

/// Inserts one row per entity, reads it back unchanged, then checks that
/// deleting the user cascades everywhere except the audit log.
async fn round_trip(db: &DatabaseConnection) -> Result<(), DbErr> {
    // PostgreSQL keeps microseconds.
    let now = Utc::now().trunc_subsecs(6);
    let user = users::Model {
        id: Uuid::new_v4(),
        email: "ada@example.com".into(),
        password_hash: "$argon2id$v=19$...".into(),
        name: "Ada".into(),
        role: "admin".into(),
        created_at: now,
        updated_at: now,
        disabled_at: None,
    };
    let session = web_sessions::Model {
        id: Uuid::new_v4(),
        token_hash: "ab".repeat(32),
        user_id: user.id,
        created_at: now,
        expires_at: now + chrono::Duration::days(30),
        last_seen_at: now,
        user_agent: Some("Firefox".into()),
        ip: None,
    };
    let device = devices::Model {
        id: Uuid::new_v4(),
        user_id: user.id,
        name: "laptop extension".into(),
        refresh_token_hash: Some("cd".repeat(32)),
        refresh_expires_at: Some(now),
        created_at: now,
        last_seen_at: now,
        revoked_at: None,
        revoke_reason: None,
    };
    // Two devices without a refresh token must not clash on the unique key.
    let device2 = devices::Model {
        id: Uuid::new_v4(),
        refresh_token_hash: None,
        refresh_expires_at: None,
        revoked_at: Some(now),
        revoke_reason: Some("refresh_reuse".into()),
        ..device.clone()
    };
    let device3 = devices::Model {
        id: Uuid::new_v4(),
        ..device2.clone()
    };
    let spent = spent_refresh_tokens::Model {
        token_hash: "ef".repeat(32),
        device_id: device.id,
        spent_at: now,
    };
    let event = auth_events::Model {
        id: Uuid::new_v4(),
        occurred_at: now,
        kind: "login".into(),
        outcome: "success".into(),
        reason: "ok".into(),
        user_id: Some(user.id),
        device_id: Some(device.id),
        email: Some(user.email.clone()),
        ip: Some("127.0.0.1".into()),
        detail: Some(serde_json::json!({"ua": "Firefox", "attempt": 1})),
    };
    let event_no_detail = auth_events::Model {
        id: Uuid::new_v4(),
        user_id: None,
        device_id: None,
        detail: None,
        ..event.clone()
    };
    let settings = user_settings::Model {
        user_id: user.id,
        cooldown_ms: 1500,
        merge_within_ms: 4000,
        min_speech_ms: 250,
        max_speech_ms: 30_000,
        auto_pause_video: true,
        auto_resume_delay_ms: 800,
        idle_stop_ms: 60_000,
        heartbeat_interval_ms: 5000,
        heartbeat_timeout_ms: 15_000,
        max_restarts: 3,
        restart_window_ms: 60_000,
        session_ttl_ms: 3_600_000,
        vad_start_threshold: 0.6,
        vad_end_threshold: 0.35,
        vad_min_silence_ms: 500,
        vad_pre_roll_ms: 300,
        min_confidence: 0.42,
        preferred_protocol_version: 2,
        client_preferences: serde_json::json!({"theme": "dark", "hotkeys": ["a", "b"]}),
        transcription_mode: "endpoint".into(),
        transcription_endpoint: Some("http://127.0.0.1:8000/v1".into()),
        transcription_model: "whisper-1".into(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let flag_override = feature_flag_overrides::Model {
        flag_name: FLAGS[0].into(),
        user_id: user.id,
        enabled: false,
        created_at: now,
        updated_at: now,
    };

    user.clone().into_active_model().insert(db).await?;
    session.clone().into_active_model().insert(db).await?;
    for d in [&device, &device2, &device3] {
        d.clone().into_active_model().insert(db).await?;
    }
    spent.clone().into_active_model().insert(db).await?;
    event.clone().into_active_model().insert(db).await?;
    event_no_detail
        .clone()
        .into_active_model()
        .insert(db)
        .await?;
    settings.clone().into_active_model().insert(db).await?;
    flag_override.clone().into_active_model().insert(db).await?;

    assert_eq!(
        Users::find_by_id(user.id).one(db).await?,
        Some(user.clone())
    );
    assert_eq!(
        WebSessions::find_by_id(session.id).one(db).await?,
        Some(session.clone())
    );
    for d in [&device, &device2, &device3] {
        assert_eq!(Devices::find_by_id(d.id).one(db).await?.as_ref(), Some(d));
    }
    assert_eq!(
        SpentRefreshTokens::find_by_id(spent.token_hash.clone())
            .one(db)
            .await?,
        Some(spent.clone())
    );
    assert_eq!(AuthEvents::find_by_id(event.id).one(db).await?, Some(event));
    assert_eq!(
        AuthEvents::find_by_id(event_no_detail.id).one(db).await?,
        Some(event_no_detail)
    );
    assert_eq!(
        UserSettings::find_by_id(user.id).one(db).await?,
        Some(settings)
    );
    assert_eq!(
        FeatureFlagOverrides::find_by_id((FLAGS[0].to_string(), user.id))
            .one(db)
            .await?,
        Some(flag_override)
    );

    // Relations resolve.
    assert_eq!(user.find_related(Devices).count(db).await?, 3);
    assert_eq!(device.find_related(SpentRefreshTokens).count(db).await?, 1);
    assert!(user.find_related(UserSettings).one(db).await?.is_some());

    // Unique email.
    let dup = users::Model {
        id: Uuid::new_v4(),
        ..user.clone()
    };
    assert!(dup.into_active_model().insert(db).await.is_err());

    // Deleting the user cascades, but the audit log stays.
    user.delete(db).await?;
    assert_eq!(WebSessions::find().count(db).await?, 0);
    assert_eq!(Devices::find().count(db).await?, 0);
    assert_eq!(SpentRefreshTokens::find().count(db).await?, 0);
    assert_eq!(UserSettings::find().count(db).await?, 0);
    assert_eq!(FeatureFlagOverrides::find().count(db).await?, 0);
    assert_eq!(AuthEvents::find().count(db).await?, 2);
    assert_eq!(feature_flags::Entity::find().count(db).await?, 5);
    Ok(())
}

/// Round-trips voice sessions, their transitions and telemetry events, then checks what the
/// second migration's keys promise: cascades from users and devices to sessions and from
/// sessions to transitions, telemetry that survives them all, and one event per
/// (client key, event id).
async fn voice_and_telemetry_round_trip(db: &DatabaseConnection) -> Result<(), DbErr> {
    let now = Utc::now().trunc_subsecs(6);
    let user = users::Model {
        id: Uuid::new_v4(),
        email: format!("grace-{}@example.com", Uuid::new_v4().simple()),
        password_hash: "$argon2id$v=19$...".into(),
        name: "Grace".into(),
        role: "user".into(),
        created_at: now,
        updated_at: now,
        disabled_at: None,
    };
    let device = devices::Model {
        id: Uuid::new_v4(),
        user_id: user.id,
        name: "extension".into(),
        refresh_token_hash: None,
        refresh_expires_at: None,
        created_at: now,
        last_seen_at: now,
        revoked_at: None,
        revoke_reason: None,
    };
    let other_device = devices::Model {
        id: Uuid::new_v4(),
        ..device.clone()
    };
    let live = voice_sessions::Model {
        id: Uuid::new_v4(),
        user_id: user.id,
        device_id: device.id,
        // No video row exists: the column has no foreign key yet.
        video_id: Some(Uuid::new_v4()),
        tab_id: 42,
        page_instance_id: "page-1".into(),
        state: "recording".into(),
        last_applied_seq: i64::from(i32::MAX) + 7,
        counters: serde_json::json!({"ignoredShort": 1, "ignoredCooldown": 0}),
        machine: serde_json::json!({"state": "recording", "utterance": {"id": "u1", "mediaTime": 12.5}}),
        started_at: now,
        updated_at: now,
        last_event_at: now,
        ended_at: None,
        end_reason: None,
        node: Some("node-a".into()),
        epoch: i64::from(i32::MAX) + 2,
        lease_until: Some(now + chrono::Duration::seconds(10)),
    };
    let ended = voice_sessions::Model {
        id: Uuid::new_v4(),
        device_id: other_device.id,
        video_id: None,
        state: "closed".into(),
        ended_at: Some(now + chrono::Duration::seconds(5)),
        end_reason: Some("context_moved".into()),
        node: None,
        lease_until: None,
        ..live.clone()
    };
    let transition = voice_session_transitions::Model {
        id: Uuid::new_v4(),
        session_id: live.id,
        seq: Some(3),
        from_state: "observing".into(),
        to_state: "recording".into(),
        cause: "speech_start".into(),
        command: Some("PAUSE_VIDEO".into()),
        occurred_at: now,
    };
    let timer_transition = voice_session_transitions::Model {
        id: Uuid::new_v4(),
        seq: None,
        command: None,
        cause: "cooldown_elapsed".into(),
        ..transition.clone()
    };
    let client_event = telemetry_events::Model {
        id: Uuid::new_v4(),
        client_key: device.id.to_string(),
        event_id: "evt-1".into(),
        user_id: Some(user.id),
        device_id: Some(device.id),
        session_id: Some(live.id),
        name: "vad.started".into(),
        level: "info".into(),
        occurred_at: now - chrono::Duration::seconds(30),
        received_at: now,
        properties: serde_json::json!({"latencyMs": 12, "model": "silero"}),
        client_version: Some("1.4.0".into()),
        source: "client".into(),
    };
    let server_event = telemetry_events::Model {
        id: Uuid::new_v4(),
        client_key: "server".into(),
        event_id: Uuid::new_v4().to_string(),
        user_id: None,
        device_id: None,
        session_id: None,
        name: "voice.transition".into(),
        level: "debug".into(),
        properties: serde_json::json!({}),
        client_version: None,
        source: "server".into(),
        ..client_event.clone()
    };

    user.clone().into_active_model().insert(db).await?;
    for d in [&device, &other_device] {
        d.clone().into_active_model().insert(db).await?;
    }
    for s in [&live, &ended] {
        s.clone().into_active_model().insert(db).await?;
    }
    for t in [&transition, &timer_transition] {
        t.clone().into_active_model().insert(db).await?;
    }
    for e in [&client_event, &server_event] {
        e.clone().into_active_model().insert(db).await?;
    }

    for s in [&live, &ended] {
        assert_eq!(
            VoiceSessions::find_by_id(s.id).one(db).await?.as_ref(),
            Some(s)
        );
    }
    for t in [&transition, &timer_transition] {
        assert_eq!(
            VoiceSessionTransitions::find_by_id(t.id)
                .one(db)
                .await?
                .as_ref(),
            Some(t)
        );
    }
    for e in [&client_event, &server_event] {
        assert_eq!(
            TelemetryEvents::find_by_id(e.id).one(db).await?.as_ref(),
            Some(e)
        );
    }
    assert_eq!(
        live.find_related(VoiceSessionTransitions).count(db).await?,
        2
    );
    assert_eq!(
        transition.find_related(VoiceSessions).one(db).await?,
        Some(live.clone())
    );
    assert_eq!(device.find_related(VoiceSessions).count(db).await?, 1);
    assert_eq!(user.find_related(VoiceSessions).count(db).await?, 2);

    // One event per (client key, event id); the same id from another client is another row.
    let resent = telemetry_events::Model {
        id: Uuid::new_v4(),
        ..client_event.clone()
    };
    assert!(resent.into_active_model().insert(db).await.is_err());
    let other_client = telemetry_events::Model {
        id: Uuid::new_v4(),
        client_key: other_device.id.to_string(),
        device_id: Some(other_device.id),
        ..client_event.clone()
    };
    other_client.into_active_model().insert(db).await?;

    // Deleting a device takes its sessions and their transitions with it.
    device.delete(db).await?;
    assert!(VoiceSessions::find_by_id(live.id).one(db).await?.is_none());
    assert_eq!(VoiceSessionTransitions::find().count(db).await?, 0);
    assert!(VoiceSessions::find_by_id(ended.id).one(db).await?.is_some());
    // Deleting the user takes the rest; telemetry stays.
    user.delete(db).await?;
    assert_eq!(VoiceSessions::find().count(db).await?, 0);
    assert_eq!(TelemetryEvents::find().count(db).await?, 3);
    telemetry_events::Entity::delete_many().exec(db).await?;
    Ok(())
}

async fn videos_and_notes_round_trip(db: &DatabaseConnection) -> Result<(), DbErr> {
    let now = Utc::now().trunc_subsecs(6);
    let user = users::Model {
        id: Uuid::new_v4(),
        email: format!("ada-{}@example.com", Uuid::new_v4().simple()),
        password_hash: "$argon2id$v=19$...".into(),
        name: "Ada".into(),
        role: "user".into(),
        created_at: now,
        updated_at: now,
        disabled_at: None,
    };
    user.clone().into_active_model().insert(db).await?;
    let video = videos::Model {
        id: Uuid::new_v4(),
        user_id: user.id,
        platform: "vimeo".into(),
        external_id: "76979871".into(),
        canonical_url: "https://vimeo.com/76979871/8272103f6e".into(),
        embed_url: "https://player.vimeo.com/video/76979871?h=8272103f6e".into(),
        extras: serde_json::json!({ "hash": "8272103f6e" }),
        title: Some("Cut 3".into()),
        duration_seconds: Some(212.5),
        thumbnail_url: None,
        status: "active".into(),
        last_url: "https://vimeo.com/76979871/8272103f6e".into(),
        last_tab_id: Some(7),
        last_page_instance_id: Some("page-1".into()),
        created_at: now,
        updated_at: now,
        last_viewed_at: now,
    };
    assert_eq!(video.clone().into_active_model().insert(db).await?, video);
    // One row per user, platform and external id.
    let twin = videos::Model {
        id: Uuid::new_v4(),
        ..video.clone()
    };
    assert!(twin.into_active_model().insert(db).await.is_err());

    let note = notes::Model {
        id: Uuid::new_v4(),
        user_id: user.id,
        video_id: video.id,
        voice_session_id: Some(Uuid::new_v4()),
        utterance_id: Some("utt-1".into()),
        text: "Music is too loud under the interview".into(),
        raw_transcript: "um the music is like too loud under the interview".into(),
        category: "audio".into(),
        confidence: 0.82,
        timestamp_seconds: 63.25,
        end_seconds: Some(65.75),
        status: "ghost".into(),
        quality_decision: "kept".into(),
        structurer: "builtin".into(),
        source: Some("whisper".into()),
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: None,
        delete_reason: None,
    };
    assert_eq!(note.clone().into_active_model().insert(db).await?, note);
    // The utterance id is unique per user; notes typed by hand have none and never collide.
    let replay = notes::Model {
        id: Uuid::new_v4(),
        ..note.clone()
    };
    assert!(replay.into_active_model().insert(db).await.is_err());
    for _ in 0..2 {
        notes::Model {
            id: Uuid::new_v4(),
            utterance_id: None,
            structurer: "manual".into(),
            ..note.clone()
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    let decision = note_quality_decisions::Model {
        id: Uuid::new_v4(),
        note_id: note.id,
        user_id: user.id,
        voice_session_id: note.voice_session_id,
        category: "audio".into(),
        confidence: 0.82,
        threshold: 0.3,
        decision: "kept".into(),
        reason: "above_threshold".into(),
        created_at: now,
    };
    assert_eq!(
        decision.clone().into_active_model().insert(db).await?,
        decision
    );
    let adjustment = quality_adjustments::Model {
        id: Uuid::new_v4(),
        user_id: user.id,
        platform: "all".into(),
        category: "audio".into(),
        threshold_delta: 0.1,
        enabled: true,
        reason: "five deletions in one session".into(),
        created_at: now,
        updated_at: now,
    };
    assert_eq!(
        adjustment.clone().into_active_model().insert(db).await?,
        adjustment
    );
    let context = video_contexts::Model {
        user_id: user.id,
        voice_session_id: note.voice_session_id,
        video_id: Some(video.id),
        platform: Some("vimeo".into()),
        current_url: Some(video.last_url.clone()),
        owner_device_id: Some(Uuid::new_v4()),
        owner_tab_id: Some(7),
        owner_page_instance_id: Some("page-1".into()),
        claimed_at: Some(now),
        lease_expires_at: Some(now),
        version: 1,
        updated_at: now,
    };
    assert_eq!(
        context.clone().into_active_model().insert(db).await?,
        context
    );

    // Deleting the video takes its notes and their decisions; the context forgets the video.
    video.delete(db).await?;
    assert_eq!(Notes::find().count(db).await?, 0);
    assert_eq!(NoteQualityDecisions::find().count(db).await?, 0);
    let kept = VideoContexts::find_by_id(user.id).one(db).await?.unwrap();
    assert_eq!(kept.video_id, None);
    // Deleting the user takes the rest.
    user.delete(db).await?;
    assert_eq!(QualityAdjustments::find().count(db).await?, 0);
    assert_eq!(VideoContexts::find().count(db).await?, 0);
    Ok(())
}

#[tokio::test]
async fn migrations_up_down_up_on_sqlite() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    exercise(&db).await.unwrap();
}

#[tokio::test]
async fn migrations_up_down_up_on_postgres() {
    let Ok(admin_url) = std::env::var("LOSSY_TEST_DATABASE_URL") else {
        eprintln!("LOSSY_TEST_DATABASE_URL not set: PostgreSQL migration test skipped");
        return;
    };
    let admin = Database::connect(&admin_url).await.unwrap();
    let name = format!("lossy_mig_{}", Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();

    let mut url = url::Url::parse(&admin_url).unwrap();
    url.set_path(&name);
    let outcome = match Database::connect(url.as_str()).await {
        Ok(db) => {
            let outcome = exercise(&db).await;
            db.close().await.unwrap();
            outcome
        }
        Err(e) => Err(e),
    };

    admin
        .execute_unprepared(&format!("DROP DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.unwrap();
    outcome.unwrap();
}
