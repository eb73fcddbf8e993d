package io.github.audiosetdl.core.webdataset;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.audio.AudioClip;
import java.nio.file.Path;

/**
 * One clip of a WebDataset shard, read by {@link WebDatasetReader}: its key, its {@code <key>.wav} decoded and its
 * {@code <key>.json} both parsed and as written. Immutable, but {@link #audio()}'s arrays are shared: treat them as
 * read-only.
 */
public final class WebDatasetClip {
    private final Path shard;
    private final String key;
    private final AudioClip audio;
    private final ClipInfo info;
    private final String json;

    /**
     * @param shard the shard it was read from
     * @param key its key, the YouTube id
     * @param audio its {@code .wav} member, decoded
     * @param info its {@code .json} member, parsed
     * @param json its {@code .json} member as written (UTF-8)
     */
    public WebDatasetClip(Path shard, String key, AudioClip audio, ClipInfo info, String json) {
        this.shard = requireNonNull(shard, "shard");
        this.key = requireNonNull(key, "key");
        this.audio = requireNonNull(audio, "audio");
        this.info = requireNonNull(info, "info");
        this.json = requireNonNull(json, "json");
    }

    /** @return the shard the clip was read from */
    public Path shard() {
        return shard;
    }

    /** @return its key, the member names' part before the first {@code .} (the YouTube id) */
    public String key() {
        return key;
    }

    /**
     * @return its {@code .wav} member decoded by {@code WavReader}: {@code (channels, frames)} floats in full-scale
     *     units, integer PCM divided by {@code 2^(bits-1)}. A shard of the pack stage holds mono 16-bit PCM of 10 s
     *     at the pack's rate (16 kHz: 160,000 samples), each {@code round(x × 32767)} of the peak-normalised clip
     *     {@code x}: {@code Math.round(v * 32768)} is the stored value exactly, and {@code v * 32768 / 32767} is
     *     {@code x} to within half a step
     */
    public AudioClip audio() {
        return audio;
    }

    /** @return its {@code .json} member, parsed and checked */
    public ClipInfo info() {
        return info;
    }

    /** @return its {@code .json} member as written, for fields this version does not parse */
    public String json() {
        return json;
    }

    @Override
    public String toString() {
        return "WebDatasetClip(" + shard.getFileName() + ", " + key + ", " + audio.frames() + " frames at "
                + audio.sampleRate() + " Hz)";
    }
}
