//! Tests of [`super::reconcile_create`]: scripted creates and lookups.

use super::*;
use std::cell::{Cell, RefCell};

#[derive(Debug, Clone, PartialEq)]
enum Fake {
    Lost,
    Refused,
    /// The create's answer was lost and the lookups could not settle it.
    Unsettled(Box<Fake>),
}

impl Display for Fake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl OutcomeUnknown for Fake {
    fn unsettled(_what: &str, _create: Self, lookup: Self) -> Self {
        Fake::Unsettled(Box::new(lookup))
    }

    fn is_ambiguous(&self) -> bool {
        *self == Fake::Lost
    }
}

/// Runs `reconcile_create` with scripted answers (no waits); returns
/// its result and how many creates and lookups were made.
fn run(
    creates: Vec<Result<u32, Fake>>,
    lookups: Vec<Lookup<u32>>,
) -> (Result<u32, Fake>, usize, usize) {
    run_with_lookups(creates, lookups.into_iter().map(Ok).collect())
}

fn run_with_lookups(
    creates: Vec<Result<u32, Fake>>,
    lookups: Vec<Result<Lookup<u32>, Fake>>,
) -> (Result<u32, Fake>, usize, usize) {
    let creates = RefCell::new(creates.into_iter());
    let lookups = RefCell::new(lookups.into_iter());
    let (sent, looked) = (Cell::new(0), Cell::new(0));
    let result = futures::executor::block_on(reconcile_with(
        "role",
        &[Duration::ZERO; 3],
        SETTLE_LIMIT,
        || {
            sent.set(sent.get() + 1);
            let next = creates.borrow_mut().next().unwrap_or(Err(Fake::Lost));
            async move { next }
        },
        |_since| {
            looked.set(looked.get() + 1);
            let next = lookups.borrow_mut().next().unwrap_or(Ok(Lookup::Missing));
            async move { next }
        },
    ));
    (result, sent.get(), looked.get())
}

#[test]
fn a_failing_lookup_is_repeated_and_the_create_still_adopted() {
    // Three unusable listings in a row, then the one that finds it:
    // the create is neither sent again (a duplicate) nor given up (an orphan).
    assert_eq!(
        run_with_lookups(
            vec![Err(Fake::Lost)],
            vec![
                Err(Fake::Lost),
                Err(Fake::Lost),
                Err(Fake::Lost),
                Ok(Lookup::Created(7))
            ]
        ),
        (Ok(7), 1, 4)
    );
}

#[test]
fn a_lookup_failing_for_certain_or_too_often_ends_the_create_unsettled() {
    // Either way the create may have happened: the error must say so.
    assert_eq!(
        run_with_lookups(vec![Err(Fake::Lost)], vec![Err(Fake::Refused)]),
        (Err(Fake::Unsettled(Box::new(Fake::Refused))), 1, 1)
    );
    assert_eq!(
        run_with_lookups(vec![Err(Fake::Lost)], vec![Err(Fake::Lost); 4]),
        (Err(Fake::Unsettled(Box::new(Fake::Lost))), 1, 4)
    );
}

#[test]
fn the_unsettled_advice_is_what_terraform_does_now() {
    // The object is already in state (pending): importing it would fail
    // with "Resource already managed by Terraform".
    let text = unsettled_message("ops", &"lost", &"503");
    assert!(text.contains("\"ops\" may exist: Terraform keeps it in state as tainted"));
    assert!(text.contains("terraform apply -refresh-only, then terraform untaint <address>"));
    assert!(!text.contains("import"), "{text}");
}

#[test]
fn lookups_back_off_for_about_half_a_minute() {
    let total: Duration = LOOKUP_BACKOFF.iter().sum();
    assert!((25..=40).contains(&total.as_secs()), "{total:?}");
}

#[tokio::test]
async fn a_lost_create_is_settled_even_past_the_operations_deadline() {
    use crate::http::Deadline;
    let deadline = Deadline::new(
        "create",
        Duration::from_millis(300),
        "raise timeouts.create",
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(deadline.expired());
    let mut creates = vec![Err(Fake::Lost), Ok(8)].into_iter();
    let result: Result<u32, Fake> = deadline
        .clone()
        .scope(reconcile_with(
            "fake",
            &[],
            SETTLE_LIMIT,
            || std::future::ready(creates.next().unwrap()),
            |_| {
                let live = !Deadline::current().unwrap().expired();
                std::future::ready(Ok(if live {
                    Lookup::Created(7)
                } else {
                    Lookup::Missing
                }))
            },
        ))
        .await;
    assert_eq!(result, Ok(7), "the lookup ran with time left");
}

#[tokio::test(start_paused = true)]
async fn lookups_that_keep_failing_end_within_the_settle_limit() {
    // Each lookup waits 20 s for an answer that never comes, cut short
    // at its deadline as the HTTP core cuts a request.
    let started = tokio::time::Instant::now();
    let mut creates = vec![Err(Fake::Lost)].into_iter();
    let result: Result<u32, Fake> = reconcile_with(
        "fake",
        &LOOKUP_BACKOFF,
        Duration::from_secs(45),
        || std::future::ready(creates.next().unwrap()),
        |_| async {
            let until = tokio::time::Instant::now() + Duration::from_secs(20);
            let deadline = crate::http::Deadline::current().expect("lookups have a deadline");
            tokio::time::sleep_until(until.min(deadline.at())).await;
            Err::<Lookup<u32>, _>(Fake::Lost)
        },
    )
    .await;
    assert_eq!(result, Err(Fake::Unsettled(Box::new(Fake::Lost))));
    let took = started.elapsed();
    assert!(took <= Duration::from_secs(45), "{took:?}");
}

#[test]
fn a_confirmed_create_needs_no_lookup() {
    assert_eq!(run(vec![Ok(7)], vec![]), (Ok(7), 1, 0));
}

#[test]
fn a_certain_failure_is_returned_at_once() {
    assert_eq!(
        run(vec![Err(Fake::Refused)], vec![]),
        (Err(Fake::Refused), 1, 0)
    );
}

#[test]
fn a_lost_answer_whose_create_landed_is_adopted_not_resent() {
    assert_eq!(
        run(vec![Err(Fake::Lost)], vec![Lookup::Created(7)]),
        (Ok(7), 1, 1)
    );
}

#[test]
fn a_lost_create_that_did_not_happen_is_sent_again() {
    assert_eq!(
        run(vec![Err(Fake::Lost), Err(Fake::Lost), Ok(9)], vec![]),
        (Ok(9), 3, 2)
    );
}

#[test]
fn someone_elses_object_is_not_adopted() {
    assert_eq!(
        run(vec![Err(Fake::Lost)], vec![Lookup::NotOurs]),
        (Err(Fake::Lost), 1, 1)
    );
}

#[test]
fn it_gives_up_after_the_last_attempt() {
    assert_eq!(
        run(vec![], vec![]),
        (
            Err(Fake::Lost),
            CREATE_ATTEMPTS as usize,
            CREATE_ATTEMPTS as usize
        )
    );
}
