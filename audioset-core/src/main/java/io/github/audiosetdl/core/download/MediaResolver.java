package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.Segment;

/** Finds the media URL of a segment's video. Implementations are thread-safe. */
interface MediaResolver {
    /**
     * @param segment the segment
     * @return its media URL and headers
     * @throws ClipFailure classified, if it cannot be resolved
     * @throws InterruptedException if interrupted
     */
    ResolvedMedia resolve(Segment segment) throws ClipFailure, InterruptedException;
}
