package dev.pushcore.bench;

import dev.pushcore.FastCalls;
import dev.pushcore.ClickInputs;
import dev.pushcore.DedupKind;
import dev.pushcore.DedupOutcome;
import dev.pushcore.NormalizedNotification;
import dev.pushcore.PushChannel;
import dev.pushcore.PushCore;
import dev.pushcore.ReceivedOutcome;
import dev.pushcore.Route;
import dev.pushcore.TapOutcome;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole tap path an app runs (parse, "handled already?", destination),
 * for the FCM fixture of {@link ParseBenchmark}, tapped again and again (so
 * the dedup answer is "duplicate", as for a cold start plus onNewIntent).
 *
 * <ul>
 *   <li>{@code coreHandleTap}: PushCore.handleTap, one crossing.
 *   <li>{@code fastHandleTap}: the same call through {@code FastCalls};
 *       {@code fastHandleAndroidTap} with the map sent as a binary tree.
 *   <li>{@code fastHandleReceivedAndroid} and {@code coreHandleReceived}:
 *       the same message as one the app received itself (parse,
 *       displayed-dedup, key, route), through each door.
 *   <li>{@code coreFourCalls}: parseClick, checkAndMarkNotification and
 *       route, as an app would call them one by one.
 *   <li>{@code reference}: ReferenceTapParser (org.json) plus ReferenceDedup
 *       (sqlite-jdbc, same pragmas).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TapBenchmark {
    BenchStores stores;
    PushCore core;
    FastCalls fast;
    ReferenceDedup reference;
    Map<String, Object> extras;

    @Setup
    public void setup() throws Exception {
        stores = BenchStores.open("pushcore-jmh-tap");
        core = stores.core;
        fast = stores.fast;
        reference = stores.reference;
        extras = new LinkedHashMap<>();
        extras.put("ext", ParseBenchmark.EXT);
        extras.put("google.message_id", "0:1732600000000000%abcdef");
        extras.put("google.sent_time", 1732600000000L);
        extras.put("google.ttl", 2419200);
        extras.put("from", "1234567890");
        coreHandleTap();
        if (!(coreHandleTap().getDedup() instanceof DedupOutcome.Duplicate)) {
            throw new IllegalStateException("the second tap must be a duplicate");
        }
        TapOutcome viaFast = fastHandleTap();
        if (!(viaFast.getDedup() instanceof DedupOutcome.Duplicate)
                || !viaFast.getNotification().equals(coreHandleTap().getNotification())
                || !fastHandleAndroidTap().getNotification().equals(viaFast.getNotification())) {
            throw new IllegalStateException("FastCalls must answer as the generated call");
        }
        reference();
        if (reference() == null) {
            throw new IllegalStateException("the reference must see the duplicate");
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        stores.close();
    }

    @Benchmark
    public TapOutcome coreHandleTap() throws Exception {
        return core.handleTap(ClickInputs.android(extras, null, PushChannel.FCM));
    }

    @Benchmark
    public TapOutcome fastHandleTap() throws Exception {
        return fast.handleTap(ClickInputs.android(extras, null, PushChannel.FCM));
    }

    @Benchmark
    public TapOutcome fastHandleAndroidTap() throws Exception {
        return fast.handleAndroidTap(extras, null, PushChannel.FCM);
    }

    @Benchmark
    public ReceivedOutcome fastHandleReceivedAndroid() throws Exception {
        return fast.handleReceivedAndroid(extras, "fcm-data", null, PushChannel.FCM);
    }

    @Benchmark
    public ReceivedOutcome coreHandleReceived() throws Exception {
        return core.handleReceived(ClickInputs.android(extras, null, PushChannel.FCM), "fcm-data");
    }

    @Benchmark
    public Route coreFourCalls() throws Exception {
        NormalizedNotification n = core.parseClick(ClickInputs.android(extras, null, PushChannel.FCM));
        core.checkAndMarkNotification(n, DedupKind.CLICKED, "fcm");
        return core.route(n);
    }

    @Benchmark
    public String reference() throws Exception {
        ReferenceTap tap = ReferenceTapParser.parse(extras, null);
        return reference.checkAndMark("im:" + tap.getMessageId(), 2, "fcm");
    }
}
