// Plugin versions for the sample's modules; each module applies what it needs.
plugins {
    id("com.android.application") version "8.10.1" apply false
    id("org.jetbrains.kotlin.android") version "2.2.21" apply false
    id("com.google.gms.google-services") version "4.4.2" apply false
    id("com.huawei.agconnect") version "1.9.1.301" apply false
}
