//! The numbered cases of "registration that holds against real SDKs", each
//! against the realistic fakes: a call into the app keeps going after the
//! core drops its future, and the backend applies it when that work ends.

use super::*;

/// The log reduced to what happened at the backend, in order.
fn backend_story(h: &Harness) -> Vec<String> {
    h.log
        .events()
        .into_iter()
        .filter_map(|e| match e {
            SimEvent::ReportStarted(r) => Some(format!("start {}", r.user_id)),
            SimEvent::Reported(r) => Some(format!("reported {}", r.user_id)),
            SimEvent::ReportRejected(r) => Some(format!("rejected {}", r.user_id)),
            SimEvent::ClearRequested(c) => Some(format!("clear {}", c.user_id)),
            SimEvent::Cleared { user_id, .. } => Some(format!("cleared {user_id}")),
            SimEvent::ClearFailed => Some("clear failed".into()),
            SimEvent::StaleDropped { user_id, .. } => Some(format!("dropped {user_id}")),
            _ => None,
        })
        .collect()
}

/// Case 1: a report the app keeps running after logout is applied before
/// the clear starts, never after it; the logout settles only then.
#[tokio::test(start_paused = true)]
async fn case_1_a_report_still_running_at_logout_lands_before_the_clear_never_after() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.backend.ignore_sequence(); // what the core guarantees on its own
    h.backend.script([SimCall::ok(2_000)]);
    h.login("alice").await;
    sleep(Duration::from_millis(500)).await;
    assert_eq!(h.state().phase, P::Reporting);
    let before = tokio::time::Instant::now();
    h.logout(Proactive).await;
    let state = h.settle().await;
    assert!(
        before.elapsed() >= Duration::from_millis(1_500),
        "settled before the report ended"
    );
    h.im_logout();
    sleep(Duration::from_secs(600)).await;
    assert_eq!(state.phase, P::LoggedOut);
    assert_eq!(
        backend_story(&h),
        [
            "start alice",
            "reported alice",
            "clear alice",
            "cleared alice"
        ]
    );
    assert_eq!(h.backend.token_of("alice"), None, "token left after logout");
    assert_eq!(h.report_starts(), 1, "never redone");
    assert!(h.log.violations().is_empty(), "{:?}", h.log.violations());
}

/// Case 1 for kick-outs: no clear, and the report that was running is
/// refused by the IM SDK (its session is gone) instead of being applied.
#[tokio::test(start_paused = true)]
async fn case_1_a_report_running_at_a_kick_out_is_never_applied() {
    for reason in [KickedOffline, SignatureExpired] {
        let (store, boxed) = memory();
        let mut h = Harness::start(config(), xiaomi(), boxed);
        h.backend.script([SimCall::ok(2_000)]);
        h.login("alice").await;
        sleep(Duration::from_millis(500)).await;
        h.logout(reason).await;
        let state = h.settle().await;
        sleep(Duration::from_secs(600)).await;
        assert_eq!(state.phase, P::LoggedOut);
        assert_eq!(backend_story(&h), ["start alice", "rejected alice"]);
        assert_eq!(store.snapshot(), None);
        assert_eq!(h.clear_requests(), 0);
    }
}

/// A token request still running at logout may finish at the vendor, but
/// its token is never reported.
#[tokio::test(start_paused = true)]
async fn no_token_is_reported_after_logout_with_a_token_request_in_flight() {
    for reason in [Proactive, KickedOffline, SignatureExpired] {
        let (store, boxed) = memory();
        let mut h = Harness::start(config(), xiaomi(), boxed);
        h.platform.script([SimCall::ok(2_000)]);
        h.login("alice").await;
        sleep(Duration::from_millis(500)).await;
        assert_eq!(h.state().phase, P::RequestingToken);
        h.logout(reason).await;
        h.idle().await;
        sleep(Duration::from_secs(600)).await;
        assert_eq!(h.count(|e| matches!(e, SimEvent::TokenIssued(..))), 1);
        assert_eq!(h.report_starts(), 0, "{reason:?}: {:?}", h.log.events());
        assert_eq!(store.snapshot(), None);
        assert!(h.log.violations().is_empty(), "{reason:?}");
    }
}

/// A report that outlives its deadline is the one thing the core cannot
/// order: the app's side may still apply it after the clear. A backend that
/// checks the sequence drops it; one that does not, applies it.
#[tokio::test(start_paused = true)]
async fn a_report_outliving_its_deadline_is_stopped_only_by_a_backend_checking_the_sequence() {
    for checks in [true, false] {
        let (_, boxed) = memory();
        let mut h = Harness::start(config(), xiaomi(), boxed);
        if !checks {
            h.backend.ignore_sequence();
        }
        h.backend.script([SimCall::ok(TIMEOUT_MS + 3_000)]);
        h.login("alice").await;
        sleep(Duration::from_millis(100)).await;
        h.logout(Proactive).await;
        h.settle().await;
        sleep(Duration::from_secs(60)).await;
        let story = backend_story(&h);
        assert_eq!(
            &story[..4],
            [
                "start alice",
                "clear alice",
                "cleared alice",
                if checks {
                    "dropped alice"
                } else {
                    "reported alice"
                }
            ],
            "{checks}"
        );
        assert_eq!(h.backend.token_of("alice").is_some(), !checks);
        assert_eq!(h.log.violations().len(), usize::from(!checks));
    }
}

