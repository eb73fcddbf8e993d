/**
 * The download stage: resolves each segment's media URL (yt-dlp, or a URL template), fetches and
 * decodes only the segment's section with ffmpeg, validates it and writes {@code YT_<id>.wav}
 * atomically, classifying every failure and retrying transient ones under a shared rate limit.
 *
 * <p>Entry points: {@link io.github.audiosetdl.core.download.DownloadConfig} and
 * {@link io.github.audiosetdl.core.download.DownloadStage}. Everything here is non-null unless a
 * method's documentation says otherwise.
 */
package io.github.audiosetdl.core.download;
