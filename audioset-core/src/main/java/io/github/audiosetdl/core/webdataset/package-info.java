/**
 * WebDataset shards: {@link io.github.audiosetdl.core.webdataset.WebDatasetWriter} writes tar shards of
 * {@code <key>.wav} and {@code <key>.json} shard by shard, each atomically;
 * {@link io.github.audiosetdl.core.webdataset.WebDatasetReader} reads them back clip by clip
 * ({@link io.github.audiosetdl.core.webdataset.WebDatasetClip}: the samples decoded, the JSON parsed into a
 * {@link io.github.audiosetdl.core.webdataset.ClipInfo}), checking every tar header as untrusted input.
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.core.webdataset;
