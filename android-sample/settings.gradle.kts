// The PushCore Android sample. Not built on the project's build machine (no
// Android SDK there): see README.md for what is verified where.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
        // Huawei's AppGallery Connect plugin (agcp).
        maven("https://developer.huawei.com/repo/")
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
        // HMS Push (Huawei) and Honor Push publish to their own repositories.
        maven("https://developer.huawei.com/repo/")
        maven("https://developer.hihonor.com/repo")
    }
}

rootProject.name = "pushcore-android-sample"
include(":app")

// PushCore's Android library, built from this repository's sources. Gradle
// substitutes it for the `dev.pushcore:pushcore-android` dependency of :app.
// Its inputs (generated Kotlin, .so files) come from
// bindings/kotlin/android/build-aar.sh --no-gradle.
includeBuild("../bindings/kotlin/android")
