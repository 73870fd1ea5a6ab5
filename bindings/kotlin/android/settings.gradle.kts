// PushCore's Android library (AAR) as a stand-alone Gradle build.
//
// It packages the Kotlin that the JVM build in ../ compiles (the generated
// UniFFI bindings plus the hand-written helpers) together with libpushcore.so
// for each Android ABI. Build it with ./build-aar.sh, which produces every
// input first; apps in this repository include it as a composite build
// (see android-sample/settings.gradle.kts).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "pushcore-android"
