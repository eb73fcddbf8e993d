package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * One class of the AudioSet ontology ({@code ontology.json}).
 *
 * @param id the MID, e.g. {@code /m/04rlf}
 * @param name the display name, e.g. {@code Music}
 * @param description the ontology's description text (may be empty)
 * @param citationUri the citation URI (may be empty)
 * @param positiveExamples example YouTube URLs listed by the ontology (may be empty)
 * @param childIds the MIDs of the direct children, in file order
 * @param restrictions {@code abstract} and/or {@code blacklist} flags
 */
public record OntologyNode(String id, String name, String description, String citationUri,
        List<String> positiveExamples, List<String> childIds, Set<Restriction> restrictions) {

    /** The ontology's restriction flags. */
    public enum Restriction {
        /** A grouping class that is not used as a label on its own. */
        ABSTRACT,
        /** A class excluded from the released label set (too obscure or not reliably rated). */
        BLACKLIST
    }

    /**
     * Validates and copies.
     *
     * @param id the MID; not null
     * @param name the display name; not null
     * @param description the description; not null, may be empty
     * @param citationUri the citation URI; not null, may be empty
     * @param positiveExamples example URLs, copied; no null element
     * @param childIds the children's MIDs, copied in order; no null element
     * @param restrictions the flags, copied; no null element
     */
    public OntologyNode {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(description, "description");
        requireNonNull(citationUri, "citationUri");
        positiveExamples = List.copyOf(positiveExamples);
        childIds = List.copyOf(childIds);
        restrictions = Set.copyOf(restrictions);
    }

    /** @return whether the node is marked {@code abstract} */
    public boolean isAbstract() {
        return restrictions.contains(Restriction.ABSTRACT);
    }

    /** @return whether the node is marked {@code blacklist} */
    public boolean isBlacklisted() {
        return restrictions.contains(Restriction.BLACKLIST);
    }
}
