/**
 * WebDataset output: tar shards of {@code <key>.wav} and {@code <key>.json} written shard by shard, each atomically
 * ({@link io.github.audiosetdl.core.webdataset.WebDatasetWriter}).
 */
package io.github.audiosetdl.core.webdataset;
