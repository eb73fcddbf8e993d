package io.github.audiosetdl.examples.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link SlurmCluster} per test class: started before the class's tests in a new temporary folder, stopped
 * after them (also when they fail); the folder is deleted when they pass, and kept with the daemons' logs when
 * one fails. Register it as {@code @RegisterExtension static final SlurmClusterExtension}.
 */
public final class SlurmClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private final int cpus;
    private final Map<String, String> settings;
    private SlurmCluster cluster;
    private Path dir;

    /** @param cpus the CPUs the node offers ({@link SlurmCluster#start}) */
    public SlurmClusterExtension(int cpus) {
        this(cpus, Map.of());
    }

    /**
     * @param cpus the CPUs the node offers ({@link SlurmCluster#start})
     * @param settings {@code slurm.conf} settings of this class's cluster ({@link SlurmCluster#start(Path, int, Map)})
     */
    public SlurmClusterExtension(int cpus, Map<String, String> settings) {
        this.cpus = cpus;
        this.settings = Map.copyOf(settings);
    }

    /** @return the running cluster */
    public SlurmCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster starts before the class's tests");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("audioset-slurm-");
        cluster = SlurmCluster.start(dir.resolve("cluster"), cpus, settings);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (context.getExecutionException().isEmpty() && dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } else if (dir != null) {
            System.err.println("the test SLURM cluster's files are kept in " + dir);
        }
    }
}
