package dev.pushcore.sample.ui

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import android.widget.TextView

/** Stands in for the app's chat screen: shows which conversation a tap opened. */
class ChatActivity : Activity() {
    private lateinit var text: TextView

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        text = TextView(this)
        setContentView(text)
        show(intent)
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        show(intent)
    }

    private fun show(intent: Intent) {
        title = intent.getStringExtra(EXTRA_TITLE)
        text.text = "Conversation ${intent.getStringExtra(EXTRA_CONVERSATION)}"
    }

    companion object {
        const val EXTRA_CONVERSATION = "conversation"
        const val EXTRA_TITLE = "title"
    }
}
