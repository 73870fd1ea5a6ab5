//! Conversation views, mutes and quiet hours on real files: grouping and
//! line recomputation as tables, mute expiry on the store's clock, quiet
//! hours across midnight and Berlin's DST changes, two connections (as two
//! processes), and a state machine whose views always equal a recount.

use super::tests::{handle, key, Fixture, T0};
use super::*;
use crate::store::dedup::Dedup;

/// A received message through the whole decision, as `handleReceived` makes it.
fn receive(
    ledger: &Ledger,
    id: &str,
    conversation: &str,
    sender: &str,
    text: &str,
    ms: i64,
) -> Outcome {
    receive_as(ledger, id, conversation, sender, text, ms, false)
}

fn receive_as(
    ledger: &Ledger,
    id: &str,
    conversation: &str,
    sender: &str,
    text: &str,
    ms: i64,
    is_call: bool,
) -> Outcome {
    let key = key(id);
    let dedup = Dedup::new(ledger.store.clone(), DedupSettings::default());
    let received = Received {
        incoming: Incoming {
            shown: Shown {
                message_key: &key,
                conversation,
                handle: Handle::for_message(&key),
                message_ms: ms,
                content: text,
                source: "test",
            },
            receiver: None,
        },
        line: Line {
            sender_name: sender,
            text,
        },
        is_call,
    };
    ledger.receive(&dedup, &received).unwrap()
}

/// A view's lines as `"sender: text"`, oldest first.
fn lines(view: &ConversationView) -> Vec<String> {
    view.lines
        .iter()
        .map(|l| format!("{}: {}", l.sender_name, l.text))
        .collect()
}

fn posted(outcome: &Outcome) -> &ConversationView {
    let update = outcome
        .conversation
        .as_ref()
        .expect("a conversation update");
    assert_eq!(update.post.len(), 1, "{update:?}");
    &update.post[0]
}

#[test]
fn messages_of_one_conversation_become_one_notification_with_their_lines() {
    let f = Fixture::new();
    let ledger = f.ledger();
    // (id, conversation, sender, text, ms) -> lines of that conversation, summary
    type Step = (&'static str, &'static str, &'static str, &'static str, i64);
    type Row = (Step, &'static [&'static str], Option<(u32, u32)>);
    let table: &[Row] = &[
        (("b1", "c2c_bob", "Bob", "hi", 1_000), &["Bob: hi"], None),
        (
            ("b2", "c2c_bob", "Bob", "are you there?", 2_000),
            &["Bob: hi", "Bob: are you there?"],
            None,
        ),
        // Out of order: the older message sorts first.
        (
            ("b0", "c2c_bob", "Bob", "earlier", 500),
            &["Bob: earlier", "Bob: hi", "Bob: are you there?"],
            None,
        ),
        (
            ("t1", "group_team", "Ann", "standup?", 3_000),
            &["Ann: standup?"],
            Some((2, 4)),
        ),
        (
            ("t2", "group_team", "Cy", "line two", 4_000),
            &["Ann: standup?", "Cy: line two"],
            Some((2, 5)),
        ),
    ];
    for ((id, conversation, sender, text, ms), want, summary) in table {
        let outcome = receive(&ledger, id, conversation, sender, text, *ms);
        // The per-message answer is unchanged: its own handle.
        assert!(
            matches!(&outcome.decision, Decision::Show { handle: h, .. } if *h == handle(id)),
            "{id}: {:?}",
            outcome.decision
        );
        let view = posted(&outcome);
        assert_eq!(view.handle, Handle::for_conversation(conversation), "{id}");
        assert_eq!(lines(view), *want, "{id}");
        assert_eq!(view.unread as usize, want.len(), "{id}");
        let got = outcome.conversation.as_ref().unwrap().summary.clone();
        assert_eq!(
            got,
            summary.map(|(conversations, unread)| Summary {
                conversations,
                unread
            }),
            "{id}"
        );
    }
    // A repeat is suppressed and changes no notification.
    let again = receive(&ledger, "b1", "c2c_bob", "Bob", "hi", 1_000);
    assert!(again.conversation.is_none());
    // An edit replaces the message and its line.
    let edited = receive(&ledger, "b1", "c2c_bob", "Bob", "hello", 1_000);
    assert!(
        matches!(edited.decision, Decision::Replace { .. }),
        "{edited:?}"
    );
    assert_eq!(
        lines(posted(&edited)),
        ["Bob: earlier", "Bob: hello", "Bob: are you there?"]
    );
}

