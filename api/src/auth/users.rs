//! User accounts: creation (CLI, admin mutation, first start) and look-up.

use chrono::Utc;
use lossy_entities::users;
use rand::Rng;
use rand::distr::Alphanumeric;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use uuid::Uuid;

use super::Role;
use super::password::{self, Password};
use crate::error::{AppError, AppResult};

/// An email address as stored: trimmed, lowercased, one `@` with text on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> AppResult<Email> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && !domain.is_empty() && !domain.contains('@')
            });
        if valid {
            Ok(Email(email))
        } else {
            Err(AppError::bad_input("email", "not a valid email address"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub name: String,
    pub role: Role,
}

pub async fn create(db: &impl ConnectionTrait, new: NewUser) -> AppResult<users::Model> {
    if find_by_email(db, &new.email).await?.is_some() {
        return Err(AppError::bad_input(
            "email",
            "an account with this email already exists",
        ));
    }
    let name = new.name.trim();
    if name.chars().count() > 200 {
        return Err(AppError::bad_input(
            "name",
            "name must have at most 200 characters",
        ));
    }
    let name = if name.is_empty() {
        new.email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned()
    } else {
        name.to_owned()
    };
    let hash = password::hash(&new.password).await?;
    let now = Utc::now();
    let row = users::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(new.email.as_str().to_owned()),
        password_hash: Set(hash),
        name: Set(name),
        role: Set(new.role.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        disabled_at: Set(None),
    };
    Ok(row.insert(db).await?)
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> AppResult<Option<users::Model>> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<users::Model>> {
    Ok(users::Entity::find_by_id(id).one(db).await?)
}

/// What the first start did about the admin account.
pub enum FirstAdmin {
    /// Users exist already; nothing was done.
    Existing,
    /// Created with the configured password.
    Created { email: String },
    /// Created with a generated password, to be shown once.
    Generated { email: String, password: String },
}

/// On an empty database, creates the admin account.
pub async fn ensure_first_admin(
    db: &impl ConnectionTrait,
    email: &str,
    configured_password: Option<&str>,
) -> anyhow::Result<FirstAdmin> {
    if users::Entity::find().count(db).await? > 0 {
        return Ok(FirstAdmin::Existing);
    }
    let email = Email::parse(email).map_err(|e| e.into_anyhow().context("LOSSY_ADMIN_EMAIL"))?;
    let (password, generated) = match configured_password {
        Some(p) => (p.to_owned(), false),
        None => (
            rand::rng()
                .sample_iter(&Alphanumeric)
                .take(20)
                .map(char::from)
                .collect(),
            true,
        ),
    };
    let parsed =
        Password::parse(&password).map_err(|e| e.into_anyhow().context("LOSSY_ADMIN_PASSWORD"))?;
    create(
        db,
        NewUser {
            email: email.clone(),
            password: parsed,
            name: "Admin".into(),
            role: Role::Admin,
        },
    )
    .await
    .map_err(|e| e.into_anyhow().context("creating the first admin"))?;
    let email = email.as_str().to_owned();
    Ok(if generated {
        FirstAdmin::Generated { email, password }
    } else {
        FirstAdmin::Created { email }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "a b@example.com",
            "a@b@c",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
