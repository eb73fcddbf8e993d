package io.github.audiosetdl.core.progress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs listener calls, logging and swallowing what they throw. */
final class SafeCalls {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineListener.class);

    private SafeCalls() {
    }

    static void call(Runnable r) {
        try {
            r.run();
        } catch (VirtualMachineError e) {
            throw e; // out of memory, stack overflow: nothing to go on with
        } catch (RuntimeException | Error e) { // an AssertionError in a test's listener too
            LOG.warn("a pipeline listener threw; ignored", e);
        }
    }
}
