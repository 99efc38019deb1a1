//! Test set-up shared by the voice runtime's unit tests.

use uuid::Uuid;

use super::store::SessionOwner;
use crate::auth::password::Password;
use crate::auth::users::{self, Email, NewUser};
use crate::auth::{Role, devices};
use crate::state::AppState;

/// A new user with one device, as the owner of a session on tab 1.
pub async fn owner(app: &AppState, email: &str) -> SessionOwner {
    let user = users::create(
        &app.db,
        NewUser {
            email: Email::parse(email).unwrap(),
            password: Password::parse("password-123").unwrap(),
            name: String::new(),
            role: Role::User,
        },
    )
    .await
    .unwrap();
    let device = Uuid::new_v4();
    devices::issue(
        &app.db,
        &app.tokens,
        user.id,
        device,
        "test".into(),
        2,
        chrono::Duration::days(1),
    )
    .await
    .unwrap();
    SessionOwner {
        user_id: user.id,
        device_id: device,
        video_id: None,
        tab_id: 1,
        page_instance_id: "page".into(),
    }
}
