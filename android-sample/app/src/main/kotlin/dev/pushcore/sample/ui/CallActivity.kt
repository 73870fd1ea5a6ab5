package dev.pushcore.sample.ui

import android.app.Activity
import android.os.Bundle
import android.widget.TextView

/** Stands in for the app's incoming-call screen. */
class CallActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContentView(TextView(this).apply { text = "Call from ${intent.getStringExtra(EXTRA_CALLER)}" })
    }

    companion object {
        const val EXTRA_CALLER = "caller"
    }
}
