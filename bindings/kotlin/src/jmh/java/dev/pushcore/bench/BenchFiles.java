package dev.pushcore.bench;

import dev.pushcore.PushCore;
import dev.pushcore.PushcoreKt;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the stateful benchmarks share: a core on the example config in a temp dir, and cleanup. */
final class BenchFiles {
    private BenchFiles() {}

    /** A PushCore with the repository's example configuration, storing under {@code dir/core}. */
    static PushCore newCore(Path dir) throws Exception {
        String repo = System.getProperty("pushcore.repo", "../..");
        String config = Files.readString(new File(repo, "docs/example-config.json").toPath());
        return new PushCore(PushcoreKt.pushConfigFromJson(config), dir.resolve("core").toString());
    }

    /** Deletes {@code dir} and everything below it. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
