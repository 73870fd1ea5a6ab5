//! The session part of the demo: a phone that logs in, gets and reports
//! its token, logs out and then receives a late token refresh.

use super::support::{block_on, core_err, expect, Out, Step};
use super::{MAIN_DEVICE, SAMPLE_DEVICES, USER};
use pushcore::logging::redact;
use pushcore::registration::sim::{SimEvent, SimLog, SimulatedBackend, SimulatedPlatform};
use pushcore::registration::{DeviceInfo, LogoutReason, RegistrationPhase, RegistrationState};
use pushcore::{PushChannel, PushCore};
use serde_json::json;
use std::sync::Arc;

/// Deadline for registration to settle; the simulation answers at once.
const SETTLE_MS: u64 = 5_000;

/// A phone with the app on it: the core plus the simulated vendor SDK and
/// IM backend, sharing one event log.
pub struct Session<'a> {
    core: &'a PushCore,
    platform: Arc<SimulatedPlatform>,
    backend: Arc<SimulatedBackend>,
    log: SimLog,
    channel: PushChannel,
}

impl<'a> Session<'a> {
    pub fn start(core: &'a PushCore, device: DeviceInfo) -> Step<Session<'a>> {
        let log = SimLog::default();
        let platform = Arc::new(SimulatedPlatform::new(device, log.clone()));
        let backend = Arc::new(SimulatedBackend::new(log.clone()));
        core.start_registration_with(platform.clone(), backend.clone(), None)
            .map_err(core_err("starting registration"))?;
        Ok(Session {
            core,
            platform,
            backend,
            log,
            channel: SAMPLE_DEVICES[MAIN_DEVICE].2,
        })
    }

    fn settle(&self, step: &str) -> Step<RegistrationState> {
        block_on(self.core.wait_until_settled(SETTLE_MS)).map_err(core_err(step))
    }

    fn violations(&self) -> Step {
        let violations = self.log.violations();
        expect(violations.is_empty(), || {
            format!("the backend saw broken invariants: {violations:?}")
        })
    }

    pub fn log_in(&self, out: &mut Out) -> Step {
        out.say(&format!(
            "\n2. {USER} logs in on the {} phone",
            SAMPLE_DEVICES[MAIN_DEVICE].0
        ));
        // The IM SDK's login succeeded; the app forwards it to the core.
        self.backend.set_session(Some(USER.into()));
        self.core
            .login(USER.into())
            .map_err(core_err("logging in"))?;
        out.event(
            "logged_in",
            json!({ "user": redact(USER).to_string() }),
            &format!("logged in as {}", redact(USER)),
        );
        let state = self.settle("waiting for registration")?;
        expect(state.phase == RegistrationPhase::Registered, || {
            format!("registration should be done, got {state:?}")
        })?;
        expect(state.channel == Some(self.channel), || {
            format!(
                "registered on {:?}, expected {}",
                state.channel, self.channel
            )
        })?;

        let issued: Vec<String> = self
            .log
            .events()
            .into_iter()
            .filter_map(|e| match e {
                SimEvent::TokenIssued(_, token) => Some(token),
                _ => None,
            })
            .collect();
        expect(issued.len() == 1, || {
            format!("expected one token from the vendor, got {}", issued.len())
        })?;
        let token = &issued[0];
        out.event(
            "token_received",
            json!({ "channel": self.channel.as_str(), "token": redact(token).to_string() }),
            &format!("token received from {}: {}", self.channel, redact(token)),
        );

        let reported = self.backend.current();
        let report_count = self.log.count(|e| matches!(e, SimEvent::Reported(_)));
        let Some(report) = reported.filter(|r| &r.token == token && report_count == 1) else {
            return Err(format!(
                "the token should be reported once for {USER}, got {report_count} reports"
            ));
        };
        out.event(
            "token_reported",
            json!({
                "channel": report.channel.as_str(),
                "vendor_id": report.vendor_id,
                "business_id": report.business_id,
                "token": redact(&report.token).to_string(),
            }),
            &format!(
                "token reported to the IM backend: {} (vendor id {}), business id {}",
                report.channel,
                report.vendor_id.unwrap_or_default(),
                report.business_id
            ),
        );
        self.violations()
    }

    pub fn log_out_and_ignore_late_token(&self, out: &mut Out) -> Step {
        out.say("\n8. Logout, then a late token refresh");
        self.core
            .logout(LogoutReason::Proactive)
            .map_err(core_err("logging out"))?;
        let state = self.settle("waiting for the logout")?;
        let cleared = self.log.count(|e| matches!(e, SimEvent::Cleared { .. }));
        expect(
            state.phase == RegistrationPhase::LoggedOut && cleared == 1,
            || format!("logout should clear the token once: {state:?}, {cleared} clears"),
        )?;
        // The push token is cleared; now the IM SDK ends its session.
        self.backend.set_session(None);
        out.event(
            "logged_out",
            json!({ "reason": "proactive", "token_cleared": true }),
            "logged out (proactive): the token was cleared at the backend first",
        );

        let reports_before = self.log.count(|e| matches!(e, SimEvent::ReportStarted(_)));
        let late = self.platform.rotate_token(self.channel);
        self.core
            .on_new_token(self.channel, late.clone())
            .map_err(core_err("delivering the late token"))?;
        block_on(self.core.wait_until_processed(SETTLE_MS))
            .map_err(core_err("waiting for the late token to be handled"))?;
        let reports_after = self.log.count(|e| matches!(e, SimEvent::ReportStarted(_)));
        let state = self.core.registration_state();
        expect(
            reports_after == reports_before && state.phase == RegistrationPhase::LoggedOut,
            || format!("a token after logout must not be reported: {state:?}"),
        )?;
        expect(self.backend.current().is_none(), || {
            "the backend still holds a token after logout".into()
        })?;
        out.event(
            "token_ignored",
            json!({
                "channel": self.channel.as_str(),
                "token": redact(&late).to_string(),
                "reason": "logged out",
            }),
            &format!(
                "late {} token {} after logout: handled by the core and not reported",
                self.channel,
                redact(&late),
            ),
        );
        self.violations()
    }
}
