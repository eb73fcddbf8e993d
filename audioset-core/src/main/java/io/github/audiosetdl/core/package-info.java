/**
 * The AudioSet model and the download stage.
 *
 * <p>Values ({@link io.github.audiosetdl.core.Segment}, {@link io.github.audiosetdl.core.Label},
 * {@link io.github.audiosetdl.core.OntologyNode}) are immutable records; the label index and
 * ontology ship as resources, so {@link io.github.audiosetdl.core.LabelIndex#audioSet()} and
 * {@link io.github.audiosetdl.core.Ontology#audioSet()} work offline. Segment CSVs are read lazily
 * by {@link io.github.audiosetdl.core.SegmentCsv}.
 *
 * <p>Every parameter and return value in this package is non-null unless its documentation says
 * otherwise; absent values are {@link java.util.Optional} returns.
 */
package io.github.audiosetdl.core;
