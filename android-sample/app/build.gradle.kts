// The sample app: registration wired to login, one adapter per vendor push
// SDK, and a notification tap handled through the core.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

// FCM and HMS need their console-issued JSON files; apply their plugins only
// when the files are present so the sample builds before they are set up.
if (file("google-services.json").exists()) {
    apply(plugin = "com.google.gms.google-services")
}
if (file("agconnect-services.json").exists()) {
    apply(plugin = "com.huawei.agconnect")
}

android {
    namespace = "dev.pushcore.sample"
    compileSdk = 35

    defaultConfig {
        applicationId = "dev.pushcore.sample"
        // 23: immutable PendingIntents (FLAG_IMMUTABLE) exist from API 23.
        minSdk = 23
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"

        // Read from <meta-data> by the vivo and Honor SDKs (see gradle.properties).
        manifestPlaceholders += mapOf(
            "VIVO_APPID" to providers.gradleProperty("pushcore.sample.vivoAppId").get(),
            "VIVO_APPKEY" to providers.gradleProperty("pushcore.sample.vivoAppKey").get(),
            "HONOR_APPID" to providers.gradleProperty("pushcore.sample.honorAppId").get(),
        )
    }

    sourceSets {
        getByName("main") {
            // The Android-free click handling, also built and tested on the
            // JVM by Maven (click-handling/pom.xml).
            kotlin.srcDir("../click-handling/src/main/kotlin")
        }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
            // Sign with your own key; the debug key keeps the sample installable.
            signingConfig = signingConfigs.getByName("debug")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    // PushCore (from the composite build in settings.gradle.kts). Brings JNA
    // (@aar) and kotlinx-coroutines-android.
    implementation("dev.pushcore:pushcore-android:0.1.0")

    implementation("androidx.core:core-ktx:1.16.0")
    implementation("androidx.activity:activity-ktx:1.10.1")
    implementation("androidx.lifecycle:lifecycle-process:2.9.2")
    implementation("androidx.lifecycle:lifecycle-runtime-ktx:2.9.2")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-play-services:1.10.2")

    // One line per vendor push SDK (push-facts.md section 2). Versions as of
    // writing; follow the vendor's and the IM vendor's current docs.
    // FCM: google-services.json in app/.
    implementation("com.google.firebase:firebase-messaging:24.0.1")
    // Huawei HMS Push: agconnect-services.json in app/.
    implementation("com.huawei.hms:push:6.12.0.300")
    // Honor Push: app id in the HONOR_APPID manifest placeholder.
    implementation("com.hihonor.mcs:push:7.0.61.303")
    // Meizu Flyme Push: app id and key from the PushCore config.
    implementation("com.meizu.flyme.internet:push-internal:4.2.3")
    // Xiaomi MiPush, OPPO (Heytap) and vivo: AAR files in app/libs (see
    // app/libs/README.md). OPPO's SDK also needs Gson and commons-codec.
    implementation(fileTree("libs") { include("*.aar") })
    implementation("com.google.code.gson:gson:2.13.1")
    implementation("commons-codec:commons-codec:1.18.0")
}
