package dev.pushcore.sample.tap

import android.app.Activity
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import dev.pushcore.sample.click.Screen
import dev.pushcore.sample.click.ScreenCodec
import dev.pushcore.sample.ui.CallActivity
import dev.pushcore.sample.ui.ChatActivity
import dev.pushcore.sample.ui.MainActivity

/**
 * Not exported: only this app can start it. Maps each [Screen] to one of the
 * app's own activities by an explicit class; the only outside destination is
 * an https URL the core already checked against the configured allow-list.
 */
class RouterActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val extras = intent.extras
        val screen = ScreenCodec.decode(extras?.keySet()?.associateWith { extras.getString(it) } ?: emptyMap())
        val target = when (screen) {
            is Screen.Chat -> Intent(this, ChatActivity::class.java)
                .putExtra(ChatActivity.EXTRA_CONVERSATION, screen.conversationId)
                .putExtra(ChatActivity.EXTRA_TITLE, screen.title ?: screen.peerId)
            is Screen.IncomingCall -> Intent(this, CallActivity::class.java)
                .putExtra(CallActivity.EXTRA_CALLER, screen.callerId)
            is Screen.Web -> Intent(Intent.ACTION_VIEW, Uri.parse(screen.url))
                .addCategory(Intent.CATEGORY_BROWSABLE)
            Screen.Home -> Intent(this, MainActivity::class.java)
        }
        // Reuse an open chat instead of stacking a second copy of it.
        target.addFlags(Intent.FLAG_ACTIVITY_CLEAR_TOP or Intent.FLAG_ACTIVITY_SINGLE_TOP)
        runCatching { startActivity(target) }.onFailure { startActivity(Intent(this, MainActivity::class.java)) }
        finish()
    }

    companion object {
        const val EXTRA_DUPLICATE = "pushcore.duplicate"
    }
}
