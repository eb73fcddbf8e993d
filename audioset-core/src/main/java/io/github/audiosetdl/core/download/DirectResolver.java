package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.Segment;
import java.util.Map;

/** The URL template is the media URL: nothing is run, no headers are sent. */
final class DirectResolver implements MediaResolver {
    private final DownloadConfig config;

    /** @param config gives the template */
    public DirectResolver(DownloadConfig config) {
        this.config = config;
    }

    @Override
    public ResolvedMedia resolve(Segment segment) {
        return new ResolvedMedia(config.urlFor(segment.ytid()), Map.of(), Double.NaN);
    }
}
