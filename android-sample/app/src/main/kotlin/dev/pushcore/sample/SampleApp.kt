package dev.pushcore.sample

import android.app.Application
import android.util.Log
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import dev.pushcore.LogLevel
import dev.pushcore.PushCore
import dev.pushcore.installPushCoreLogger
import dev.pushcore.pushConfigFromJson
import dev.pushcore.sample.click.ClickHandler
import dev.pushcore.sample.click.NotificationGate
import dev.pushcore.sample.im.FakeImSdk
import dev.pushcore.sample.im.ImSdk
import dev.pushcore.sample.im.ImTokenReporter
import dev.pushcore.badgeMethod
import dev.pushcore.sample.notify.BadgeAdapter
import dev.pushcore.sample.notify.LedgerEffects
import dev.pushcore.sample.notify.NotificationPoster
import dev.pushcore.sample.push.AndroidPushPlatform
import dev.pushcore.sample.push.LoggingListener
import dev.pushcore.sample.push.TokenBridge
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.Dispatchers

/**
 * Creates the one PushCore of the process and wires it to the device's push
 * SDKs (platform), the IM SDK (reporter) and the UI (listener). Everything
 * else in the sample reaches these through [SampleApp.from].
 */
open class SampleApp : Application() {
    lateinit var core: PushCore
        private set
    lateinit var im: ImSdk
        private set
    lateinit var session: Session
        private set
    lateinit var clicks: ClickHandler
        private set
    lateinit var poster: NotificationPoster
        private set
    /** Recall, read elsewhere and badge effects of the core's ledger. */
    lateinit var ledger: LedgerEffects
        private set
    lateinit var platform: AndroidPushPlatform
        private set

    /** Work that must outlive an activity (logout waits for the clear). */
    val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    override fun onCreate() {
        super.onCreate()
        installPushCoreLogger(LogLevel.INFO) { Log.println(priorityOf(it.level), "PushCore", it.message) }

        // The config carries business ids and vendor keys (push-facts.md section 2).
        val config = pushConfigFromJson(configJson())
        core = PushCore(config, filesDir.resolve("pushcore").path)

        im = FakeImSdk()
        TokenBridge.attach(core)
        platform = AndroidPushPlatform(this)
        core.startRegistration(platform, ImTokenReporter(im), LoggingListener)
        session = Session(core, im, appScope)
        clicks = ClickHandler(core) { Log.w("PushTap", it) }
        // The core names this launcher's badge method (also in `diagnose`).
        val badges = BadgeAdapter.forMethod(badgeMethod(platform.deviceInfo()))
        ledger = LedgerEffects(this, core, badges)
        poster = NotificationPoster(this, NotificationGate(core) { Log.i("PushNotify", it) }, ledger)

        // Registration retries at once when the app comes back, instead of
        // waiting for its backoff timer.
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) {
                runCatching { core.onAppForeground() }
            }
        })
        session.resumeIfLoggedIn()
    }

    /** The PushCore config; open so the Robolectric tests (which have no assets) can hand in theirs. */
    protected open fun configJson(): String = assets.open("pushcore-config.json").bufferedReader().use { it.readText() }

    private fun priorityOf(level: LogLevel) = when (level) {
        LogLevel.ERROR -> Log.ERROR
        LogLevel.WARN -> Log.WARN
        LogLevel.INFO -> Log.INFO
        LogLevel.DEBUG -> Log.DEBUG
        LogLevel.TRACE -> Log.VERBOSE
    }

    companion object {
        fun from(context: android.content.Context): SampleApp = context.applicationContext as SampleApp
    }
}
