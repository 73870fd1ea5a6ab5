package dev.pushcore.sample.notify

import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.util.Log
import dev.pushcore.BadgeMethod

/**
 * Sets the app icon badge to the count the core's ledger answers, the way
 * this device's launcher allows (notification-facts.md section 1). The core
 * picks the method (`badgeMethod(deviceInfo)`, also in `diagnose`); each
 * adapter is a few lines over one launcher API.
 *
 * Where the number lives on the notifications themselves (stock Android,
 * Xiaomi, One UI), [perNotification] is true and [NotificationPoster] sets
 * `setNumber(badge)` on each notification it posts; removing notifications
 * (recall, read) lowers those badges by itself.
 */
interface BadgeAdapter {
    val perNotification: Boolean

    /** Applies [count]; failures are logged, never thrown (a badge is cosmetic). */
    fun apply(context: Context, count: Int)

    companion object {
        fun forMethod(method: BadgeMethod): BadgeAdapter = when (method) {
            BadgeMethod.HUAWEI_LAUNCHER -> LauncherProviderBadge("content://com.huawei.android.launcher.settings/badge/")
            BadgeMethod.HONOR_LAUNCHER -> LauncherProviderBadge("content://com.hihonor.android.launcher.settings/badge/")
            BadgeMethod.VIVO_BROADCAST -> VivoBadge
            BadgeMethod.SAMSUNG_BROADCAST -> SamsungBadge
            BadgeMethod.XIAOMI_NOTIFICATION_COUNT, BadgeMethod.NOTIFICATION_NUMBER -> NotificationNumberBadge
            // No number can be set; the dot follows the notifications shown.
            BadgeMethod.DOT_ONLY, BadgeMethod.IOS_SET_BADGE_COUNT -> NoBadge
        }
    }
}

private const val TAG = "PushCoreBadge"

/** The launcher activity, which the launcher APIs name the badge by. */
private fun launcherClass(context: Context): String? =
    context.packageManager.getLaunchIntentForPackage(context.packageName)?.component?.className

/** Huawei EMUI 4.1+ and Honor: `change_badge` on the launcher's provider. */
private class LauncherProviderBadge(private val uri: String) : BadgeAdapter {
    override val perNotification = false

    override fun apply(context: Context, count: Int) {
        val extras = Bundle().apply {
            putString("package", context.packageName)
            putString("class", launcherClass(context) ?: return)
            putInt("badgenumber", count)
        }
        runCatching { context.contentResolver.call(Uri.parse(uri), "change_badge", null, extras) }
            .onFailure { Log.w(TAG, "launcher badge not set: $it") }
    }
}

/** vivo: the launcher broadcast (the user's badge switch may be off). */
private object VivoBadge : BadgeAdapter {
    override val perNotification = false

    override fun apply(context: Context, count: Int) {
        val intent = Intent("launcher.action.CHANGE_APPLICATION_NOTIFICATION_NUM")
            .putExtra("packageName", context.packageName)
            .putExtra("className", launcherClass(context) ?: return)
            .putExtra("notificationNum", count)
        runCatching { context.sendBroadcast(intent) }.onFailure { Log.w(TAG, "vivo badge not set: $it") }
    }
}

/** Older Samsung launchers; One UI may use the notification number instead. */
private object SamsungBadge : BadgeAdapter {
    override val perNotification = true

    override fun apply(context: Context, count: Int) {
        val intent = Intent("android.intent.action.BADGE_COUNT_UPDATE")
            .putExtra("badge_count", count)
            .putExtra("badge_count_package_name", context.packageName)
            .putExtra("badge_count_class_name", launcherClass(context) ?: return)
        runCatching { context.sendBroadcast(intent) }.onFailure { Log.w(TAG, "samsung badge not set: $it") }
    }
}

/** Stock Android 8+ and Xiaomi: the number rides on the posted notifications. */
private object NotificationNumberBadge : BadgeAdapter {
    override val perNotification = true
    override fun apply(context: Context, count: Int) = Unit
}

private object NoBadge : BadgeAdapter {
    override val perNotification = false
    override fun apply(context: Context, count: Int) = Unit
}
