use super::*;

fn resource(create: Option<&str>, read: Option<&str>) -> ResourceTimeouts {
    let value = |v: Option<&str>| v.map_or(Value::Null, |s| Value::Value(s.to_owned()));
    Timeouts(Value::Value(vec![CrudTimeouts {
        create: value(create),
        read: value(read),
        ..Default::default()
    }]))
}

#[test]
fn parses_terraform_duration_strings() {
    let cases = [
        ("30s", Duration::from_secs(30)),
        ("10m", Duration::from_secs(600)),
        ("1h30m", Duration::from_secs(5400)),
        ("1.5h", Duration::from_secs(5400)),
        ("250ms", Duration::from_millis(250)),
        (" 2m ", Duration::from_secs(120)),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Ok(expected), "{text}");
    }
    for bad in ["", "10", "ten minutes", "10 m", "5d", "0s", "-1m", "1h-30m"] {
        let err = parse(bad).unwrap_err();
        assert!(err.contains(&format!("{bad:?}")), "{err}");
        assert!(
            err.contains("\"1h30m\""),
            "the message shows the syntax: {err}"
        );
    }
}

#[test]
fn budgets_default_when_unset() {
    let none = ResourceTimeouts::default();
    assert_eq!(none.budget(Op::Create), DEFAULT_TIMEOUT);
    let set = resource(Some("45s"), None);
    assert_eq!(set.budget(Op::Create), Duration::from_secs(45));
    assert_eq!(set.budget(Op::Read), DEFAULT_TIMEOUT);
    assert_eq!(set.budget(Op::Delete), DEFAULT_TIMEOUT);
    let unknown = Timeouts::<CrudTimeouts>(Value::Unknown);
    assert_eq!(unknown.budget(Op::Read), DEFAULT_TIMEOUT);
    assert!(
        DEFAULT_TIMEOUT >= Duration::from_secs(120) && DEFAULT_TIMEOUT <= Duration::from_secs(300)
    );
}

#[test]
fn validation_names_the_attribute() {
    let mut diags = Diagnostics::default();
    resource(Some("10 minutes"), Some("30s")).validate(&mut diags);
    assert_eq!(diags.errors.len(), 1, "{:?}", diags.errors);
    let error = &diags.errors[0];
    assert_eq!(error.summary, "Invalid value for timeouts.create");
    assert!(
        error.detail.contains("\"10 minutes\" is not a duration"),
        "{}",
        error.detail
    );
    let path = format!("{:?}", error.attribute);
    assert!(
        path.contains("timeouts") && path.contains("create"),
        "{path}"
    );

    let mut diags = Diagnostics::default();
    let unknown = Timeouts(Value::Value(vec![CrudTimeouts {
        read: Value::Unknown,
        ..Default::default()
    }]));
    unknown.validate(&mut diags);
    ResourceTimeouts::default().validate(&mut diags);
    assert!(diags.errors.is_empty(), "unknown and unset values are fine");
}

#[test]
fn deadline_hint_says_how_to_raise_it() {
    let deadline = resource(None, Some("10s")).deadline(Op::Read);
    assert_eq!(deadline.operation(), "read");
    assert_eq!(deadline.budget(), Duration::from_secs(10));
    assert!(
        deadline.hint().contains("timeouts { read = \"1m\" }"),
        "{}",
        deadline.hint()
    );
}

#[derive(Debug, Default, PartialEq)]
struct State {
    name: String,
    timeouts: ResourceTimeouts,
}
has_timeouts!(State);

#[tokio::test]
async fn run_sets_the_deadline_and_keeps_the_block_in_state() {
    let timeouts = resource(None, Some("10s"));
    let mut diags = Diagnostics::default();
    let result = timeouts
        .run_with_state(Op::Read, &mut diags, async |_diags| {
            let deadline = Deadline::current().expect("a deadline is set");
            assert_eq!(deadline.budget(), Duration::from_secs(10));
            Some((
                State {
                    name: "r".into(),
                    ..Default::default()
                },
                (),
            ))
        })
        .await;
    let (state, ()) = result.unwrap();
    assert_eq!(state.timeouts, timeouts);
    assert!(diags.errors.is_empty());
}

#[tokio::test(start_paused = true)]
async fn run_cuts_off_a_body_that_waits_on_something_else() {
    let timeouts = resource(Some("1s"), None);
    let mut diags = Diagnostics::default();
    let result: Option<()> = timeouts
        .run(Op::Create, &mut diags, async |_diags| {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Some(())
        })
        .await;
    assert_eq!(result, None);
    assert_eq!(diags.errors.len(), 1);
    assert!(
        diags.errors[0]
            .summary
            .contains("create timed out after 6s"),
        "{:?}",
        diags.errors
    );
}

#[test]
fn schema_blocks_list_the_operations() {
    let names = |(_, block): (&str, NestedBlock)| match block {
        NestedBlock::Optional(b) => super::super::schema::field_names(&b),
        _ => panic!("timeouts is an optional block"),
    };
    assert_eq!(
        names(resource_block()),
        ["create", "delete", "read", "update"]
    );
    assert_eq!(names(data_source_block()), ["read"]);
}
