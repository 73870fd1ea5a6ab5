package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class DiagnoseTest {
    private fun android(brand: String, sdkInt: UInt = 34u) = TestSupport.androidDevice(brand, sdkInt)

    private fun iphone(environment: ApnsEnvironment) = DeviceInfo(
        os = DeviceOs.IOS,
        brand = "apple",
        manufacturer = "apple",
        model = "iPhone15,2",
        sdkInt = 0u,
        osVersion = "17.4",
        romProperties = emptyMap(),
        playServicesAvailable = false,
        hmsAvailable = false,
        notificationsEnabled = true,
        apnsEnvironment = environment,
    )

    private fun state(
        phase: RegistrationPhase,
        channel: PushChannel?,
        businessId: ULong?,
        lastError: RegistrationError? = null,
    ) = RegistrationState(
        phase = phase,
        userId = if (phase == RegistrationPhase.LOGGED_OUT) null else "alice",
        channel = channel,
        businessId = businessId,
        session = 1u,
        attempt = if (lastError == null) 0u else lastError.attempt,
        lastError = lastError,
        noChannelReason = null,
        notificationsEnabled = true,
        clearing = false,
    )

    private fun noOppoChannelId(): PushConfig = TestSupport.exampleConfig().let {
        it.copy(channels = it.channels.copy(oppo = it.channels.oppo!!.copy(channelId = null)))
    }

    @Test
    fun `a registered phone with the example config gets advice only`() {
        val report = diagnose(
            android("OPPO"),
            TestSupport.exampleConfig(),
            state(RegistrationPhase.REGISTERED, PushChannel.OPPO, 10004UL),
        )
        assertEquals(PushChannel.OPPO, report.channel)
        assertEquals(10004UL, report.businessId)
        assertTrue(report.stateChecked)
        assertTrue(report.findings.all { it.severity == Severity.ADVICE }, report.toText())
        assertEquals(listOf("vendor_quota_advice", "redirect_config_advice", "badge_method_advice"), report.codes)
    }

    @Test
    fun `each problem is reported under its code with a fix`() {
        val example = TestSupport.exampleConfig()
        data class Case(val name: String, val report: DiagnosisReport, val code: String, val severity: Severity)
        val cases = listOf(
            Case("oppo on android 8 without channel id", diagnose(android("OPPO", 26u), noOppoChannelId(), null),
                "oppo_channel_id_required", Severity.ERROR),
            Case("logged out", diagnose(android("vivo"), example, state(RegistrationPhase.LOGGED_OUT, null, null)),
                "not_logged_in", Severity.ERROR),
            Case("no play services, no vendor",
                diagnose(android("samsung").copy(playServicesAvailable = false), example, null),
                "no_channel_available", Severity.ERROR),
            Case("notifications off",
                diagnose(android("Xiaomi").copy(notificationsEnabled = false), example, null),
                "notifications_disabled", Severity.ERROR),
            Case("report keeps failing", diagnose(android("OPPO"), example,
                state(RegistrationPhase.FAILED, PushChannel.OPPO, null,
                    RegistrationError("timeout", "no answer", RegistrationPhase.REPORTING, 8u, false))),
                "token_not_reported", Severity.ERROR),
            Case("development build reported with the production id",
                diagnose(iphone(ApnsEnvironment.DEVELOPMENT), example,
                    state(RegistrationPhase.REGISTERED, PushChannel.APNS, 30002UL)),
                "apns_environment_mismatch", Severity.ERROR),
            Case("international build without abroad ids",
                diagnose(android("Meizu"), example.copy(
                    international = true,
                    channels = example.channels.copy(meizu = example.channels.meizu!!.copy(abroadBusinessId = null)),
                ), null),
                "abroad_ids_missing", Severity.ERROR),
        )
        for (case in cases) {
            val found = case.report.findings.filter { it.code == case.code }
            assertEquals(1, found.size, "${case.name}: ${case.report.toText()}")
            assertEquals(case.severity, found[0].severity, case.name)
            assertTrue(found[0].fix.isNotBlank(), case.name)
            assertEquals(case.report.findings.sortedBy { it.severity }, case.report.findings, "errors first")
        }
    }

    @Test
    fun `the core diagnoses with its own config and live registration state`() {
        PushCore(noOppoChannelId(), TestSupport.tempDir().path).use { core ->
            val report = core.diagnose(android("OPPO", 27u))
            assertTrue(report.stateChecked)
            assertEquals(listOf("oppo_channel_id_required", "not_logged_in"), report.errors.map { it.code })
            val text = report.toText()
            assertTrue(text.startsWith("channel: oppo (business id 10004)"), text)
            assertTrue(text.contains("[error] oppo_channel_id_required"), text)
        }
    }

    @Test
    fun `without a state the login and token checks are skipped`() {
        val report = diagnose(iphone(ApnsEnvironment.PRODUCTION), TestSupport.exampleConfig(), null)
        assertFalse(report.stateChecked)
        assertEquals(PushChannel.APNS, report.channel)
        assertEquals(30002UL, report.businessId)
        assertEquals(listOf("redirect_config_advice", "badge_method_advice"), report.codes)
    }
}
