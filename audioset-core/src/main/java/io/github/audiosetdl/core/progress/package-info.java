/**
 * What every stage reports while it runs: the {@link io.github.audiosetdl.core.progress.Stage stages},
 * {@link io.github.audiosetdl.core.progress.Progress} snapshots and the
 * {@link io.github.audiosetdl.core.progress.PipelineListener} that sees them. The download, pack and
 * feature stages and the pipeline that composes them all depend on this package, which depends on none
 * of them.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.core.progress;

