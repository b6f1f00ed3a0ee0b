//! Staff accounts: the exam office creates them with a scope (everything,
//! one site, or one room), disables them and resets their passwords. A
//! password exists in clear only in the answer that created or reset it
//! (for the printed slip); every change is in the audit trail.

use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::office::api::{AccountChange, AccountSlip, AccountView, NewAccount};
use examgate_shared::protocol::Role;

use crate::AppState;
use crate::attempts::internal;
use crate::auth::{Session, hash_password, random_password};
use crate::clock::now_ms;
use crate::model::{User, role_name};
use crate::store::writes;

/// Longest user name, in characters.
const MAX_USERNAME_CHARS: usize = 40;

/// User names are typed on school PCs and printed on slips: lower-case
/// ASCII letters, digits, `.`, `_` and `-`.
pub fn valid_username(typed: &str) -> Result<String, ErrorBody> {
    let name = typed.trim().to_lowercase();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_USERNAME_CHARS
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(name)
    } else {
        Err(ErrorBody::new(
            ErrorCode::Invalid,
            format!(
                "username: 1 to {MAX_USERNAME_CHARS} of a-z, 0-9, '.', '_', '-' (got {typed:?})"
            ),
        ))
    }
}

/// Argon2id takes tens of milliseconds of CPU: hashed off the async
/// workers.
pub(super) async fn hash_off_thread(password: String) -> Result<String, ErrorBody> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ErrorBody::new(ErrorCode::Internal, "hashing failed"))
}

fn forbidden(what: impl Into<String>) -> ErrorBody {
    ErrorBody::new(ErrorCode::Forbidden, what)
}

impl AppState {
    /// The accounts `staff` may manage: all for the whole-exam office, the
    /// site's own for a site's office.
    pub fn accounts_view(&self, staff: &Session) -> Vec<AccountView> {
        let plan = self.catalog.plan();
        let mut out: Vec<AccountView> = self
            .users
            .read()
            .expect("users lock")
            .values()
            .filter(|u| {
                let site = u
                    .site_id
                    .or_else(|| u.room_id.and_then(|r| plan.site_of(r)));
                staff.site_id.is_none() || site.is_some() && site == staff.site_id
            })
            .map(|u| AccountView {
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                role: u.role,
                site_id: u.site_id,
                room_id: u.room_id,
                disabled: u.disabled,
            })
            .collect();
        out.sort_by(|a, b| a.username.cmp(&b.username));
        out
    }

    /// What an account's slip says it reaches.
    fn scope_text(&self, user: &User) -> String {
        let plan = self.catalog.plan();
        match (user.room_id, user.site_id) {
            (Some(room), _) => plan
                .rooms
                .get(&room)
                .map(|r| format!("{} — {}", r.name, plan.site_name(r)))
                .unwrap_or_default(),
            (None, Some(site)) => plan
                .sites
                .get(&site)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            (None, None) => String::new(),
        }
    }

    /// The scope text printed on a slip, after checking that `staff` may
    /// give it: never wider than its own.
    fn grantable_scope(&self, staff: &Session, req: &NewAccount) -> Result<String, ErrorBody> {
        // A site's office staffs its site; teachers (key corrections,
        // papers) work on the whole exam.
        if staff.site_id.is_some()
            && !matches!(
                req.role,
                Role::ExamOffice | Role::CentralProctor | Role::RoomProctor
            )
        {
            return Err(forbidden(
                "a site's exam office gives exam-office and proctor accounts only",
            ));
        }
        let plan = self.catalog.plan();
        match (req.role, req.site_id, req.room_id) {
            (Role::RoomProctor, _, Some(room_id)) => {
                let room = plan
                    .rooms
                    .get(&room_id)
                    .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such room"))?;
                if staff.site_id.is_some_and(|s| s != room.site_id) {
                    return Err(forbidden("that room is in another site"));
                }
                Ok(format!("{} — {}", room.name, plan.site_name(room)))
            }
            (Role::RoomProctor, _, None) => Err(ErrorBody::new(
                ErrorCode::Invalid,
                "room_id: a room proctor watches one room",
            )),
            (_, _, Some(_)) => Err(ErrorBody::new(
                ErrorCode::Invalid,
                "room_id: only room proctors have a room",
            )),
            (_, Some(site_id), None) => {
                let site = plan
                    .sites
                    .get(&site_id)
                    .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such site"))?;
                if staff.site_id.is_some_and(|s| s != site_id) {
                    return Err(forbidden("that is another site"));
                }
                Ok(site.name.clone())
            }
            (_, None, None) if staff.site_id.is_some() => Err(forbidden(
                "a site's exam office gives accounts of its own site only",
            )),
            (_, None, None) => Ok(String::new()),
        }
    }

