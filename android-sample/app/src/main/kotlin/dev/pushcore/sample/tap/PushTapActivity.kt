package dev.pushcore.sample.tap

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import dev.pushcore.sample.SampleApp
import dev.pushcore.sample.click.ScreenCodec
import dev.pushcore.sample.click.Tap

/**
 * The exported trampoline every notification tap lands on. Anyone can start
 * it with any extras, so it stays tiny: turn the intent into a [Tap], let the
 * core parse, dedup and route it, and hand only the resulting allow-listed
 * screen, as plain strings, to the non-exported [RouterActivity]. It never
 * launches anything taken from the extras.
 */
class PushTapActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Recreated after a configuration change: the tap was handled already.
        if (savedInstanceState == null) handle(intent)
        finish()
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        handle(intent)
        finish()
    }

    private fun handle(intent: Intent) {
        val app = SampleApp.from(this)
        val tap = Tap(
            extras = IntentExtras.toMap(intent),
            dataUri = intent.dataString,
            registeredChannel = app.platform.registeredChannel,
        )
        val decision = app.clicks.handle(tap)
        val route = Intent(this, RouterActivity::class.java)
            .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP)
        ScreenCodec.encode(decision.screen).forEach { (k, v) -> route.putExtra(k, v) }
        route.putExtra(RouterActivity.EXTRA_DUPLICATE, decision.duplicate)
        startActivity(route)
    }
}
