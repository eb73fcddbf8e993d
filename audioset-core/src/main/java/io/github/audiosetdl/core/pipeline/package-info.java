/**
 * The pipeline: {@code AudioSetPipeline} composes download, pack
 * and features, or any contiguous part of them; a {@link io.github.audiosetdl.core.progress.PipelineListener}
 * sees progress and outcomes.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.core.pipeline;