/// Case 2: a failed clear of an ended session never unregisters the channel
/// once someone logged in since; it is retried for its own user.
#[tokio::test(start_paused = true)]
async fn case_2_a_failed_clear_of_an_ended_session_leaves_the_next_users_channel_alone() {
    let (store, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    h.backend.script_clear([SimCall::fail(1_000)]);
    h.logout(Proactive).await;
    h.login("bob").await; // without waiting for the clear
    let state = h.settle().await;
    assert_eq!(
        (state.phase, state.user_id.as_deref()),
        (P::Registered, Some("bob"))
    );
    h.idle().await;
    assert_eq!(h.count(|e| matches!(e, SimEvent::UnregisterStarted(_))), 0);
    let bob = h.backend.current().expect("bob registered");
    assert!(!h.platform.is_revoked(&bob.token));
    let clears = h.log.clears_requested();
    assert_eq!(clears.len(), 2, "retried once");
    assert!(clears
        .iter()
        .all(|c| c.user_id == "alice" && c.sequence == clears[0].sequence));
    assert!(
        clears[0].sequence < bob.sequence,
        "bob's report is newer than alice's clear"
    );
    assert_eq!(h.backend.token_of("alice"), None);
    assert!(store.clears().is_empty());
    assert!(h.log.violations().is_empty(), "{:?}", h.log.violations());
}

/// With nobody logged in, a failing clear unregisters the channel at once
/// (pushes stop anyway) and is retried with backoff until it succeeds.
#[tokio::test(start_paused = true)]
async fn a_failed_clear_with_nobody_logged_in_unregisters_and_is_retried() {
    let (store, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    let token = h.backend.current().unwrap().token;
    h.backend.script_clear([SimCall::hang(), SimCall::fail(0)]);
    h.logout(Proactive).await;
    assert!(h.state().clearing);
    let state = h.settle().await;
    assert!(!state.clearing);
    assert_eq!(state.pending_clears, 1);
    assert_eq!(store.clears().len(), 1, "kept for a restart");
    h.im_logout();
    let state = h.idle().await;
    assert_eq!(state.pending_clears, 0);
    assert_eq!(
        h.count(|e| matches!(e, SimEvent::Unregistered(PushChannel::Xiaomi))),
        1
    );
    assert!(h.platform.is_revoked(&token));
    assert_eq!(h.clear_requests(), 3);
    assert_eq!(h.backend.token_of("alice"), None);
    let codes: Vec<_> = h
        .listener
        .errors
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.code.clone())
        .collect();
    assert_eq!(codes, ["timeout", "platform"]);
    assert!(store.clears().is_empty());
}

/// A login after the logout cancels an unregister that had not started
/// (here: queued behind a token request still running).
#[tokio::test(start_paused = true)]
async fn an_unregister_queued_before_a_login_never_runs() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.platform.script([SimCall::ok(3_000)]);
    h.backend.script_clear([SimCall::fail(0)]);
    h.login("alice").await;
    h.logout(Proactive).await;
    h.im_logout();
    sleep(Duration::from_millis(100)).await;
    assert_eq!(h.count(|e| matches!(e, SimEvent::ClearFailed)), 1);
    h.login("bob").await;
    let state = h.idle().await;
    assert_eq!(state.phase, P::Registered);
    assert_eq!(h.count(|e| matches!(e, SimEvent::UnregisterStarted(_))), 0);
    assert!(h.log.violations().is_empty(), "{:?}", h.log.violations());
}

/// Case 3 (in one thread): the numbers are handed out with the enqueue,
/// so the state's session never goes back and ends at the last call.
#[tokio::test(start_paused = true)]
async fn case_3_commands_apply_in_call_order_and_the_session_never_decreases() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    for i in 0..50 {
        let user = ["alice", "bob"][i % 2];
        h.backend.set_session(Some(user.into()));
        h.command(Command::Login {
            user_id: user.into(),
        });
        if i % 3 == 0 {
            h.command(Command::Logout { reason: Proactive });
        }
    }
    let last = h.command(Command::Logout {
        reason: KickedOffline,
    });
    h.backend.set_session(None);
    let state = h.idle().await;
    assert_eq!(state.session, last);
    assert_eq!(state.phase, P::LoggedOut);
    assert!(h.log.violations().is_empty(), "{:?}", h.log.violations());
}

/// Case 4: the clear says whose token it is, and a switch of user without
/// waiting clears the old user's token only.
#[tokio::test(start_paused = true)]
async fn case_4_a_clear_names_its_user_and_never_touches_the_next_one() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.backend.script_clear([SimCall::ok(500)]);
    h.login("alice").await;
    h.settle().await;
    h.logout(Proactive).await;
    h.login("bob").await;
    h.settle().await;
    assert_eq!(
        backend_story(&h),
        [
            "start alice",
            "reported alice",
            "clear alice",
            "cleared alice",
            "start bob",
            "reported bob"
        ]
    );
    assert_eq!(h.backend.token_of("alice"), None);
    assert_eq!(h.backend.current().unwrap().user_id, "bob");
}

/// Case 7: waiting covers a new token too.
#[tokio::test(start_paused = true)]
async fn case_7_waiting_after_a_new_token_returns_once_it_is_reported() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    h.backend.script([SimCall::ok(1_000)]);
    let token = h.new_token(PushChannel::Xiaomi).await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
    assert_eq!(h.backend.current().unwrap().token, token);
}

/// Clears that a previous run could not confirm are resumed at the next
/// start, before any new report.
#[tokio::test(start_paused = true)]
async fn an_unconfirmed_clear_survives_a_restart_and_goes_first() {
    let (store, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    h.backend.script_clear([SimCall::hang()]);
    h.logout(Proactive).await;
    sleep(Duration::from_millis(10)).await;
    let mut h = h.restart(Box::new(store.clone())).await;
    assert_eq!(store.clears().len(), 1);
    h.login("bob").await;
    h.settle().await;
    h.idle().await;
    let story = backend_story(&h);
    assert_eq!(
        &story[story.len() - 4..],
        ["clear alice", "cleared alice", "start bob", "reported bob"]
    );
    assert!(store.clears().is_empty());
}