    pub async fn create_account(
        &self,
        staff: &Session,
        req: NewAccount,
    ) -> Result<AccountSlip, ErrorBody> {
        let username = valid_username(&req.username)?;
        let display_name = examgate_shared::office::names::nfc(&req.display_name);
        if display_name.is_empty() {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                "display_name is required",
            ));
        }
        let scope = self.grantable_scope(staff, &req)?;
        let _plan = self.plan_lock.lock().await;
        if self
            .users
            .read()
            .expect("users lock")
            .contains_key(&username)
        {
            return Err(ErrorBody::new(
                ErrorCode::Conflict,
                format!("the user name {username} is taken"),
            ));
        }
        let password = random_password();
        let password_hash = hash_off_thread(password.clone()).await?;
        let user = User {
            username: username.clone(),
            password_hash,
            role: req.role,
            room_id: req.room_id,
            site_id: if req.role == Role::RoomProctor {
                None
            } else {
                req.site_id
            },
            display_name: display_name.clone(),
            disabled: false,
            subject: examgate_shared::office::names::nfc(&req.subject),
        };
        let stored = user.clone();
        let actor = format!("user:{}", staff.username);
        let detail = format!("{} {} scope {scope:?}", username, role_name(req.role));
        let now = now_ms();
        self.store
            .write(move |txn| {
                writes::insert_user(txn, &stored)?;
                writes::audit(txn, now, &actor, "account_create", &detail)
            })
            .await
            .map_err(internal)?;
        self.users
            .write()
            .expect("users lock")
            .insert(username.clone(), user);
        Ok(AccountSlip {
            username,
            password,
            display_name,
            role: req.role,
            scope,
        })
    }

    /// Disables or enables an account, or gives it a new password; either
    /// ends its sessions. Returns the slip when the password was reset.
    pub async fn change_account(
        &self,
        staff: &Session,
        username: &str,
        change: AccountChange,
    ) -> Result<Option<AccountSlip>, ErrorBody> {
        let _plan = self.plan_lock.lock().await;
        let mut user = self
            .accounts_view(staff)
            .into_iter()
            .find(|a| a.username == username)
            .and_then(|_| {
                self.users
                    .read()
                    .expect("users lock")
                    .get(username)
                    .cloned()
            })
            .ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, "no such account"))?;
        if user.username == staff.username && change.disabled == Some(true) {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                "an account cannot disable itself",
            ));
        }
        let mut actions = Vec::new();
        if let Some(disabled) = change.disabled {
            user.disabled = disabled;
            actions.push(if disabled {
                "account_disable"
            } else {
                "account_enable"
            });
        }
        let mut password = None;
        if change.reset_password {
            let fresh = random_password();
            user.password_hash = hash_off_thread(fresh.clone()).await?;
            password = Some(fresh);
            actions.push("account_reset_password");
        }
        if actions.is_empty() {
            return Err(ErrorBody::new(
                ErrorCode::Invalid,
                "nothing to change: give disabled or reset_password",
            ));
        }
        let stored = user.clone();
        let actor = format!("user:{}", staff.username);
        let now = now_ms();
        self.store
            .write(move |txn| {
                writes::update_user(txn, &stored)?;
                for action in actions {
                    writes::audit(txn, now, &actor, action, &stored.username)?;
                }
                crate::auth::revoke_user_sessions(txn, &stored.username, now)
            })
            .await
            .map_err(internal)?;
        let slip = password.map(|password| AccountSlip {
            username: user.username.clone(),
            password,
            display_name: user.display_name.clone(),
            role: user.role,
            scope: self.scope_text(&user),
        });
        // The account first, then its sessions: a sign-in racing this
        // re-reads the account once its session is stored (`login`). One
        // stored after the revocation above but checked before the account
        // changed here is revoked now: sessions (in memory and on disk)
        // end with the change, a restart included.
        let username = user.username.clone();
        self.users
            .write()
            .expect("users lock")
            .insert(username.clone(), user);
        self.sessions.end_user(&self.store, &username, now).await;
        Ok(slip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_plain_and_lower_case() {
        assert_eq!(valid_username(" Phong01 ").unwrap(), "phong01");
        assert_eq!(valid_username("gt.ca-1_a").unwrap(), "gt.ca-1_a");
        for bad in ["", "phòng01", "a b", "x/y", &"a".repeat(41)] {
            assert_eq!(valid_username(bad).unwrap_err().code, ErrorCode::Invalid);
        }
    }
}
