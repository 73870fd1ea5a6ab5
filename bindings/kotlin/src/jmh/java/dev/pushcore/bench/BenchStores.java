package dev.pushcore.bench;

import dev.pushcore.FastCalls;
import dev.pushcore.PushCore;
import dev.pushcore.PushcoreKt;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the stateful benchmarks share: in a fresh temporary directory, a core
 * on the repository's example configuration (under {@code core/}), its
 * FastCalls, and the sqlite-jdbc reference on {@code reference.db}; closing
 * closes all three and deletes the directory.
 */
final class BenchStores implements AutoCloseable {
    final Path dir;
    final PushCore core;
    final FastCalls fast;
    final ReferenceDedup reference;

    private BenchStores(Path dir) throws Exception {
        this.dir = dir;
        String repo = System.getProperty("pushcore.repo", "../..");
        String config = Files.readString(new File(repo, "docs/example-config.json").toPath());
        core = new PushCore(PushcoreKt.pushConfigFromJson(config), dir.resolve("core").toString());
        fast = new FastCalls(core);
        reference = new ReferenceDedup(dir.resolve("reference.db").toString());
    }

    static BenchStores open(String prefix) throws Exception {
        return new BenchStores(Files.createTempDirectory(prefix));
    }

    @Override
    public void close() throws IOException {
        fast.close();
        core.close();
        reference.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
