//! The review itself: the four vendors read at once, then one answer
//! assembled per email, and the flat list of grants.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;

use super::{FlatGrant, Person, VendorStatus};
use crate::framework::provider_data::{ProviderData, VendorConfig};
use crate::framework::resource::Failure;
use crate::framework::tf::Value;
use crate::vendors::access::model::Grant;
use crate::vendors::access::{flashduty, rootly, slashid, zenml};
use crate::vendors::access::{participation, Participation, Vendors};

/// What the data source returns, before it becomes its State.
pub struct Review {
    pub reviewed_at: String,
    pub vendors: Vec<VendorStatus>,
    pub people: Vec<Person>,
    pub grants: Vec<FlatGrant>,
}

/// One vendor's accounts by lower-case email, or `None` when skipped (with
/// the reason).
type Part<A> = Result<(Option<HashMap<String, A>>, Option<String>), String>;

/// Reads one vendor with `read` when it is configured. Its errors name it.
async fn part<V, A, E, F, Fut>(vendor: &str, data: &ProviderData<V>, read: F) -> Part<A>
where
    V: VendorConfig,
    E: Display,
    F: FnOnce(V::Client) -> Fut,
    Fut: std::future::Future<Output = Result<HashMap<String, A>, E>>,
{
    match participation(data) {
        Ok(Participation::Configured(client)) => match read(client).await {
            Ok(accounts) => Ok((Some(accounts), None)),
            Err(e) => Err(format!("{vendor}: {e}")),
        },
        Ok(Participation::Skipped(reason)) => Ok((None, Some(reason))),
        Err(e) => Err(format!("{vendor}: {e}")),
    }
}

fn status(vendor: &str, reason: &Option<String>, configured: bool) -> VendorStatus {
    VendorStatus {
        vendor: Value::Value(vendor.to_string()),
        configured: Value::Value(configured),
        reason: reason.clone().map_or(Value::Null, Value::Value),
    }
}

/// The account of `key` in one vendor's answer; null when none.
fn take<A>(accounts: &mut Option<HashMap<String, A>>, key: &str) -> Value<A> {
    accounts
        .as_mut()
        .and_then(|m| m.remove(key))
        .map_or(Value::Null, Value::Value)
}

/// The time of the review, RFC 3339 in UTC to the second.
fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reviews `emails` in every configured vendor; the first vendor error
/// fails the whole review.
pub async fn review(
    vendors: &Vendors,
    emails: &[String],
    zenml_organization: Option<&str>,
) -> Result<Review, Failure<()>> {
    let wanted: HashSet<String> = emails.iter().map(|e| e.to_lowercase()).collect();
    let w = &wanted;
    let reviewed_at = now();
    let (fd, rt, sid, zn) = futures::join!(
        part("Flashduty", &vendors.flashduty, |c| async move {
            flashduty::accounts(&c, w).await
        }),
        part("Rootly", &vendors.rootly, |c| async move {
            rootly::accounts(&c, w).await
        }),
        part("SlashID", &vendors.slashid, |c| async move {
            slashid::accounts(&c, w).await
        }),
        part("ZenML Pro", &vendors.zenml, |c| async move {
            zenml::accounts(&c, w, zenml_organization).await
        }),
    );
    let fail = |e: String| Failure::message("Error reading access across vendors", e);
    let (mut fd, fd_why) = fd.map_err(fail)?;
    let (mut rt, rt_why) = rt.map_err(fail)?;
    let (mut sid, sid_why) = sid.map_err(fail)?;
    let (mut zn, zn_why) = zn.map_err(fail)?;
    let vendor_statuses = vec![
        status("flashduty", &fd_why, fd.is_some()),
        status("rootly", &rt_why, rt.is_some()),
        status("slashid", &sid_why, sid.is_some()),
        status("zenml", &zn_why, zn.is_some()),
    ];
    let mut people = Vec::new();
    let mut grants = Vec::new();
    for email in emails {
        let key = email.to_lowercase();
        let person = Person {
            email: Value::Value(email.clone()),
            flashduty: take(&mut fd, &key),
            rootly: take(&mut rt, &key),
            slashid: take(&mut sid, &key),
            zenml: take(&mut zn, &key),
        };
        let mut add = |vendor: &str, id: Option<String>, roles: Option<&Vec<Value<Grant>>>| {
            for g in roles.into_iter().flatten().filter_map(Value::as_ref_option) {
                let account = id.clone().unwrap_or_default();
                grants.push(FlatGrant::new(email, vendor, account, g));
            }
        };
        if let Value::Value(a) = &person.flashduty {
            let id = a.member_id.as_ref_option().map(i64::to_string);
            add("flashduty", id, a.roles.as_ref_option());
        }
        if let Value::Value(a) = &person.rootly {
            add(
                "rootly",
                a.user_id.as_ref_option().cloned(),
                a.roles.as_ref_option(),
            );
        }
        if let Value::Value(a) = &person.slashid {
            add(
                "slashid",
                a.person_id.as_ref_option().cloned(),
                a.roles.as_ref_option(),
            );
        }
        if let Value::Value(a) = &person.zenml {
            add(
                "zenml",
                a.user_id.as_ref_option().cloned(),
                a.roles.as_ref_option(),
            );
        }
        people.push(person);
    }
    let key = |g: &FlatGrant| {
        [
            &g.email,
            &g.vendor,
            &g.role_id,
            &g.workspace_id,
            &g.project_id,
            &g.team_id,
        ]
        .map(|v| {
            v.as_ref_option()
                .map(|s| s.to_lowercase())
                .unwrap_or_default()
        })
    };
    grants.sort_by_key(key);
    Ok(Review {
        reviewed_at,
        vendors: vendor_statuses,
        people,
        grants,
    })
}
