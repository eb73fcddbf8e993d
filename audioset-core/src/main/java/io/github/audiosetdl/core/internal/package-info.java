/**
 * Implementation details of audioset-core; not API, may change without notice.
 */
package io.github.audiosetdl.core.internal;
