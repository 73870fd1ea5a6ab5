package dev.pushcore.sample.ui

import android.Manifest
import android.os.Build
import android.os.Bundle
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.TextView
import androidx.activity.ComponentActivity
import androidx.lifecycle.lifecycleScope
import dev.pushcore.sample.SampleApp
import dev.pushcore.sample.im.FakeImSdk
import dev.pushcore.registrationStates
import kotlinx.coroutines.launch

/** Log in, log out, simulate a kick-out, and watch the registration state. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = SampleApp.from(this)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
            requestPermissions(arrayOf(Manifest.permission.POST_NOTIFICATIONS), 1)
        }
        val user = EditText(this).apply { hint = "IM user id" }
        val state = TextView(this)
        val login = Button(this).apply {
            text = "Log in"
            setOnClickListener {
                val id = user.text.toString().trim()
                if (id.isNotEmpty()) lifecycleScope.launch { app.session.login(id, userSig = "sig-from-your-server") }
            }
        }
        val logout = Button(this).apply {
            text = "Log out"
            // Outlives the activity: the clear must reach the backend before the IM logout.
            setOnClickListener { app.appScope.launch { app.session.logout() } }
        }
        val kick = Button(this).apply {
            text = "Simulate kick-out"
            setOnClickListener { (app.im as? FakeImSdk)?.simulateKickOut() }
        }
        setContentView(
            LinearLayout(this).apply {
                orientation = LinearLayout.VERTICAL
                listOf(user, login, logout, kick, state).forEach { addView(it) }
            },
        )
        // Its own core subscription, closed when the activity is destroyed.
        lifecycleScope.launch {
            app.core.registrationStates().collect {
                state.text = "state: ${it.phase}\nchannel: ${it.channel}\nbusiness id: ${it.businessId}"
            }
        }
    }
}
