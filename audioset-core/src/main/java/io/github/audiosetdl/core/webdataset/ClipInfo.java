package io.github.audiosetdl.core.webdataset;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.StrongEvent;
import java.util.List;
import java.util.Optional;

/**
 * A clip's {@code <key>.json} member, as {@link WebDatasetWriter} writes it and {@link WebDatasetReader} reads it.
 *
 * @param segment the clip's segment: {@code ytid}, {@code start} and {@code end} (seconds in the JSON, whole
 *     milliseconds here) and {@code labels} (MIDs, in the CSV's order)
 * @param names the labels' display names, one per MID of {@code segment.labelIds()}, in the same order
 * @param norm the peak the clip was divided by, in full-scale units ({@code >= 0}; 0 for silence)
 * @param padded whether the source was shorter than the clip and zero-padded
 * @param strongKnown whether the JSON has {@code strong}: the clip's temporally-strong events are known
 * @param strongEvents its {@code strong} events (seconds from the clip's start), empty when none is present or
 *     when they are not known ({@code strongKnown} tells which)
 */
public record ClipInfo(Segment segment, List<String> names, double norm, boolean padded, boolean strongKnown,
        List<StrongEvent> strongEvents) {

    /**
     * Validates and copies.
     *
     * @param segment the clip's segment; not null
     * @param names one display name per MID of {@code segment.labelIds()}, copied
     * @param norm the peak divided out, in full-scale units, finite and {@code >= 0}
     * @param padded whether the source was zero-padded
     * @param strongKnown whether the strong events are known
     * @param strongEvents the strong events, copied; empty unless {@code strongKnown}
     * @throws IllegalArgumentException naming the count or value that does not fit
     */
    public ClipInfo {
        requireNonNull(segment, "segment");
        names = List.copyOf(names);
        strongEvents = List.copyOf(strongEvents);
        if (names.size() != segment.labelIds().size()) {
            throw new IllegalArgumentException(names.size() + " display names for " + segment.labelIds().size()
                    + " labels");
        }
        if (!Double.isFinite(norm) || norm < 0) {
            throw new IllegalArgumentException("norm " + norm + " is not a finite number >= 0");
        }
        if (!strongKnown && !strongEvents.isEmpty()) {
            throw new IllegalArgumentException(strongEvents.size() + " strong events, but strongKnown is false");
        }
    }

    /**
     * @return the strong events when known (possibly an empty list: annotated, no event present), else empty (the
     *     JSON has no {@code strong}: not known, which is not "no events")
     */
    public Optional<List<StrongEvent>> strong() {
        return strongKnown ? Optional.of(strongEvents) : Optional.empty();
    }
}
