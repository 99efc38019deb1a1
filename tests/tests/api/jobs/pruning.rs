//! Finished jobs leave the queue's table after `LOSSY_JOBS_RETENTION_SECS`, counted from
//! their last try: done ones and dead ones. Jobs still to run stay, whatever their age. On
//! SQLite, or on PostgreSQL with `LOSSY_TEST_DATABASE_URL`.

use lossy_api::jobs::kinds::{JobKind, RefineNote};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use super::*;

/// A refinement job nobody runs (no LLM, so no `RefineNote` worker): it stays pending.
async fn pending_job(app: &TestApp, token: &str, video: &str) -> String {
    let note_id = typed_note(app, token, video, "Never refined").await;
    let job = RefineNote {
        note_id: note_id.parse().expect("a note id"),
    };
    app.state
        .jobs
        .queue
        .push(JobKind::RefineNote, &job, &job.key(), 4)
        .await
        .expect("push a job");
    note_id
}

/// Moves a job's last try (and its queueing) `seconds` into the past.
async fn age(app: &TestApp, job_id: &str, seconds: i64) {
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "UPDATE apalis.jobs SET done_at = COALESCE(done_at, NOW()) - interval '{seconds} seconds', \
             run_at = run_at - interval '{seconds} seconds' WHERE id = $1"
        ),
        _ => format!(
            "UPDATE Jobs SET done_at = COALESCE(done_at, strftime('%s', 'now')) - {seconds}, \
             run_at = run_at - {seconds} WHERE id = ?1"
        ),
    };
    let updated = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [job_id.into()],
        ))
        .await
        .expect("age a job");
    assert_eq!(updated.rows_affected(), 1, "no job {job_id}");
}

/// The ids of the jobs in `state`, newest first.
async fn ids(app: &TestApp, admin: &str, state: &str) -> Vec<String> {
    jobs(app, admin, json!({ "state": state }))
        .await
        .iter()
        .map(|job| job["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// Posts the note and waits until its posting ended with `until`.
async fn post_until(app: &TestApp, token: &str, id: &str, until: &str) {
    let queued = app.graphql(token, POST, json!({ "id": id })).await;
    assert_eq!(queued["data"]["postNote"]["status"], "QUEUED", "{queued}");
    note_when(app, token, id, Duration::from_secs(20), |n| {
        status(n) == until
    })
    .await;
}

#[tokio::test]
async fn old_done_and_dead_jobs_are_pruned_and_recent_or_unfinished_ones_stay() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let app = spawn_app_with(|config| {
        quick_jobs(config);
        config.jobs.post_attempts = 1;
    })
    .await;
    let (tokens, video) = with_webhook(&app, &url).await;
    let admin = app.admin_token().await;
    for text in ["Done long ago", "Done just now"] {
        let id = typed_note(&app, &tokens.token, &video, text).await;
        post_until(&app, &tokens.token, &id, "POSTED").await;
    }
    hook.then(vec![HookReply::Status(503)]);
    for text in ["Dead long ago", "Dead just now"] {
        let id = typed_note(&app, &tokens.token, &video, text).await;
        post_until(&app, &tokens.token, &id, "FAILED").await;
    }
    pending_job(&app, &tokens.token, &video).await;
    // The jobs' rows are written by the queue after the notes' moves.
    assert!(
        eventually(Duration::from_secs(10), || async {
            ids(&app, &admin, "DONE").await.len() == 2 && ids(&app, &admin, "DEAD").await.len() == 2
        })
        .await,
        "the jobs did not finish"
    );
    let done = ids(&app, &admin, "DONE").await;
    let dead = ids(&app, &admin, "DEAD").await;
    let pending = ids(&app, &admin, "PENDING").await;
    assert_eq!(pending.len(), 1, "{pending:?}");

    // Newest first: [1] is the older of each. Two days old, past a one-day retention; the
    // pending job is as old, and stays.
    const TWO_DAYS: i64 = 2 * 24 * 3600;
    age(&app, &done[1], TWO_DAYS).await;
    age(&app, &dead[1], TWO_DAYS).await;
    age(&app, &pending[0], TWO_DAYS).await;
    let pruned = lossy_api::jobs::prune::prune(
        &app.state.lane,
        chrono::Utc::now() - chrono::Duration::days(1),
    )
    .await
    .expect("prune");
    assert_eq!(pruned, 2);
    assert_eq!(ids(&app, &admin, "DONE").await, [done[0].clone()]);
    assert_eq!(ids(&app, &admin, "DEAD").await, [dead[0].clone()]);
    assert_eq!(ids(&app, &admin, "PENDING").await, pending);

    // The retried dead job is still there for the admin, and pruning again takes nothing.
    let retried = app.graphql(&admin, RETRY, json!({ "id": dead[0] })).await;
    assert_eq!(
        retried["data"]["retryJob"]["id"],
        dead[0].as_str(),
        "{retried}"
    );
    let again = lossy_api::jobs::prune::prune(
        &app.state.lane,
        chrono::Utc::now() - chrono::Duration::days(1),
    )
    .await
    .expect("prune");
    assert_eq!(again, 0);
}

#[tokio::test]
async fn the_server_prunes_finished_jobs_by_itself_once_past_the_retention() {
    let (_hook, url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let app = spawn_app_with(|config| {
        quick_jobs(config);
        config.jobs.retention_secs = 2;
    })
    .await;
    let (tokens, video) = with_webhook(&app, &url).await;
    let admin = app.admin_token().await;
    let id = typed_note(&app, &tokens.token, &video, "Posted, then pruned").await;
    post_until(&app, &tokens.token, &id, "POSTED").await;
    pending_job(&app, &tokens.token, &video).await;
    assert!(
        eventually(Duration::from_secs(5), || async {
            ids(&app, &admin, "DONE").await.len() == 1
        })
        .await,
        "the posting's job did not finish"
    );

    // Looked for every second (a 24th of 2 s, at least 1 s); gone once 2 s past its end.
    let gone = eventually(Duration::from_secs(15), || async {
        ids(&app, &admin, "DONE").await.is_empty()
    })
    .await;
    assert!(gone, "the done job was not pruned");
    assert_eq!(ids(&app, &admin, "PENDING").await.len(), 1);
    // The note keeps what the job did.
    assert_eq!(
        read_note(&app, &tokens.token, &id).await["status"],
        "POSTED"
    );
}
