package dev.pushcore.bench;

import dev.pushcore.FastCalls;
import dev.pushcore.ClickInput;
import dev.pushcore.ClickInputs;
import dev.pushcore.NormalizedNotification;
import dev.pushcore.PushChannel;
import dev.pushcore.PushcoreKt;
import dev.pushcore.RustBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One typical tap (the fixtures of core/benches/parse.rs), parsed from the
 * same Bundle stand-in (a map) by the core through the bindings and by the
 * org.json reference an app would otherwise write.
 *
 * <ul>
 *   <li>{@code core}: the app's path, ClickInputs.android(map) (JSON text
 *       in Kotlin) then parseClickInput across the FFI.
 *   <li>{@code coreFromJsonText}: the same call with the extras already as
 *       JSON text, to separate the Kotlin-side encoding.
 *   <li>{@code fast}: the same parse through {@code FastCalls} (JNA direct
 *       mapping, one per-thread buffer, no JNA structures), and
 *       {@code fastFromJsonText} without the Kotlin-side encoding;
 *       {@code fastAndroidTap} sends the map as a binary tree (no JSON
 *       text on either side for the outer layer).
 *   <li>{@code reference}: ReferenceTapParser with org.json.
 *   <li>{@code ffiBaseline}: coreVersion(), the cheapest exported call that
 *       returns a string: what a crossing costs with no work behind it.
 *   <li>{@code jnaStructure}: allocating one JNA structure, as the generated
 *       code does for every crossing's call status and every RustBuffer
 *       returned by value (native memory, tracked until JNA's cleaner frees
 *       it after a GC).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParseBenchmark {
    static final String EXT = "{\"entity\":{\"version\":1,\"chatType\":1,\"action\":1,"
            + "\"sender\":\"user_1024_abcdef\",\"nickname\":\"Lin Wei\","
            + "\"faceUrl\":\"https://cdn.example.com/avatar/1024.png\","
            + "\"content\":\"Are we still on for lunch tomorrow at the usual place?\","
            + "\"sendTime\":1732600000,\"msgID\":\"144115233874815003-1732600000-123456\"},"
            + "\"timPushFeatures\":{\"fcmPushType\":0,\"fcmNotificationType\":0}}";

    @Param({"fcm", "xiaomi"})
    public String channel;

    Map<String, Object> extras;
    PushChannel hint;
    ClickInput asJsonText;

    @Setup
    public void setup() throws Exception {
        extras = new LinkedHashMap<>();
        switch (channel) {
            case "fcm":
                hint = PushChannel.FCM;
                extras.put("ext", EXT);
                extras.put("google.message_id", "0:1732600000000000%abcdef");
                extras.put("google.sent_time", 1732600000000L);
                extras.put("google.ttl", 2419200);
                extras.put("from", "1234567890");
                break;
            case "xiaomi":
                hint = PushChannel.XIAOMI;
                Map<String, String> extra = new LinkedHashMap<>();
                extra.put("ext", EXT);
                extra.put("notify_effect", "1");
                extras.put("key_message", ClickInputs.miPushMessage(extra, null, "Lin Wei",
                        "Are we still on for lunch tomorrow?", "sdm04123456789012345Ab"));
                break;
            default:
                throw new IllegalArgumentException(channel);
        }
        asJsonText = ClickInputs.android(extras, null, hint);
        // Both sides must read the same thing, or the comparison is void.
        NormalizedNotification viaCore = core();
        ReferenceTap viaReference = reference();
        if (!viaCore.equals(fast()) || !viaCore.equals(fastAndroidTap())) {
            throw new IllegalStateException("FastCalls disagrees with the generated call");
        }
        if (!viaCore.getSender().equals(viaReference.getSender())
                || !viaCore.getConversationId().equals(viaReference.getConversationId())
                || !viaCore.getContent().equals(viaReference.getContent())
                || !viaCore.getMessageId().equals(viaReference.getMessageId())) {
            throw new IllegalStateException(viaCore + " vs " + viaReference);
        }
    }

    @Benchmark
    public NormalizedNotification core() throws Exception {
        return PushcoreKt.parseClickInput(ClickInputs.android(extras, null, hint));
    }

    @Benchmark
    public NormalizedNotification fast() throws Exception {
        return FastCalls.parseClickInput(ClickInputs.android(extras, null, hint));
    }

    @Benchmark
    public NormalizedNotification fastAndroidTap() throws Exception {
        return FastCalls.parseAndroidTap(extras, null, hint);
    }

    @Benchmark
    public NormalizedNotification fastFromJsonText() throws Exception {
        return FastCalls.parseClickInput(asJsonText);
    }

    @Benchmark
    public NormalizedNotification coreFromJsonText() throws Exception {
        return PushcoreKt.parseClickInput(asJsonText);
    }

    @Benchmark
    public ReferenceTap reference() throws Exception {
        return ReferenceTapParser.parse(extras, null);
    }

    @Benchmark
    public String ffiBaseline() throws Exception {
        return PushcoreKt.coreVersion();
    }

    @Benchmark
    public RustBuffer jnaStructure() {
        return new RustBuffer.ByValue();
    }
}
