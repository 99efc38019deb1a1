//! Foundation schema: accounts, browser sessions, devices with rotating
//! refresh tokens, the auth audit log, per-user settings and feature flags.
//!
//! Also seeds the five initial feature flags (enabled by default, rollout 0).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The feature flags seeded by this migration: (name, description).
const INITIAL_FLAGS: [(&str, &str); 5] = [
    (
        "server_voice_session",
        "Server-owned voice session (protocol v2)",
    ),
    (
        "server_notes_channel",
        "Notes streamed to clients over the noteEvents subscription",
    ),
    (
        "server_video_context",
        "Server decides which tab owns audio/video capture",
    ),
    (
        "server_telemetry",
        "Server-side ingestion of client telemetry",
    ),
    (
        "server_platform_adapters",
        "Server-side canonical video identity via platform adapters",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_users(manager).await?;
        create_web_sessions(manager).await?;
        create_devices(manager).await?;
        create_spent_refresh_tokens(manager).await?;
        create_auth_events(manager).await?;
        create_user_settings(manager).await?;
        create_feature_flags(manager).await?;
        create_feature_flag_overrides(manager).await?;
        seed_feature_flags(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Reverse order of creation, so no foreign key ever points at a
        // dropped table. Indexes go with their tables.
        for table in [
            FeatureFlagOverrides::Table.into_iden(),
            FeatureFlags::Table.into_iden(),
            UserSettings::Table.into_iden(),
            AuthEvents::Table.into_iden(),
            SpentRefreshTokens::Table.into_iden(),
            Devices::Table.into_iden(),
            WebSessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// `ON DELETE CASCADE ON UPDATE CASCADE` foreign key named `name`.
fn cascade_fk(
    name: &str,
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Plain (non-unique) index `name` on `table(cols...)`.
async fn create_index<T, C, I>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: I,
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIndexColumn,
    I: IntoIterator<Item = C>,
{
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    manager.create_index(index.to_owned()).await
}

async fn create_users(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Users::Table)
                .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Users::Email)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Users::PasswordHash).string().not_null())
                .col(ColumnDef::new(Users::Name).string().not_null())
                .col(ColumnDef::new(Users::Role).string().not_null())
                .col(
                    ColumnDef::new(Users::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Users::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
}

async fn create_web_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(WebSessions::Table)
                .col(
                    ColumnDef::new(WebSessions::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(WebSessions::TokenHash)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(WebSessions::UserId).uuid().not_null())
                .col(
                    ColumnDef::new(WebSessions::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WebSessions::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WebSessions::LastSeenAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(WebSessions::UserAgent).string().null())
                .col(ColumnDef::new(WebSessions::Ip).string().null())
                .foreign_key(&mut cascade_fk(
                    "fk_web_sessions_user_id",
                    WebSessions::Table,
                    WebSessions::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
    create_index(
        manager,
        "idx_web_sessions_user_id",
        WebSessions::Table,
        [WebSessions::UserId],
    )
    .await
}

async fn create_devices(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Devices::Table)
                .col(ColumnDef::new(Devices::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Devices::UserId).uuid().not_null())
                .col(ColumnDef::new(Devices::Name).string().not_null())
                .col(
                    ColumnDef::new(Devices::RefreshTokenHash)
                        .string()
                        .null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Devices::RefreshExpiresAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Devices::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Devices::LastSeenAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Devices::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Devices::RevokeReason).string().null())
                .foreign_key(&mut cascade_fk(
                    "fk_devices_user_id",
                    Devices::Table,
                    Devices::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
    create_index(
        manager,
        "idx_devices_user_id",
        Devices::Table,
        [Devices::UserId],
    )
    .await
}

async fn create_spent_refresh_tokens(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(SpentRefreshTokens::Table)
                .col(
                    ColumnDef::new(SpentRefreshTokens::TokenHash)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(SpentRefreshTokens::DeviceId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SpentRefreshTokens::SpentAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut cascade_fk(
                    "fk_spent_refresh_tokens_device_id",
                    SpentRefreshTokens::Table,
                    SpentRefreshTokens::DeviceId,
                    Devices::Table,
                    Devices::Id,
                ))
                .to_owned(),
        )
        .await?;
    create_index(
        manager,
        "idx_spent_refresh_tokens_device_id",
        SpentRefreshTokens::Table,
        [SpentRefreshTokens::DeviceId],
    )
    .await
}

async fn create_auth_events(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // No foreign keys: the audit log must survive user/device deletion.
    manager
        .create_table(
            Table::create()
                .table(AuthEvents::Table)
                .col(
                    ColumnDef::new(AuthEvents::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(AuthEvents::OccurredAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(AuthEvents::Kind).string().not_null())
                .col(ColumnDef::new(AuthEvents::Outcome).string().not_null())
                .col(ColumnDef::new(AuthEvents::Reason).string().not_null())
                .col(ColumnDef::new(AuthEvents::UserId).uuid().null())
                .col(ColumnDef::new(AuthEvents::DeviceId).uuid().null())
                .col(ColumnDef::new(AuthEvents::Email).string().null())
                .col(ColumnDef::new(AuthEvents::Ip).string().null())
                .col(ColumnDef::new(AuthEvents::Detail).json_binary().null())
                .to_owned(),
        )
        .await?;
    create_index(
        manager,
        "idx_auth_events_occurred_at",
        AuthEvents::Table,
        [AuthEvents::OccurredAt],
    )
    .await?;
    create_index(
        manager,
        "idx_auth_events_user_id",
        AuthEvents::Table,
        [AuthEvents::UserId],
    )
    .await
}

async fn create_user_settings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let int = |col: UserSettings| ColumnDef::new(col).integer().not_null().to_owned();
    let double = |col: UserSettings| ColumnDef::new(col).double().not_null().to_owned();
    manager
        .create_table(
            Table::create()
                .table(UserSettings::Table)
                .col(
                    ColumnDef::new(UserSettings::UserId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(int(UserSettings::CooldownMs))
                .col(int(UserSettings::MergeWithinMs))
                .col(int(UserSettings::MinSpeechMs))
                .col(int(UserSettings::MaxSpeechMs))
                .col(
                    ColumnDef::new(UserSettings::AutoPauseVideo)
                        .boolean()
                        .not_null(),
                )
                .col(int(UserSettings::AutoResumeDelayMs))
                .col(int(UserSettings::IdleStopMs))
                .col(int(UserSettings::HeartbeatIntervalMs))
                .col(int(UserSettings::HeartbeatTimeoutMs))
                .col(int(UserSettings::MaxRestarts))
                .col(int(UserSettings::RestartWindowMs))
                .col(int(UserSettings::SessionTtlMs))
                .col(double(UserSettings::VadStartThreshold))
                .col(double(UserSettings::VadEndThreshold))
                .col(int(UserSettings::VadMinSilenceMs))
                .col(int(UserSettings::VadPreRollMs))
                .col(double(UserSettings::MinConfidence))
                .col(int(UserSettings::PreferredProtocolVersion))
                .col(
                    ColumnDef::new(UserSettings::ClientPreferences)
                        .json_binary()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(UserSettings::Version)
                        .big_integer()
                        .not_null()
                        .default(1i64),
                )
                .col(
                    ColumnDef::new(UserSettings::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(UserSettings::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut cascade_fk(
                    "fk_user_settings_user_id",
                    UserSettings::Table,
                    UserSettings::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await
}

async fn create_feature_flags(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(FeatureFlags::Table)
                .col(
                    ColumnDef::new(FeatureFlags::Name)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(FeatureFlags::Description)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FeatureFlags::DefaultEnabled)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FeatureFlags::RolloutPercent)
                        .small_integer()
                        .not_null()
                        .default(0i16),
                )
                .col(
                    ColumnDef::new(FeatureFlags::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FeatureFlags::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
}

async fn create_feature_flag_overrides(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(FeatureFlagOverrides::Table)
                .col(
                    ColumnDef::new(FeatureFlagOverrides::FlagName)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FeatureFlagOverrides::UserId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FeatureFlagOverrides::Enabled)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FeatureFlagOverrides::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FeatureFlagOverrides::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .name("pk_feature_flag_overrides")
                        .col(FeatureFlagOverrides::FlagName)
                        .col(FeatureFlagOverrides::UserId),
                )
                .foreign_key(&mut cascade_fk(
                    "fk_feature_flag_overrides_flag_name",
                    FeatureFlagOverrides::Table,
                    FeatureFlagOverrides::FlagName,
                    FeatureFlags::Table,
                    FeatureFlags::Name,
                ))
                .foreign_key(&mut cascade_fk(
                    "fk_feature_flag_overrides_user_id",
                    FeatureFlagOverrides::Table,
                    FeatureFlagOverrides::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
    // The primary key leads with flag_name; this serves "all overrides of a
    // user" and the ON DELETE CASCADE from users.
    create_index(
        manager,
        "idx_feature_flag_overrides_user_id",
        FeatureFlagOverrides::Table,
        [FeatureFlagOverrides::UserId],
    )
    .await
}

async fn seed_feature_flags(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    let mut insert = Query::insert();
    insert.into_table(FeatureFlags::Table).columns([
        FeatureFlags::Name,
        FeatureFlags::Description,
        FeatureFlags::DefaultEnabled,
        FeatureFlags::RolloutPercent,
        FeatureFlags::CreatedAt,
        FeatureFlags::UpdatedAt,
    ]);
    for (name, description) in INITIAL_FLAGS {
        insert
            .values([
                name.into(),
                description.into(),
                true.into(),
                0i16.into(),
                now.into(),
                now.into(),
            ])
            .map_err(|e| DbErr::Migration(format!("feature flag seed: {e}")))?;
    }
    manager.execute(insert.to_owned()).await
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Name,
    Role,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebSessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
    UserAgent,
    Ip,
}

#[derive(DeriveIden)]
enum Devices {
    Table,
    Id,
    UserId,
    Name,
    RefreshTokenHash,
    RefreshExpiresAt,
    CreatedAt,
    LastSeenAt,
    RevokedAt,
    RevokeReason,
}

#[derive(DeriveIden)]
enum SpentRefreshTokens {
    Table,
    TokenHash,
    DeviceId,
    SpentAt,
}

#[derive(DeriveIden)]
enum AuthEvents {
    Table,
    Id,
    OccurredAt,
    Kind,
    Outcome,
    Reason,
    UserId,
    DeviceId,
    Email,
    Ip,
    Detail,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserSettings {
    Table,
    UserId,
    CooldownMs,
    MergeWithinMs,
    MinSpeechMs,
    MaxSpeechMs,
    AutoPauseVideo,
    AutoResumeDelayMs,
    IdleStopMs,
    HeartbeatIntervalMs,
    HeartbeatTimeoutMs,
    MaxRestarts,
    RestartWindowMs,
    SessionTtlMs,
    VadStartThreshold,
    VadEndThreshold,
    VadMinSilenceMs,
    VadPreRollMs,
    MinConfidence,
    PreferredProtocolVersion,
    ClientPreferences,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FeatureFlags {
    Table,
    Name,
    Description,
    DefaultEnabled,
    RolloutPercent,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FeatureFlagOverrides {
    Table,
    FlagName,
    UserId,
    Enabled,
    CreatedAt,
    UpdatedAt,
}
