//! Diagnostics on the facade: the same checks as the free `diagnose`, with
//! this core's configuration and live registration state.

use super::PushCore;
use crate::diagnostics::{diagnose_device, DiagnosisReport};
use crate::registration::DeviceInfo;

#[uniffi::export]
impl PushCore {
    /// Why pushes may not arrive on this device, with fixes. Uses the
    /// current registration state: before `start_registration` and `login`
    /// that state is "logged out", and the report says so.
    pub fn diagnose(&self, device: DeviceInfo) -> DiagnosisReport {
        let state = self.registration_state();
        diagnose_device(&device, &self.config, Some(&state))
    }
}