#[test]
fn a_view_keeps_only_the_newest_configured_lines_but_counts_them_all() {
    let f = Fixture::new();
    for (configured, kept) in [
        (5, 5),
        (2, 2),
        (0, 1),
        (99, conversation::MAX_LINES as usize),
    ] {
        let ledger = f.ledger().with_conversation_lines(configured);
        let conversation = format!("group_{configured}");
        let mut last = None;
        for i in 0..30 {
            last = Some(receive(
                &ledger,
                &format!("{configured}-{i}"),
                &conversation,
                "S",
                &format!("n{i}"),
                1_000 + i,
            ));
        }
        let view = posted(last.as_ref().unwrap()).clone();
        assert_eq!(view.lines.len(), kept, "{configured}");
        assert_eq!(view.unread, 30, "{configured}");
        let newest: Vec<String> = (30 - kept..30).map(|i| format!("S: n{i}")).collect();
        assert_eq!(lines(&view), newest, "{configured}");
    }
}

#[test]
fn a_recall_read_or_swipe_recomputes_the_lines_and_an_empty_conversation_goes() {
    enum Op {
        Recall(&'static str),
        Read(&'static str, i64),
        Click(&'static str),
    }
    let f = Fixture::new();
    let ledger = f.ledger();
    for (id, conversation, ms) in [
        ("b1", "c2c_bob", 1_000),
        ("b2", "c2c_bob", 2_000),
        ("b3", "c2c_bob", 3_000),
        ("t1", "group_team", 1_500),
    ] {
        receive(&ledger, id, conversation, "S", id, ms);
    }
    // op -> bob's lines after it (None: bob's notification removed), summary
    type Row = (Op, Option<&'static [&'static str]>, Option<(u32, u32)>);
    let table: Vec<Row> = vec![
        (Op::Recall("b2"), Some(&["S: b1", "S: b3"]), Some((2, 3))),
        (Op::Recall("b2"), None, Some((2, 3))),
        (Op::Click("b1"), Some(&["S: b3"]), Some((2, 2))),
        (Op::Read("c2c_bob", 3_000), Some(&[]), None),
    ];
    for (i, (op, bob, summary)) in table.into_iter().enumerate() {
        let viewed = match op {
            Op::Recall(id) => ledger.recall_viewed(&key(id)).unwrap(),
            Op::Read(c, up_to) => ledger.read_viewed(c, up_to).unwrap(),
            Op::Click(id) => {
                ledger.clicked(&key(id), None).unwrap();
                let update = ledger.conversations().unwrap();
                ViewedChange {
                    change: Change {
                        remove: vec![],
                        badge: 0,
                    },
                    conversations: ConversationUpdate {
                        post: update
                            .post
                            .into_iter()
                            .filter(|v| v.conversation == "c2c_bob")
                            .collect(),
                        remove: vec![],
                        summary: update.summary,
                    },
                }
            }
        };
        let update = &viewed.conversations;
        match bob {
            None => assert!(
                update.post.is_empty() && update.remove.is_empty(),
                "{i}: {update:?}"
            ),
            Some([]) => assert_eq!(
                update.remove,
                vec![Handle::for_conversation("c2c_bob")],
                "{i}"
            ),
            Some(want) => assert_eq!(lines(&update.post[0]), want, "{i}"),
        }
        assert_eq!(
            update.summary,
            summary.map(|(conversations, unread)| Summary {
                conversations,
                unread
            }),
            "{i}"
        );
    }
    // The team's whole notification swiped away: all its messages cleared.
    let swiped = ledger
        .dismissed_viewed(&Handle::for_conversation("group_team"))
        .unwrap();
    assert_eq!(
        swiped.conversations.remove,
        vec![Handle::for_conversation("group_team")]
    );
    assert_eq!(swiped.change.badge, 0);
    assert_eq!(
        ledger.conversations().unwrap(),
        ConversationUpdate::default()
    );
    // A single message's swipe takes its line out.
    receive(&ledger, "x1", "c2c_x", "X", "one", 10_000);
    receive(&ledger, "x2", "c2c_x", "X", "two", 11_000);
    let swiped = ledger.dismissed_viewed(&handle("x1")).unwrap();
    assert_eq!(lines(&swiped.conversations.post[0]), ["X: two"]);
}

#[test]
fn a_muted_conversation_stays_silent_until_its_mute_expires_on_the_store_clock() {
    let f = Fixture::new();
    let ledger = f.ledger();
    let hour = 3_600_000;
    ledger.set_muted("group_noisy", Some(T0 + hour)).unwrap();
    ledger.set_muted("c2c_spam", None).unwrap();
    // (advance, id, conversation, call?, expected)
    let table: &[(i64, &str, &str, bool, Option<Suppress>)] = &[
        (0, "n1", "group_noisy", false, Some(Suppress::Muted)),
        (0, "s1", "c2c_spam", false, Some(Suppress::Muted)),
        (0, "c1", "c2c_spam", true, None), // calls ring through a mute
        (0, "o1", "c2c_other", false, None),
        (hour - 1, "n2", "group_noisy", false, Some(Suppress::Muted)),
        (1, "n3", "group_noisy", false, None), // expired exactly at until
        (100 * hour, "s2", "c2c_spam", false, Some(Suppress::Muted)),
    ];
    for (advance, id, conversation, call, want) in table {
        f.advance_ms(*advance);
        let outcome = receive_as(&ledger, id, conversation, "S", "t", 0, *call);
        match (want, &outcome.decision) {
            (Some(reason), Decision::Suppress { reason: got, .. }) => {
                assert_eq!(got, reason, "{id}")
            }
            (None, Decision::Show { .. }) => {}
            _ => panic!("{id}: {outcome:?}"),
        }
    }
    // Muted messages are not recorded: not in the badge, no line.
    assert_eq!(ledger.badge().unwrap(), 3);
    assert_eq!(
        ledger.mutes(10).unwrap(),
        vec![Mute {
            conversation: "c2c_spam".into(),
            until_ms: None
        }]
    );
    // A time in the past unmutes; a negative one is refused.
    ledger.set_muted("c2c_spam", Some(1)).unwrap();
    assert!(ledger.mutes(10).unwrap().is_empty());
    let err = crate::PushError::from(ledger.set_muted("c2c_spam", Some(-1)).unwrap_err());
    assert_eq!(err.code(), "invalid_input");
}

fn hours(start: u16, end: u16, zone: &str) -> QuietHours {
    QuietHours {
        start_minute: start,
        end_minute: end,
        timezone: zone.into(),
        policy: QuietPolicy::ShowSilently,
        silence_calls: false,
    }
}

#[test]
fn quiet_hours_follow_the_local_clock_across_midnight_and_dst_changes() {
    let night = hours(22 * 60, 7 * 60, "Europe/Berlin");
    let skipped = hours(2 * 60, 3 * 60, "Europe/Berlin");
    let lunch = hours(12 * 60, 14 * 60, "Asia/Shanghai");
    // (window, UTC instant, quiet?, what it checks)
    let table: &[(&QuietHours, i64, bool, &str)] = &[
        (&night, 1_781_551_800_000, false, "21:30 CEST, before"),
        (
            &night,
            1_781_553_600_000,
            true,
            "22:00 CEST, start is inclusive",
        ),
        (
            &night,
            1_781_566_200_000,
            true,
            "01:30 CEST, after midnight",
        ),
        (
            &night,
            1_781_586_000_000,
            false,
            "07:00 CEST, end is exclusive",
        ),
        (
            &night,
            1_774_733_400_000,
            true,
            "22:30 CET the night clocks go forward",
        ),
        (
            &night,
            1_774_758_600_000,
            true,
            "06:30 CEST after the change",
        ),
        (
            &night,
            1_774_762_200_000,
            false,
            "07:30 CEST (06:30 at the old offset)",
        ),
        (
            &night,
            1_792_906_200_000,
            true,
            "06:30 CET after fall-back (07:30 at the old offset)",
        ),
        (&night, 1_792_909_800_000, false, "07:30 CET"),
        (
            &skipped,
            1_774_661_400_000,
            true,
            "02:30 CET the day before",
        ),
        (
            &skipped,
            1_774_745_940_000,
            false,
            "01:59 CET: the window's hour never comes",
        ),
        (&skipped, 1_774_746_000_000, false, "03:00 CEST"),
        (
            &skipped,
            1_792_888_200_000,
            true,
            "02:30 CEST, the first of two",
        ),
        (
            &skipped,
            1_792_891_800_000,
            true,
            "02:30 CET, the repeated hour",
        ),
        (&lunch, 1_781_499_600_000, true, "13:00 in Shanghai"),
        (&lunch, 1_781_553_600_000, false, "04:00 in Shanghai"),
    ];
    for (window, at, quiet, what) in table {
        let zone = window.zone().unwrap();
        assert_eq!(window.contains(&zone, *at), *quiet, "{what}");
    }
}

#[test]
fn quiet_hours_silence_or_suppress_by_policy_and_let_calls_ring_unless_asked() {
    let f = Fixture::new();
    let ledger = f.ledger();
    // T0 is 2025-06-15 15:06:40 UTC: 17:06 in Berlin.
    let mut window = hours(17 * 60, 18 * 60, "Europe/Berlin");
    // (policy, silence_calls, call?) -> suppressed?, silent?
    let table = [
        (QuietPolicy::ShowSilently, false, false, None, true),
        (QuietPolicy::ShowSilently, false, true, None, false),
        (QuietPolicy::ShowSilently, true, true, None, true),
        (
            QuietPolicy::Suppress,
            false,
            false,
            Some(Suppress::QuietHours),
            false,
        ),
        (QuietPolicy::Suppress, false, true, None, false),
        (
            QuietPolicy::Suppress,
            true,
            true,
            Some(Suppress::QuietHours),
            false,
        ),
    ];
    for (i, (policy, silence_calls, call, suppressed, silent)) in table.into_iter().enumerate() {
        window.policy = policy;
        window.silence_calls = silence_calls;
        ledger.set_quiet_hours(&window).unwrap();
        let outcome = receive_as(&ledger, &format!("q{i}"), "c2c_bob", "Bob", "t", 0, call);
        match (suppressed, &outcome.decision) {
            (Some(reason), Decision::Suppress { reason: got, .. }) => {
                assert_eq!(*got, reason, "{i}")
            }
            (None, Decision::Show { .. }) => {}
            _ => panic!("{i}: {outcome:?}"),
        }
        assert_eq!(outcome.silent, silent, "{i}");
    }
    // Outside the window, and once cleared: normal.
    f.advance_ms(3_600_000);
    assert!(!receive(&ledger, "late", "c2c_bob", "Bob", "t", 0).silent);
    f.advance_ms(-3_600_000);
    ledger.clear_quiet_hours().unwrap();
    assert_eq!(ledger.quiet_hours().unwrap(), None);
    assert!(!receive(&ledger, "after", "c2c_bob", "Bob", "t", 0).silent);
}

#[test]
fn bad_quiet_hours_are_invalid_input_and_store_nothing() {
    let f = Fixture::new();
    let ledger = f.ledger();
    let good = hours(22 * 60, 7 * 60, "Europe/Berlin");
    ledger.set_quiet_hours(&good).unwrap();
    let table = [
        hours(60, 60, "Europe/Berlin"),
        hours(1440, 60, "Europe/Berlin"),
        hours(60, 2000, "Europe/Berlin"),
        hours(60, 120, "Mars/Olympus_Mons"),
        hours(60, 120, ""),
        hours(60, 120, &"A".repeat(5000)),
    ];
    for bad in table {
        let err = crate::PushError::from(ledger.set_quiet_hours(&bad).unwrap_err());
        assert_eq!(err.code(), "invalid_input", "{bad:?}");
        assert_eq!(ledger.quiet_hours().unwrap(), Some(good.clone()), "{bad:?}");
    }
}

#[test]
fn two_processes_agree_on_mutes_quiet_hours_and_conversation_views() {
    let f = Fixture::new();
    let (app, service) = (f.ledger(), f.ledger());
    app.set_muted("group_noisy", None).unwrap();
    let muted = receive(&service, "n1", "group_noisy", "S", "t", 0);
    assert!(matches!(
        muted.decision,
        Decision::Suppress {
            reason: Suppress::Muted,
            ..
        }
    ));
    service
        .set_quiet_hours(&hours(17 * 60, 18 * 60, "Europe/Berlin"))
        .unwrap();
    assert!(receive(&app, "b1", "c2c_bob", "Bob", "one", 1_000).silent);
    let second = receive(&service, "b2", "c2c_bob", "Bob", "two", 2_000);
    assert_eq!(lines(posted(&second)), ["Bob: one", "Bob: two"]);
    let recalled = app.recall_viewed(&key("b1")).unwrap();
    assert_eq!(lines(&recalled.conversations.post[0]), ["Bob: two"]);
    assert_eq!(
        service.conversations().unwrap(),
        app.conversations().unwrap()
    );
}

mod recounted {
    //! Whatever happens, every view equals a recount of the shown rows.
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Show(u8),
        Recall(u8),
        Read(u8, i64),
        DismissConversation(u8),
        Click(u8),
        Login(Option<u8>),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            5 => (0u8..24).prop_map(Op::Show),
            1 => (0u8..24).prop_map(Op::Recall),
            1 => (0u8..3, 0i64..30).prop_map(|(c, t)| Op::Read(c, t)),
            1 => (0u8..3).prop_map(Op::DismissConversation),
            1 => (0u8..24).prop_map(Op::Click),
            1 => prop::option::of(0u8..2).prop_map(Op::Login),
        ]
    }

    /// The views a plain count of the rows gives.
    fn recount(ledger: &Ledger, lines: usize) -> ConversationUpdate {
        let session = ledger.session().unwrap();
        let account = match &session {
            Session::LoggedOut => return ConversationUpdate::default(),
            Session::LoggedIn(a) => Some(a.clone()),
            Session::Unknown => None,
        };
        let rows: Vec<(String, String, String, i64, i64)> = ledger
            .store
            .with_conn(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT conversation, sender_name, line_text, message_ms, id FROM ledger_shown
                     WHERE state = 1 AND conversation != '' AND (?1 IS NULL OR account = ?1)",
                )?;
                let rows = stmt.query_map([&account], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .unwrap();
        let mut by: std::collections::BTreeMap<String, Vec<(i64, i64, ConversationLine)>> =
            Default::default();
        for (c, sender_name, text, ms, id) in rows {
            by.entry(c).or_default().push((
                ms,
                id,
                ConversationLine {
                    sender_name,
                    text,
                    message_ms: ms,
                },
            ));
        }
        let unread: usize = by.values().map(Vec::len).sum();
        let summary = (by.len() > 1).then_some(Summary {
            conversations: by.len() as u32,
            unread: unread as u32,
        });
        let post = by
            .into_iter()
            .map(|(c, mut rows)| {
                rows.sort_by_key(|(ms, id, _)| (*ms, *id));
                let n = rows.len();
                ConversationView {
                    handle: Handle::for_conversation(&c),
                    conversation: c,
                    lines: rows
                        .into_iter()
                        .skip(n.saturating_sub(lines))
                        .map(|(_, _, l)| l)
                        .collect(),
                    unread: n as u32,
                }
            })
            .collect();
        ConversationUpdate {
            post,
            remove: vec![],
            summary,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn views_and_the_summary_always_equal_a_recount_of_shown_rows(ops in prop::collection::vec(op(), 1..40)) {
            let f = Fixture::new();
            let ledger = f.ledger().with_conversation_lines(3);
            for op in ops {
                let id = |i: u8| format!("m{i}");
                let conv = |i: u8| format!("c2c_{}", i % 3);
                match op {
                    Op::Show(i) => { receive(&ledger, &id(i), &conv(i), "S", &id(i), i64::from(i % 7) + 1); }
                    Op::Recall(i) => { ledger.recall_viewed(&key(&id(i))).unwrap(); }
                    Op::Read(c, t) => { ledger.read_viewed(&format!("c2c_{c}"), t).unwrap(); }
                    Op::DismissConversation(c) => { ledger.dismissed_viewed(&Handle::for_conversation(&format!("c2c_{c}"))).unwrap(); }
                    Op::Click(i) => { ledger.clicked(&key(&id(i)), None).unwrap(); }
                    Op::Login(user) => { ledger.set_session(user.map(|u| format!("user{u}")).as_deref()).unwrap(); }
                }
                prop_assert_eq!(ledger.conversations().unwrap(), recount(&ledger, 3));
            }
        }
    }
}

/// The received path answers a repeat from the ledger row alone when the
/// dedup store would still remember the row's stamp, and asks the dedup
/// store otherwise; either way the answer is the dedup store's rule.
#[test]
fn a_repeat_is_answered_from_the_ledger_row_only_within_the_dedup_memory() {
    const DAY_MS: i64 = 86_400_000;
    const TTL_MS: i64 = 7 * DAY_MS;
    // (what happens first, clock moves between, second delivery shown?)
    type Before = fn(&Ledger);
    let received_first: Before = |l| {
        receive(l, "m1", "c2c_bob", "Bob", "hi", 1_000);
    };
    let recorded_by_the_app: Before = |l| {
        // `notificationShown`: an APNs alert the system showed; the dedup
        // store never saw it.
        let key = key("m1");
        l.record_shown(&Shown {
            message_key: &key,
            conversation: "c2c_bob",
            handle: Handle::for_message(&key),
            message_ms: 1_000,
            content: "hi",
            source: "apns-alert",
        })
        .unwrap();
    };
    let table: &[(&str, Before, i64, bool)] = &[
        ("received twice", received_first, 1_000, false),
        (
            "shown by the system, then received",
            recorded_by_the_app,
            1_000,
            false,
        ),
        (
            "received again just inside the TTL",
            received_first,
            TTL_MS - 1_000,
            false,
        ),
        (
            "received again after the TTL, not yet pruned",
            received_first,
            TTL_MS + 1_000,
            true,
        ),
        (
            "stamped a day ahead, clock set back past the TTL",
            received_first,
            -(TTL_MS + DAY_MS),
            true,
        ),
    ];
    for (case, before, clock_moves_ms, shown_again) in table {
        let f = Fixture::new();
        let ledger = f.ledger();
        before(&ledger);
        f.advance_ms(*clock_moves_ms);
        let again = receive(&ledger, "m1", "c2c_bob", "Bob", "hi", 1_000);
        let shown = matches!(again.decision, Decision::Show { .. });
        assert_eq!(shown, *shown_again, "{case}: {:?}", again.decision);
        if !shown {
            assert!(
                matches!(
                    again.decision,
                    Decision::Suppress {
                        reason: Suppress::Duplicate,
                        ..
                    }
                ),
                "{case}: {:?}",
                again.decision
            );
        }
    }
}
