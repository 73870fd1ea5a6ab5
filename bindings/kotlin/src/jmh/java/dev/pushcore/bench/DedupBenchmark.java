package dev.pushcore.bench;

import dev.pushcore.FastCalls;
import dev.pushcore.DedupKind;
import dev.pushcore.DedupOutcome;
import dev.pushcore.PushCore;
import java.io.IOException;
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
 * check_and_mark through the bindings against ReferenceDedup (sqlite-jdbc,
 * same pragmas and schema), each on its own file in a temporary directory
 * holding {@link #ROWS} keys already (the core's default row cap), fresh
 * keys and duplicates separately; {@code core*} through the generated
 * method, {@code fast*} through {@code FastCalls}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DedupBenchmark {
    static final int ROWS = 10_000;

    BenchStores stores;
    PushCore core;
    FastCalls fast;
    ReferenceDedup reference;
    long next;

    @Setup
    public void setup() throws Exception {
        stores = BenchStores.open("pushcore-jmh");
        core = stores.core;
        fast = stores.fast;
        reference = stores.reference;
        for (int i = 0; i < ROWS; i++) {
            core.checkAndMark("im:old-" + i, DedupKind.DISPLAYED, "fcm");
            reference.checkAndMark("im:old-" + i, 1, "fcm");
        }
        if (!(core.checkAndMark("im:old-1", DedupKind.DISPLAYED, "x") instanceof DedupOutcome.Duplicate)
                || !(fast.checkAndMark("im:old-2", DedupKind.DISPLAYED, "x") instanceof DedupOutcome.Duplicate)
                || !"fcm".equals(reference.checkAndMark("im:old-1", 1, "x"))) {
            throw new IllegalStateException("prefill did not take");
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        stores.close();
    }

    @Benchmark
    public DedupOutcome coreFresh() throws Exception {
        return core.checkAndMark("im:new-" + next++, DedupKind.DISPLAYED, "fcm");
    }

    @Benchmark
    public DedupOutcome fastFresh() throws Exception {
        return fast.checkAndMark("im:new-" + next++, DedupKind.DISPLAYED, "fcm");
    }

    @Benchmark
    public String referenceFresh() throws Exception {
        return reference.checkAndMark("im:new-" + next++, 1, "fcm");
    }

    @Benchmark
    public DedupOutcome coreDuplicate() throws Exception {
        return core.checkAndMark("im:old-" + (next++ % ROWS), DedupKind.DISPLAYED, "fcm");
    }

    @Benchmark
    public DedupOutcome fastDuplicate() throws Exception {
        return fast.checkAndMark("im:old-" + (next++ % ROWS), DedupKind.DISPLAYED, "fcm");
    }

    @Benchmark
    public String referenceDuplicate() throws Exception {
        return reference.checkAndMark("im:old-" + (next++ % ROWS), 1, "fcm");
    }
}
